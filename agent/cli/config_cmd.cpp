// `validate-config`, and the config loading every subcommand shares.
#include <unistd.h>

#include <iostream>

#include "agent/cli/commands.h"

namespace linkready::cli {

bool ConfigArg::present() const { return given || access(path.c_str(), R_OK) == 0; }

std::optional<config::Config> loadConfig(const std::string& path) {
  auto cfg = config::fromFile(path);
  if (!cfg) {
    std::cerr << config::formatErrors(cfg.error());
    std::cerr << "linkready: " << cfg.error().size() << " error(s) in " << path << "\n";
    return std::nullopt;
  }
  return std::move(*cfg);
}

int runValidate(const ConfigArg& config) {
  auto cfg = loadConfig(config.path);
  if (!cfg) return kExitUsage;
  std::cout << config.path << ": OK, " << cfg->links.size() << " link(s):";
  for (const auto& l : cfg->links) std::cout << " " << l.name << " (" << l.interface << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace linkready::cli
