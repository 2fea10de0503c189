// Readiness reports as CloudEvents 1.0 (structured mode): `data` is the `check --json`
// document for one link, plus the agent id, the link, the sequence number and the time.
#pragma once

#include <cstdint>
#include <string>

#include "agent/check/report.h"

namespace linkready {

// A report on a change of readiness, or a heartbeat that says nothing changed.
enum class EventKind { Change, Heartbeat };
std::string_view eventKindName(EventKind k);  // "change", "heartbeat"

inline constexpr const char* kReadinessEventType = "com.linkready.readiness.v1";

// `report` holds the link (and possibly others); only `link` goes into the event.
std::string readinessEvent(const Report& report, const LinkReport& link, EventKind kind, uint64_t sequence);

}  // namespace linkready
