// `check`: every link (or --link NAME) bottom up; `check --watch` for the engineer at the
// patch panel; `check --intent` against the clouds' API output instead of the config.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>

#include "agent/check/engine.h"
#include "agent/check/eval_far_end.h"
#include "agent/check/intent.h"
#include "agent/cli/commands.h"
#include "agent/render/nagios.h"
#include "agent/render/render.h"
#include "probes/cloud/cloud.h"

namespace linkready::cli {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;

// Light levels and the link, refreshed in place once a second. The optics reader keeps
// its cache between frames, so each frame reads only the live monitor bytes.
int runWatch(const config::Config& cfg, const CheckArgs& args) {
  std::signal(SIGINT, [](int) { gInterrupted = 1; });
  std::signal(SIGTERM, [](int) { gInterrupted = 1; });
  LinuxProbeSources linux(cfg);
  bool tty = isatty(STDOUT_FILENO);
  TextStyle style{!args.noColour && wantColour(STDOUT_FILENO)};
  CheckOptions options{args.links, {Layer::Optics, Layer::Link}};
  Status last = Status::Unknown;
  for (int frame = 0; !gInterrupted && (args.count == 0 || frame < args.count); ++frame) {
    if (frame) std::this_thread::sleep_for(std::chrono::seconds(1));
    if (gInterrupted) break;
    Report report = runChecks(cfg, linux.sources(), options);
    last = report.status;
    std::string text = renderText(report, style);
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

}  // namespace

int runCheck(const ConfigArg& config, const CheckArgs& args) {
  std::optional<config::Config> cfg = args.intentFiles.empty() ? loadConfig(config.path) : configFromIntent(config, args);
  if (!cfg || !linksExist(*cfg, config.path, args.links)) return kExitUsage;
  if (args.watch) return runWatch(*cfg, args);
  LinuxProbeSources linux(*cfg);
  std::vector<Observation> observed;
  Report report = runChecks(*cfg, linux.sources(), CheckOptions{args.links, {}}, &observed);
  if (!args.intentFiles.empty()) addCloudView(*cfg, args, report, observed);
  if (args.format == "json") {
    std::cout << reportToJson(report).dump(2) << "\n";
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
