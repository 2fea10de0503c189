// The CLI is a thin presenter over the core: parse arguments, load the config, run,
// print. CLI11 is slow to compile, so it lives in this file only.
#include "agent/cli.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "agent/engine.h"
#include "agent/render.h"
#include "agent/version.h"
#include "config/config.h"

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
  bool json = false;
  bool noColour = false;
  std::vector<std::string> links;
};

int runCheck(const std::string& configPath, const CheckArgs& args) {
  auto cfg = loadConfig(configPath);
  if (!cfg) return kExitUsage;
  for (const std::string& name : args.links) {
    if (!cfg->findLink(name)) {
      std::string names;
      for (const auto& l : cfg->links) names += (names.empty() ? "" : ", ") + l.name;
      std::cerr << "linkready: no link named '" << name << "' in " << configPath << " (links: " << names << ")\n";
      return kExitUsage;
    }
  }
  LinuxSources linux(*cfg);
  Report report = runChecks(*cfg, linux.sources(), CheckOptions{args.links});
  if (args.json) {
    std::cout << reportToJson(report).dump(2) << "\n";
  } else {
    TextStyle style{!args.noColour && wantColour(STDOUT_FILENO)};
    std::cout << renderText(report, style);
  }
  return int(report.status);
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

  auto* validateCmd = app.add_subcommand("validate-config", "check the config file and exit (0 valid, 3 not)");

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
  if (*checkCmd) return runCheck(configPath, check);
  if (*validateCmd) return runValidate(configPath);
  return kExitUsage;
}

}  // namespace linkready
