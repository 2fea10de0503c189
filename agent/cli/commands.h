// The subcommands, one file each, behind plain argument structs: cli.cpp parses the
// command line (CLI11, slow to compile, lives there only) and calls one of these.
// Each returns the process exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or a
// usage/config error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace linkready::cli {

inline constexpr int kExitUsage = 3;

// Where the config is, and whether the user named it (a named config that cannot be
// read is an error; the default one may be absent for some subcommands).
struct ConfigArg {
  std::string path = config::kDefaultPath;
  bool given = false;
  bool present() const;  // given, or the default exists and is readable
};

// The config, or nullopt after printing every error (file:line:column) to stderr.
std::optional<config::Config> loadConfig(const std::string& path);

struct CheckArgs {
  std::vector<std::string> intentFiles;  // check against the cloud's API output instead of the config's links
  std::string intentInterface;
  std::string format = "text";  // text, json (also --json) or nagios (a monitoring plugin's output)
  bool noColour = false;
  bool watch = false;
  int count = 0;  // --watch frames; 0 = until interrupted
  std::string soak;  // --soak DURATION: a window of samples after the checks ("60s")
  std::vector<std::string> links;
};
int runCheck(const ConfigArg& config, const CheckArgs& args);

struct OpticsArgs {
  std::string interface;
  std::string decodeFile;
  std::string pages;
  std::string saveFile;
  std::string portType;
  bool json = false;
};
int runOptics(const ConfigArg& config, const OpticsArgs& args);

struct IntentArgs {
  std::vector<std::string> files;
  std::string output;                // import: write here instead of stdout
  std::string interface = "CHANGEME";
  bool json = false;                 // reconcile: the check fields of `check --json`
};
int runIntentImport(const IntentArgs& args);
int runIntentReconcile(const IntentArgs& args);

// GET `path` from the running agent's local endpoint; nullopt after saying why on stderr.
std::optional<std::string> fetchFromAgent(const config::Agent& agent, const std::string& path);

struct HistoryArgs {
  std::string link;  // empty: every link
  bool json = false;
  int width = 60;
};
int runHistory(const ConfigArg& config, const HistoryArgs& args);

int runStatus(const ConfigArg& config, bool json);
int runValidate(const ConfigArg& config);

}  // namespace linkready::cli
