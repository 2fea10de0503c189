// The module-level optics verdicts (internal to agent/check): the read itself, the
// module, its type against the order, CMIS module and data path states, diagnostics and
// missing pages. One concern a function; eval_optics.cpp judges the lanes.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "agent/check/check.h"
#include "config/config.h"
#include "probes/optics/module_facts.h"

namespace linkready::optics_verdicts {

inline std::string fmt(const char* f, double v) {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

inline bool isOptical(optics::Media m) {
  return m == optics::Media::SingleMode || m == optics::Media::MultiMode || m == optics::Media::Unknown;
}

std::string lanesText(const std::vector<int>& lanes);  // "5-8" or "1,3"

std::optional<CheckResult> readVerdict(const config::Link& link, const optics::ModuleFacts& m);
CheckResult moduleVerdict(const optics::ModuleFacts& m);
CheckResult typeVerdict(const config::Link& link, const optics::ModuleFacts& m);
std::optional<CheckResult> moduleStateVerdict(const optics::ModuleFacts& m);
std::vector<CheckResult> dataPathVerdicts(const optics::ModuleFacts& m);
std::optional<CheckResult> diagnosticsVerdict(const optics::ModuleFacts& m);

}  // namespace linkready::optics_verdicts
