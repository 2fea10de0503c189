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

CLI::App* addCheck(CLI::App& app, cli::CheckArgs& check) {
  auto* cmd = app.add_subcommand("check", "check every link (or --link NAME) bottom up and report");
  cmd->add_flag("--json", check.json, "print the versioned JSON report (schema linkready.report/v1)");
  cmd->add_option("--link", check.links, "check only this link (repeatable)");
  cmd->add_flag("--no-color", check.noColour, "no colour even on a terminal (NO_COLOR works too)");
  cmd->add_flag("--watch", check.watch, "refresh light levels and the link in place once a second");
  cmd->add_option("--count", check.count, "with --watch: stop after N refreshes")->check(CLI::PositiveNumber);
  cmd->add_option("--intent", check.intentFiles, "check against Alibaba/Equinix API output (JSON files) instead of the config's links; with Google's diagnostics, both ends of the fibre");
  cmd->add_option("--interface", check.intentInterface, "with --intent: the router port of the link")->default_val("eth1");
  return cmd;
}

struct IntentCommands {
  CLI::App* import = nullptr;
  CLI::App* reconcile = nullptr;
};

IntentCommands addIntent(CLI::App& app, cli::IntentArgs& intent) {
  auto* cmd = app.add_subcommand("intent", "read Alibaba and Equinix API output: import it as config, reconcile it");
  cmd->require_subcommand(1);
  IntentCommands out;
  out.import = cmd->add_subcommand("import", "print the links section of a config built from the API output");
  out.import->add_option("files", intent.files, "aliyun vpc Describe* output, Equinix connection JSON")->required();
  out.import->add_option("-o,--output", intent.output, "write to FILE instead of stdout");
  out.import->add_option("--interface", intent.interface, "the router port to put in the links");
  out.reconcile = cmd->add_subcommand("reconcile", "compare the sources with each other before anyone goes to the cage");
  out.reconcile->add_option("files", intent.files,
                            "aliyun vpc Describe* output, Equinix connection or port JSON, gcloud interconnects "
                            "get-diagnostics / describe and routers get-status (JSON or YAML)")->required();
  out.reconcile->add_flag("--json", intent.json, "JSON with the check fields of check --json");
  return out;
}

CLI::App* addOptics(CLI::App& app, cli::OpticsArgs& opt) {
  auto* cmd = app.add_subcommand("optics", "decode a transceiver per lane: live (IFACE) or a saved dump (--decode)");
  cmd->add_option("interface", opt.interface, "interface whose module to read (needs CAP_NET_ADMIN)");
  cmd->add_option("--decode", opt.decodeFile, "decode a saved dump: ethtool -m raw/hex output, or --save's form");
  cmd->add_option("--pages", opt.pages, "upper pages in the dump after the lower page, e.g. 00,01,02,10,11");
  cmd->add_option("--save", opt.saveFile, "also write the module's pages to FILE (decodable with --decode)");
  cmd->add_option("--port-type", opt.portType, "judge against this ordered PMD, e.g. 10GBASE-LR");
  cmd->add_flag("--json", opt.json, "print JSON (schema linkready.optics/v1)");
  return cmd;
}

}  // namespace

int runCli(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  CLI::App app{"linkready: proves a cloud interconnect is ready, layer by layer, from the edge router"};
  app.set_version_flag("--version", std::string("linkready ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  cli::ConfigArg config;
  auto* configOption = app.add_option("-c,--config", config.path, "config file")->capture_default_str();
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log what the probes do (stderr)");

  cli::CheckArgs check;
  auto* checkCmd = addCheck(app, check);
  auto* validateCmd = app.add_subcommand("validate-config", "check the config file and exit (0 valid, 3 not)");
  cli::IntentArgs intent;
  IntentCommands intentCmds = addIntent(app, intent);
  auto* agentCmd = app.add_subcommand("agent", "run as the agent (systemd service): watch, report, serve status and metrics");
  bool statusJson = false;
  auto* statusCmd = app.add_subcommand("status", "print the running agent's latest report (from its local endpoint)");
  statusCmd->add_flag("--json", statusJson, "the report as JSON");
  cli::OpticsArgs opt;
  auto* opticsCmd = addOptics(app, opt);

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
  config.given = configOption->count() > 0;
  if (*checkCmd) return cli::runCheck(config, check);
  if (*intentCmds.import) return cli::runIntentImport(intent);
  if (*intentCmds.reconcile) return cli::runIntentReconcile(intent);
  if (*validateCmd) return cli::runValidate(config);
  if (*agentCmd) return runAgent(config.path);
  if (*statusCmd) return cli::runStatus(config, statusJson);
  if (*opticsCmd) return cli::runOptics(config, opt);
  return kExitUsage;
}

}  // namespace linkready
