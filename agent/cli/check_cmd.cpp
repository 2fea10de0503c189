// `check`: every link (or --link NAME) bottom up; `check --watch` for the engineer at the
// patch panel; `check --intent` against the clouds' API output instead of the config.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include "agent/check/engine.h"
#include "agent/check/eval_far_end.h"
#include "agent/check/intent.h"
#include "agent/check/window_sampler.h"
#include "agent/cli/commands.h"
#include "agent/render/history_view.h"
#include "agent/render/nagios.h"
#include "agent/render/render.h"
#include "probes/cloud/cloud.h"

namespace linkready::cli {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;

// Light levels and the link, refreshed in place once a second. The optics reader keeps
// its cache between frames, so each frame reads only the live monitor bytes; the error
// counters are judged over the second since the last frame.
int runWatch(const config::Config& cfg, const CheckArgs& args) {
  std::signal(SIGINT, [](int) { gInterrupted = 1; });
  std::signal(SIGTERM, [](int) { gInterrupted = 1; });
  LinuxProbeSources linux(cfg);
  bool tty = isatty(STDOUT_FILENO);
  TextStyle style{!args.noColour && wantColour(STDOUT_FILENO)};
  CheckOptions options{args.links, {Layer::Optics, Layer::Link}};
  LightTrend trend;
  Status last = Status::Unknown;
  for (int frame = 0; !gInterrupted && (args.count == 0 || frame < args.count); ++frame) {
    if (frame) std::this_thread::sleep_for(std::chrono::seconds(1));
    if (gInterrupted) break;
    std::vector<Observation> observed;
    Report report = runChecks(cfg, linux.sources(), options, &observed);
    auto at = std::chrono::steady_clock::now();
    for (size_t i = 0; i < observed.size(); ++i)
      if (observed[i].link.counters) options.counterBaseline[report.links[i].interface] = {observed[i].link.counters->last, at};
    trend.add(report, observed);
    last = report.status;
    std::string text = renderText(report, style) + trend.render();
    if (tty) std::cout << "\033[H\033[J";  // home, clear: refresh in place
    else if (frame) std::cout << "\n";
    std::cout << text << (tty ? "(watching optics and link once a second; Ctrl-C stops)\n" : "") << std::flush;
  }
  return int(last);
}

// The links come from the API output; the rest (agent id, FRR) from the config when
// there is one. A config that is named (or present) but broken is an error: never
// checked silently without it.
std::optional<config::Config> configFromIntent(const ConfigArg& config, const CheckArgs& args) {
  std::optional<config::Config> cfg;
  if (config.present()) {
    cfg = loadConfig(config.path);
    if (!cfg) return std::nullopt;
  } else {
    cfg.emplace();
  }
  // No default port: a guessed one would check a link that is not there.
  if (args.intentInterface.empty()) {
    std::cerr << "linkready: check --intent needs --interface PORT: the router port the cross-connect is patched to\n";
    return std::nullopt;
  }
  auto in = cloud::load(args.intentFiles);
  if (!in) {
    std::cerr << "linkready: " << in.error() << "\n";
    return std::nullopt;
  }
  // Google Dedicated or Partner: no VBR to make links from; the config's links are checked
  // and Google's diagnostics put beside them.
  if (in->vbrs.empty() && !in->googleDiagnostics.empty() && config.present()) return cfg;
  auto links = intent::toLinks(*in, {args.intentInterface});
  if (!links) {
    std::cerr << "linkready: " << links.error() << "\n";
    return std::nullopt;
  }
  cfg->links = *links;
  if (cfg->agent.id.empty()) cfg->agent.id = "intent";
  return cfg;
}

// The clouds' own view next to ours: Google's diagnostics of each link's circuit (both
// ends of the fibre), the Equinix port's cross-connect in the hints. The files were read
// once already to make the config.
void addCloudView(const config::Config& cfg, const CheckArgs& args, Report& report, const std::vector<Observation>& observed) {
  auto in = cloud::load(args.intentFiles);
  if (!in) return;
  std::vector<const config::Link*> links;
  for (const LinkReport& l : report.links) links.push_back(cfg.findLink(l.name));
  for (const config::Link* l : links)
    if (!l) return;
  google::addCloudView(report, links, observed, *in);
}

bool linksExist(const config::Config& cfg, const std::string& configPath, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (cfg.findLink(name)) continue;
    std::string known;
    for (const auto& l : cfg.links) known += (known.empty() ? "" : ", ") + l.name;
    std::cerr << "linkready: no link named '" << name << "' in " << configPath << " (links: " << known << ")\n";
    return false;
  }
  return true;
}

// One line on a terminal while the window runs: every link together.
std::string soakProgress(long elapsed, long total, const std::vector<std::vector<window::Sample>>& series) {
  uint64_t flaps = 0, errors = 0;
  int sent = 0, answered = 0;
  double swing = 0;
  for (const auto& s : series) {
    window::Summary w = window::summarize(s);
    flaps += w.carrierChanges, errors += w.errors, sent += w.echoesSent, answered += w.echoesAnswered;
    for (const auto& l : w.lanes)
      if (l.rxMin) swing = std::max(swing, *l.rxMax - *l.rxMin);
  }
  char b[200];
  std::snprintf(b, sizeof b, "soak %ld/%ld s: %zu link(s), %llu carrier changes, %llu errors, %d/%d echoes lost, Rx swing %.1f dB",
                elapsed, total, series.size(), (unsigned long long)flaps, (unsigned long long)errors, sent - answered,
                sent, swing);
  return b;
}

// The window after the usual checks: a sample of every link each second (all links at
// once, each sample bounded by the next second), then the window's verdicts beside the
// instant ones. Ctrl-C ends the window early; what was sampled is judged.
void runSoak(const config::Config& cfg, ProbeSources& sources, Report& report, std::chrono::milliseconds length) {
  std::signal(SIGINT, [](int) { gInterrupted = 1; });
  std::signal(SIGTERM, [](int) { gInterrupted = 1; });
  std::vector<const config::Link*> links;
  for (const LinkReport& l : report.links) links.push_back(cfg.findLink(l.name));
  window::Sampler sampler(sources, links);
  std::vector<std::vector<window::Sample>> series(links.size());
  bool progress = isatty(STDERR_FILENO);
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  long total = long(length.count() / 1000);
  for (long k = 0; k <= total && !gInterrupted; ++k) {
    std::this_thread::sleep_until(start + std::chrono::seconds(k));
    if (gInterrupted) break;
    auto samples = sampler.sample(start + std::chrono::seconds(k) + std::chrono::milliseconds(900));
    for (size_t i = 0; i < samples.size(); ++i) series[i].push_back(std::move(samples[i]));
    if (progress) std::cerr << "\r\033[K" << soakProgress(k, total, series) << std::flush;
  }
  if (progress) std::cerr << "\r\033[K";
  if (gInterrupted) std::cerr << "linkready: soak interrupted: judging the " << series.front().size() << " s sampled\n";
  auto now = std::chrono::system_clock::now();
  for (size_t i = 0; i < links.size(); ++i)
    report.links[i] = window::withWindow(std::move(report.links[i]), window::judgeWindow(*links[i], series[i], now));
  for (PairReport& p : report.pairs) {
    const LinkReport *a = nullptr, *b = nullptr;
    for (const LinkReport& l : report.links) {
      if (l.name == p.first) a = &l;
      if (l.name == p.second) b = &l;
    }
    if (a && b) p = judgePair(*a, *b, p.sameNic);  // a window can take a partner out
  }
  report.status = reportStatus(report);
}

}  // namespace

int runCheck(const ConfigArg& config, const CheckArgs& args) {
  std::optional<config::Config> cfg = args.intentFiles.empty() ? loadConfig(config.path) : configFromIntent(config, args);
  if (!cfg || !linksExist(*cfg, config.path, args.links)) {
    // A monitoring system shows the plugin's first line of stdout, and nothing else: the
    // reasons went to stderr.
    if (args.format == "nagios")
      std::cout << "LINKREADY UNKNOWN - cannot check: " << (cfg ? "no such link in " : "the configuration is invalid: ")
                << (args.intentFiles.empty() ? config.path : std::string("the intent files"))
                << " (linkready validate-config --config " << config.path << " says why)\n";
    return kExitUsage;
  }
  if (args.watch) return runWatch(*cfg, args);
  LinuxProbeSources linux(*cfg);
  std::vector<Observation> observed;
  Report report = runChecks(*cfg, linux.sources(), CheckOptions{args.links, {}}, &observed);
  if (!args.soak.empty() && !report.links.empty())
    runSoak(*cfg, linux.sources(), report, std::chrono::milliseconds(*config::parseDurationMs(args.soak)));
  if (!args.intentFiles.empty()) addCloudView(*cfg, args, report, observed);
  if (args.format == "json") {
    std::cout << jsonText(reportToJson(report), 2) << "\n";
  } else if (args.format == "nagios") {
    std::map<std::string, Observation> facts;
    for (size_t i = 0; i < report.links.size() && i < observed.size(); ++i) facts[report.links[i].name] = observed[i];
    std::cout << renderNagios(*cfg, report, facts);
  } else {
    TextStyle style{!args.noColour && wantColour(STDOUT_FILENO)};
    std::cout << renderText(report, style);
  }
  return int(report.status);
}

}  // namespace linkready::cli
