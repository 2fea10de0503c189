// Readiness reports as CloudEvents 1.0 (structured mode): `data` is the `check --json`
// document for one link, plus the agent id, the link, the sequence number and the time.
#pragma once

#include <cstdint>
#include <string>

#include "agent/report.h"
#include "agent/spool.h"

namespace linkready {

inline constexpr const char* kReadinessEventType = "com.linkready.readiness.v1";

// `report` holds the link (and possibly others); only `link` goes into the event.
std::string readinessEvent(const Report& report, const LinkReport& link, EventKind kind, uint64_t sequence);

}  // namespace linkready
