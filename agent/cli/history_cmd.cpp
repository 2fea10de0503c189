// `history`: the running agent's flight recorder, a sparkline per series; no privileges needed.
#include <iostream>

#include "agent/cli/commands.h"
#include "agent/render/history_view.h"

namespace linkready::cli {

int runHistory(const ConfigArg& config, const HistoryArgs& args) {
  auto cfg = loadConfig(config.path);
  if (!cfg) return kExitUsage;
  if (!cfg->agent.listenPort) {
    std::cerr << "linkready: the agent serves no history (agent.listen: off in " << config.path << ")\n";
    return kExitUsage;
  }
  auto body = fetchFromAgent(cfg->agent, args.link.empty() ? "/v1/history" : "/v1/history/" + args.link);
  if (!body) return int(Status::Unknown);
  if (args.json) {
    std::cout << *body;
    return 0;
  }
  auto history = historyFromJson(*body);
  if (!history) {
    std::cerr << "linkready: the agent's history: " << history.error() << "\n";
    return int(Status::Unknown);
  }
  for (size_t i = 0; i < history->size(); ++i)
    std::cout << (i ? "\n" : "") << renderHistory((*history)[i], size_t(args.width));
  return 0;
}

}  // namespace linkready::cli
