// The report as a monitoring plugin prints it (Nagios, Icinga, Checkmk, Zabbix agents):
// one status line, a short line per failing check, and performance data in the plugin
// format 'label'=value[UOM];warn;crit;min;max. The exit code stays the report's status.
#pragma once

#include <map>
#include <string>

#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "config/config.h"

namespace linkready {

// `facts` by link name (what the probes saw); links without facts get no perfdata.
std::string renderNagios(const config::Config& cfg, const Report& report,
                         const std::map<std::string, Observation>& facts);

}  // namespace linkready
