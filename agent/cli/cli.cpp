// The command line: CLI11 parses it here (and only here: it is slow to compile) into the
// plain argument structs of commands.h, and one subcommand runs.
#include "agent/cli/cli.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "agent/cli/commands.h"
#include "agent/daemon/daemon.h"
#include "agent/version.h"

namespace linkready {

namespace {

using cli::kExitUsage;

// Shown under each subcommand's --help.
constexpr const char* kCheckExamples = R"(Examples:
  linkready check                                 every link, as a table
  linkready check --link primary --format json    one link, the versioned JSON report
  linkready check --format nagios                 as a Nagios/Icinga/Checkmk plugin (perfdata after |)
  linkready check --watch                         light and link once a second, at the patch panel
  linkready check --soak 60s                      the checks, then 60 s of samples: flaps, errors, light swing, loss
  linkready check --intent vbr.json groups.json peers.json --interface eth1)";
constexpr const char* kHistoryExamples = R"(Examples:
  linkready history primary                       light, errors, flaps, echoes and BGP over the last minutes
  curl -s http://127.0.0.1:9470/v1/history/primary the same for tools (JSON, a value a second))";
constexpr const char* kValidateExamples = R"(Examples:
  linkready validate-config
  linkready validate-config --config /etc/linkready/new.yaml && mv /etc/linkready/new.yaml /etc/linkready/linkready.yaml)";
constexpr const char* kIntentExamples = R"(Examples:
  aliyun vpc DescribeVirtualBorderRouters >vbr.json; aliyun vpc DescribeBgpGroups >groups.json
  aliyun vpc DescribeBgpPeers >peers.json; aliyun vpc DescribePhysicalConnections >pc.json
  linkready intent import vbr.json groups.json peers.json pc.json --interface eth1 -o links.yaml
  linkready intent reconcile vbr.json pc.json equinix.json)";
constexpr const char* kAgentExamples = R"(Examples:
  systemctl enable --now linkready            the packaged service runs this
  linkready agent --config lab.yaml           in the foreground; logs to stderr
  curl -s http://127.0.0.1:9470/metrics       what Prometheus scrapes)";
constexpr const char* kStatusExamples = R"(Examples:
  linkready status
  linkready status --json | jq '.links[] | {name, readiness}')";
constexpr const char* kOpticsExamples = R"(Examples:
  linkready optics eth1                                   live, per lane, module and IEEE side by side
  linkready optics eth1 --save sfp.bin                    keep the pages for later
  linkready optics --decode sfp.bin --port-type 10GBASE-LR
  linkready optics --decode dd.bin --pages 00,01,02,10,11 --json)";

CLI::App* addCheck(CLI::App& app, cli::CheckArgs& check) {
  auto* cmd = app.add_subcommand("check", "check every link (or --link NAME) bottom up and report");
  cmd->footer(kCheckExamples);
  auto* format = cmd->add_option("--format", check.format, "text, json (schema linkready.report/v1) or nagios (plugin output)")
                     ->check(CLI::IsMember({"text", "json", "nagios"}))
                     ->capture_default_str();
  auto* json = cmd->add_flag_callback("--json", [&check] { check.format = "json"; }, "the same as --format json")
                   ->excludes(format);
  cmd->add_option("--link", check.links, "check only this link (repeatable)");
  cmd->add_flag("--no-color", check.noColour, "no colour even on a terminal (NO_COLOR works too)");
  cmd->add_flag("--watch", check.watch, "refresh light levels and the link in place once a second (text only)")
      ->excludes(format)
      ->excludes(json);
  cmd->add_option("--count", check.count, "with --watch: stop after N refreshes")->check(CLI::PositiveNumber);
  cmd->add_option("--soak", check.soak,
                  "after the checks, sample every second for DURATION (10s, 5m): flaps, rising errors and FEC, "
                  "light swing, echo loss, session resets")
      ->check([](const std::string& v) -> std::string {
        auto ms = config::parseDurationMs(v);
        if (!ms) return "expected a duration like 30s, 5m or 1h, found '" + v + "'";
        if (*ms < 2000 || *ms > 24 * 3600 * 1000ull) return "a soak lasts 2s to 24h";
        return "";
      })
      ->excludes("--watch");
  cmd->add_option("--intent", check.intentFiles, "check against Alibaba/Equinix API output (JSON files) instead of the config's links; with Google's diagnostics, both ends of the fibre");
  cmd->add_option("--interface", check.intentInterface, "with --intent: the router port of the link (required)");
  return cmd;
}

struct IntentCommands {
  CLI::App* import = nullptr;
  CLI::App* reconcile = nullptr;
};

IntentCommands addIntent(CLI::App& app, cli::IntentArgs& intent) {
  auto* cmd = app.add_subcommand("intent", "read Alibaba and Equinix API output: import it as config, reconcile it");
  cmd->footer(kIntentExamples);
  cmd->require_subcommand(1);
  IntentCommands out;
  out.import = cmd->add_subcommand("import", "print the links section of a config built from the API output");
  out.import->footer(kIntentExamples);
  out.import->add_option("files", intent.files, "aliyun vpc Describe* output, Equinix connection JSON")->required();
  out.import->add_option("-o,--output", intent.output, "write to FILE instead of stdout");
  out.import->add_option("--interface", intent.interface, "the router port to put in the links");
  out.reconcile = cmd->add_subcommand("reconcile", "compare the sources with each other before anyone goes to the cage");
  out.reconcile->footer(kIntentExamples);
  out.reconcile->add_option("files", intent.files,
                            "aliyun vpc Describe* output, Equinix connection or port JSON, gcloud interconnects "
                            "get-diagnostics / describe and routers get-status (JSON or YAML)")->required();
  out.reconcile->add_flag("--json", intent.json, "JSON with the check fields of check --json");
  return out;
}

CLI::App* addOptics(CLI::App& app, cli::OpticsArgs& opt) {
  auto* cmd = app.add_subcommand("optics", "decode a transceiver per lane: live (IFACE) or a saved dump (--decode)");
  cmd->footer(kOpticsExamples);
  cmd->add_option("interface", opt.interface, "interface whose module to read (needs CAP_NET_ADMIN)");
  cmd->add_option("--decode", opt.decodeFile, "decode a saved dump: ethtool -m raw/hex output, or --save's form");
  cmd->add_option("--pages", opt.pages, "upper pages in the dump after the lower page, e.g. 00,01,02,10,11");
  cmd->add_option("--save", opt.saveFile, "also write the module's pages to FILE (decodable with --decode)");
  cmd->add_option("--port-type", opt.portType, "judge against this ordered PMD, e.g. 10GBASE-LR");
  cmd->add_flag("--json", opt.json, "print JSON (schema linkready.optics/v1)");
  return cmd;
}

// Every subcommand's arguments and its node in the parser, filled by parsing.
struct Commands {
  cli::ConfigArg config;
  CLI::Option* configOption = nullptr;
  bool verbose = false;
  cli::CheckArgs check;
  cli::IntentArgs intent;
  cli::OpticsArgs optics;
  bool statusJson = false;
  cli::HistoryArgs history;
  CLI::App *checkCmd = nullptr, *validateCmd = nullptr, *agentCmd = nullptr, *statusCmd = nullptr,
           *opticsCmd = nullptr, *historyCmd = nullptr;
  IntentCommands intentCmds;
};

void addCommands(CLI::App& app, Commands& c) {
  c.configOption = app.add_option("-c,--config", c.config.path, "config file")->capture_default_str();
  app.add_flag("-v,--verbose", c.verbose, "log what the probes do (stderr)");
  c.checkCmd = addCheck(app, c.check);
  c.validateCmd = app.add_subcommand("validate-config", "check the config file and exit (0 valid, 3 not)");
  c.validateCmd->footer(kValidateExamples);
  c.intentCmds = addIntent(app, c.intent);
  c.agentCmd = app.add_subcommand("agent", "run as the agent (systemd service): watch, report, serve status and metrics");
  c.agentCmd->footer(kAgentExamples);
  c.statusCmd = app.add_subcommand("status", "print the running agent's latest report (from its local endpoint)");
  c.statusCmd->add_flag("--json", c.statusJson, "the report as JSON");
  c.statusCmd->footer(kStatusExamples);
  c.opticsCmd = addOptics(app, c.optics);
  c.historyCmd = app.add_subcommand("history", "the agent's flight recorder: the last minutes of each link, a sparkline per series");
  c.historyCmd->add_option("link", c.history.link, "the link (default: every link)");
  c.historyCmd->add_flag("--json", c.history.json, "the agent's /v1/history document as it is");
  c.historyCmd->add_option("--width", c.history.width, "columns per sparkline")->check(CLI::Range(10, 400))->capture_default_str();
  c.historyCmd->footer(kHistoryExamples);
}

int dispatch(Commands& c) {
  if (c.verbose) spdlog::set_level(spdlog::level::debug);
  c.config.given = c.configOption->count() > 0;
  if (*c.checkCmd) return cli::runCheck(c.config, c.check);
  if (*c.intentCmds.import) return cli::runIntentImport(c.intent);
  if (*c.intentCmds.reconcile) return cli::runIntentReconcile(c.intent);
  if (*c.validateCmd) return cli::runValidate(c.config);
  if (*c.agentCmd) return runAgent(c.config.path);
  if (*c.statusCmd) return cli::runStatus(c.config, c.statusJson);
  if (*c.opticsCmd) return cli::runOptics(c.config, c.optics);
  if (*c.historyCmd) return cli::runHistory(c.config, c.history);
  return kExitUsage;
}

}  // namespace

int runCli(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  CLI::App app{"linkready: proves a cloud interconnect is ready, layer by layer, from the edge router"};
  app.set_version_flag("--version", std::string("linkready ") + kVersion + " (commit " + kCommit + ")");
  app.require_subcommand(1);
  app.fallthrough();
  Commands commands;
  addCommands(app, commands);
  app.footer(
      "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or usage/config error.\n"
      "Run as root (or with CAP_NET_ADMIN, CAP_NET_RAW) on the router, in its network namespace.\n"
      "Examples: linkready check; linkready check --format nagios; linkready COMMAND --help for more.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  return dispatch(commands);
}

}  // namespace linkready
