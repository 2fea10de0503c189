// The CLI is a thin presenter over the core: parse arguments, load the config, run,
// print. CLI11 is slow to compile, so it lives in this file only.
#include "agent/cli/cli.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <curl/curl.h>

#include "agent/daemon/daemon.h"
#include "agent/check/engine.h"
#include "agent/render/render.h"
#include "agent/render/optics_view.h"
#include "probes/optics/decode.h"
#include "probes/optics/optics_reader.h"
#include "agent/version.h"
#include "config/config.h"
#include "agent/check/intent.h"
#include "agent/render/intent_yaml.h"
#include "probes/cloud/cloud.h"

namespace linkready {

namespace {

constexpr int kExitUsage = 3;

std::optional<config::Config> loadConfig(const std::string& path) {
  auto cfg = config::fromFile(path);
  if (!cfg) {
    std::cerr << config::formatErrors(cfg.error());
    std::cerr << "linkready: " << cfg.error().size() << " error(s) in " << path << "\n";
    return std::nullopt;
  }
  return std::move(*cfg);
}

struct CheckArgs {
  std::vector<std::string> intentFiles;  // check against the cloud's API output instead of the config's links
  std::string intentInterface;
  bool json = false;
  bool noColour = false;
  bool watch = false;
  int count = 0;  // --watch frames; 0 = until interrupted
  std::vector<std::string> links;
};

volatile std::sig_atomic_t gInterrupted = 0;

// `check --watch`: light levels and the link, refreshed in place once a second, for the
// engineer cleaning a connector. The optics reader keeps its cache between frames, so
// each frame reads only the live monitor bytes.
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

int runCheck(const std::string& configPath, bool configGiven, const CheckArgs& args) {
  std::optional<config::Config> cfg;
  if (!args.intentFiles.empty()) {
    // The links come from the API output; the rest (agent id, FRR) from the config when there is one.
    if (configGiven || access(configPath.c_str(), R_OK) == 0) {
      cfg = loadConfig(configPath);
      if (!cfg) return kExitUsage;  // named (or present) but broken: never checked silently without it
    } else {
      cfg.emplace();
    }
    auto in = cloud::load(args.intentFiles);
    if (!in) {
      std::cerr << "linkready: " << in.error() << "\n";
      return kExitUsage;
    }
    auto links = intent::toLinks(*in, {args.intentInterface});
    if (!links) {
      std::cerr << "linkready: " << links.error() << "\n";
      return kExitUsage;
    }
    cfg->links = *links;
    if (cfg->agent.id.empty()) cfg->agent.id = "intent";
  } else {
    cfg = loadConfig(configPath);
  }
  if (!cfg) return kExitUsage;
  for (const std::string& name : args.links) {
    if (!cfg->findLink(name)) {
      std::string names;
      for (const auto& l : cfg->links) names += (names.empty() ? "" : ", ") + l.name;
      std::cerr << "linkready: no link named '" << name << "' in " << configPath << " (links: " << names << ")\n";
      return kExitUsage;
    }
  }
  if (args.watch) return runWatch(*cfg, args);
  LinuxProbeSources linux(*cfg);
  Report report = runChecks(*cfg, linux.sources(), CheckOptions{args.links, {}});
  if (args.json) {
    std::cout << reportToJson(report).dump(2) << "\n";
  } else {
    TextStyle style{!args.noColour && wantColour(STDOUT_FILENO)};
    std::cout << renderText(report, style);
  }
  return int(report.status);
}

struct OpticsArgs {
  std::string interface;
  std::string decodeFile;
  std::string pages;
  std::string saveFile;
  std::string portType;
  bool json = false;
};

int runOptics(const std::string& configPath, bool configGiven, const OpticsArgs& a) {
  // The ordered port type and limits come from the config's link on this interface, when
  // there is one; --port-type overrides. Without a config, --decode still works.
  config::Link link;
  if (configGiven || access(configPath.c_str(), R_OK) == 0) {
    auto cfg = loadConfig(configPath);
    if (!cfg) return kExitUsage;
    for (const auto& l : cfg->links)
      if (l.interface == a.interface) link = l;
  }
  if (!a.portType.empty()) link.order.portType = a.portType;
  optics::ModuleMemory memory;
  std::string source;
  if (!a.decodeFile.empty()) {
    std::ifstream in(a.decodeFile, std::ios::binary);
    if (!in) {
      std::cerr << "linkready: cannot read " << a.decodeFile << ": " << strerror(errno) << "\n";
      return kExitUsage;
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<uint8_t> pages;
    if (!a.pages.empty()) {
      auto p = optics::parsePageList(a.pages);
      if (!p) {
        std::cerr << "linkready: --pages: " << p.error() << "\n";
        return kExitUsage;
      }
      pages = *p;
    }
    auto m = optics::parseDump(content, pages);
    if (!m) {
      std::cerr << "linkready: " << a.decodeFile << ": " << m.error() << "\n";
      return kExitUsage;
    }
    memory = std::move(*m);
    source = a.decodeFile;
  } else {
    if (a.interface.empty()) {
      std::cerr << "linkready: optics needs an interface or --decode FILE\n";
      return kExitUsage;
    }
    auto io = optics::makeLinuxEepromIo();
    optics::OpticsReader reader(*io);
    auto r = reader.readAll(a.interface);
    memory = std::move(r.memory);
    source = a.interface;
    if (!r.facts.readError.empty()) {
      optics::OpticsFacts of;
      of.probed = true;
      of.module = r.facts;
      auto verdicts = evaluateOptics(link, of);
      std::cerr << "linkready: " << a.interface << ": cannot read the module EEPROM: " << r.facts.readError << "\n";
      if (!verdicts.empty()) std::cerr << "hint: " << verdicts[0].hint << "\n";
      return verdicts.empty() ? int(Status::Unknown) : int(verdicts[0].status);
    }
    if (!a.saveFile.empty()) {
      std::string pageList;
      auto bytes = optics::serializeDump(memory, pageList);
      std::ofstream out(a.saveFile, std::ios::binary);
      out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
      if (!out) {
        std::cerr << "linkready: cannot write " << a.saveFile << "\n";
        return kExitUsage;
      }
      std::cerr << "saved " << bytes.size() << " bytes to " << a.saveFile << "; decode with: linkready optics --decode "
                << a.saveFile << (pageList.empty() ? "" : " --pages " + pageList) << "\n";
    }
  }
  optics::ModuleFacts facts = optics::decodeModule(memory);
  if (a.json) std::cout << opticsToJson(source, link, facts).dump(2) << "\n";
  else std::cout << renderOpticsText(source, link, facts, false);
  // The exit code is the optics layer's verdict, as `check` would give it.
  optics::OpticsFacts of;
  of.probed = true;
  of.module = facts;
  Status worst = Status::Ok;
  for (const auto& c : evaluateOptics(link, of)) worst = worse(worst, c.status);
  return int(worst);
}

size_t collect(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

// `linkready status`: the running agent's view, from its local endpoint; no privileges.
int runStatus(const std::string& configPath, bool json) {
  auto cfg = loadConfig(configPath);
  if (!cfg) return kExitUsage;
  if (!cfg->agent.listenPort) {
    std::cerr << "linkready: the agent serves no status (agent.listen: off in " << configPath << ")\n";
    return kExitUsage;
  }
  std::string host = cfg->agent.listenHost.find(':') != std::string::npos ? "[" + cfg->agent.listenHost + "]" : cfg->agent.listenHost;
  std::string url = "http://" + host + ":" + std::to_string(cfg->agent.listenPort) + "/v1/status";
  std::string body;
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    std::cerr << "linkready: no agent answers on " << url << ": " << curl_easy_strerror(rc)
              << " (is linkready.service running? systemctl status linkready)\n";
    return int(Status::Unknown);
  }
  if (code != 200) {
    std::cerr << "linkready: the agent answered HTTP " << code << ": " << body;
    return int(Status::Unknown);
  }
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    std::cerr << "linkready: the agent's answer is not JSON\n";
    return int(Status::Unknown);
  }
  if (json) {
    std::cout << j.dump(2) << "\n";
  } else {
    auto report = reportFromJson(j);
    if (!report) {
      std::cerr << "linkready: " << report.error() << "\n";
      return int(Status::Unknown);
    }
    std::cout << renderText(*report, TextStyle{wantColour(STDOUT_FILENO)});
  }
  return j.value("status_code", 3);
}

int runValidate(const std::string& configPath) {
  auto cfg = loadConfig(configPath);
  if (!cfg) return kExitUsage;
  std::cout << configPath << ": OK, " << cfg->links.size() << " link(s):";
  for (const auto& l : cfg->links) std::cout << " " << l.name << " (" << l.interface << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace

int runCli(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  CLI::App app{"linkready: proves a cloud interconnect is ready, layer by layer, from the edge router"};
  app.set_version_flag("--version", std::string("linkready ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  std::string configPath = config::kDefaultPath;
  app.add_option("-c,--config", configPath, "config file")->capture_default_str();
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log what the probes do (stderr)");

  CheckArgs check;
  auto* checkCmd = app.add_subcommand("check", "check every link (or --link NAME) bottom up and report");
  checkCmd->add_flag("--json", check.json, "print the versioned JSON report (schema linkready.report/v1)");
  checkCmd->add_option("--link", check.links, "check only this link (repeatable)");
  checkCmd->add_flag("--no-color", check.noColour, "no colour even on a terminal (NO_COLOR works too)");
  checkCmd->add_flag("--watch", check.watch, "refresh light levels and the link in place once a second");
  checkCmd->add_option("--count", check.count, "with --watch: stop after N refreshes")->check(CLI::PositiveNumber);

  auto* validateCmd = app.add_subcommand("validate-config", "check the config file and exit (0 valid, 3 not)");
  checkCmd->add_option("--intent", check.intentFiles, "check against Alibaba/Equinix API output (JSON files) instead of the config's links");
  checkCmd->add_option("--interface", check.intentInterface, "with --intent: the router port of the link")->default_val("eth1");

  std::vector<std::string> intentFiles;
  std::string intentOut, intentInterface = "CHANGEME";
  auto* intentCmd = app.add_subcommand("intent", "read Alibaba and Equinix API output: import it as config, reconcile it");
  intentCmd->require_subcommand(1);
  auto* intentImport = intentCmd->add_subcommand("import", "print the links section of a config built from the API output");
  intentImport->add_option("files", intentFiles, "aliyun vpc Describe* output, Equinix connection JSON")->required();
  intentImport->add_option("-o,--output", intentOut, "write to FILE instead of stdout");
  intentImport->add_option("--interface", intentInterface, "the router port to put in the links");
  auto* intentReconcile = intentCmd->add_subcommand("reconcile", "compare the sources with each other before anyone goes to the cage");
  intentReconcile->add_option("files", intentFiles, "aliyun vpc Describe* output, Equinix connection JSON")->required();

  auto* agentCmd = app.add_subcommand("agent", "run as the agent (systemd service): watch, report, serve status and metrics");
  bool statusJson = false;
  auto* statusCmd = app.add_subcommand("status", "print the running agent's latest report (from its local endpoint)");
  statusCmd->add_flag("--json", statusJson, "the report as JSON");

  OpticsArgs opt;
  auto* opticsCmd = app.add_subcommand("optics", "decode a transceiver per lane: live (IFACE) or a saved dump (--decode)");
  opticsCmd->add_option("interface", opt.interface, "interface whose module to read (needs CAP_NET_ADMIN)");
  opticsCmd->add_option("--decode", opt.decodeFile, "decode a saved dump: ethtool -m raw/hex output, or --save's form");
  opticsCmd->add_option("--pages", opt.pages, "upper pages in the dump after the lower page, e.g. 00,01,02,10,11");
  opticsCmd->add_option("--save", opt.saveFile, "also write the module's pages to FILE (decodable with --decode)");
  opticsCmd->add_option("--port-type", opt.portType, "judge against this ordered PMD, e.g. 10GBASE-LR");
  opticsCmd->add_flag("--json", opt.json, "print JSON (schema linkready.optics/v1)");

  app.footer(
      "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or usage/config error.\n"
      "Run as root (or with CAP_NET_ADMIN, CAP_NET_RAW) on the router, in its network namespace.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (verbose) spdlog::set_level(spdlog::level::debug);
  if (*checkCmd) return runCheck(configPath, app.get_option("--config")->count() > 0, check);
  if (*intentImport) {
    auto in = cloud::load(intentFiles);
    if (!in) {
      std::cerr << "linkready: " << in.error() << "\n";
      return kExitUsage;
    }
    auto yaml = intent::importYaml(*in, {intentInterface});
    if (!yaml) {
      std::cerr << "linkready: " << yaml.error() << "\n";
      return kExitUsage;
    }
    if (intentOut.empty()) {
      std::cout << *yaml;
    } else {
      std::ofstream out(intentOut);
      out << *yaml;
      if (!out) {
        std::cerr << "linkready: cannot write " << intentOut << "\n";
        return kExitUsage;
      }
    }
    return 0;
  }
  if (*intentReconcile) {
    auto in = cloud::load(intentFiles);
    if (!in) {
      std::cerr << "linkready: " << in.error() << "\n";
      return kExitUsage;
    }
    Status worst = Status::Ok;
    for (const auto& f : intent::reconcile(*in)) {
      Status st = Status(f.status);
      worst = worse(worst, st);
      std::cout << std::string(statusName(st)) << std::string(10 - statusName(st).size(), ' ') << f.what << "\n";
      if (st != Status::Ok) {
        std::cout << "          seen:     " << f.seen << "\n          expected: " << f.expected << "\n";
        if (!f.hint.empty()) std::cout << "          hint:     " << f.hint << "\n";
      }
    }
    return int(worst);
  }
  if (*validateCmd) return runValidate(configPath);
  if (*agentCmd) return runAgent(configPath);
  if (*statusCmd) return runStatus(configPath, statusJson);
  if (*opticsCmd) return runOptics(configPath, app.get_option("--config")->count() > 0, opt);
  return kExitUsage;
}

}  // namespace linkready
