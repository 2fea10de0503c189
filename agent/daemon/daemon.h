// `linkready agent`: checks every link periodically and at once on rtnetlink link events,
// keeps the latest report, spools readiness reports for the orchestrator and delivers
// them, serves status and metrics over HTTP, and speaks sd_notify to systemd.
#pragma once

#include <string>

namespace linkready {

// Runs until SIGTERM or SIGINT. Returns the process exit code (3 for a config or start-up
// error, with the reason on stderr / in the journal).
int runAgent(const std::string& configPath);

}  // namespace linkready
