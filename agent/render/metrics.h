// The agent's state in the Prometheus text exposition format, with the names in the
// house style (node_exporter conventions: base units, _total for counters).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "config/config.h"

namespace linkready {

struct AgentCounters {
  uint64_t reportsSent = 0, reportsFailed = 0, reportsSpooledTotal = 0, spoolEntries = 0, spoolBytes = 0;
  uint64_t droppedHeartbeats = 0, droppedChanges = 0;
  uint64_t reportsRejected = 0, coalescedHeartbeats = 0, spoolWriteErrors = 0, spoolQuarantined = 0;
  bool spoolWritable = true;
  uint64_t checksRun = 0;
  int64_t lastCheckUnix = 0;  // when the last check was published (Unix time)
  int64_t lastDeliveryUnix = 0;
  bool orchestratorConfigured = false;
};

// `facts` by link name (the latest probe results).
std::string renderMetrics(const config::Config& cfg, const Report& report,
                          const std::map<std::string, Observation>& facts, const AgentCounters& counters);

}  // namespace linkready
