// Readiness reports as CloudEvents 1.0 (structured mode): `data` is the `check --json`
// document for one link, plus the agent id, the link, the spool id, the sequence number and
// the time. `source` names the agent: urn:linkready:agent:<agent id>.
#pragma once

#include <cstdint>
#include <string>

#include "agent/check/report.h"
#include "agent/check/window.h"

namespace linkready {

// A report on a change of readiness, or a heartbeat that says nothing changed.
enum class EventKind { Change, Heartbeat };
std::string_view eventKindName(EventKind k);  // "change", "heartbeat"

inline constexpr const char* kReadinessEventType = "com.linkready.readiness.v1";

// A report's identity, unique across agents and across the life of a spool:
// "<agent id>/<spool id>/<sequence>". It is the CloudEvent `id` and the Idempotency-Key.
std::string reportId(const std::string& agentId, const std::string& spoolId, uint64_t sequence);

// `report` holds the link (and possibly others); only `link` goes into the event. `around`:
// the window before a change, summarised (data.window), when the agent recorded one.
std::string readinessEvent(const Report& report, const LinkReport& link, EventKind kind, const std::string& spoolId,
                           uint64_t sequence, const window::Summary* around = nullptr);

}  // namespace linkready
