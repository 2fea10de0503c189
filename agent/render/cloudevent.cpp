#include "agent/render/cloudevent.h"

#include "agent/render/history_view.h"

#include "agent/render/render.h"

namespace linkready {

std::string_view eventKindName(EventKind k) { return k == EventKind::Change ? "change" : "heartbeat"; }

std::string reportId(const std::string& agentId, const std::string& spoolId, uint64_t sequence) {
  return agentId + "/" + spoolId + "/" + std::to_string(sequence);
}

std::string readinessEvent(const Report& report, const LinkReport& link, EventKind kind, const std::string& spoolId,
                           uint64_t sequence, const window::Summary* around) {
  Report one;  // the report's own fields and this link only (a copy of every link per event cost N x N)
  one.agentId = report.agentId;
  one.version = report.version;
  one.generatedAt = report.generatedAt;
  one.probes = report.probes;
  one.pairs = report.pairs;
  one.links = {link};
  one.status = link.status;
  nlohmann::json data = reportToJson(one);
  std::string time = isoTime(report.generatedAt);
  data["agent_id"] = report.agentId;
  data["link"] = link.name;
  data["spool_id"] = spoolId;
  data["sequence"] = sequence;
  data["time"] = time;
  data["reason"] = eventKindName(kind);
  if (around) data["window"] = windowSummaryJson(*around);
  nlohmann::json event = {
      {"specversion", "1.0"},
      {"type", kReadinessEventType},
      {"source", "urn:linkready:agent:" + report.agentId},
      {"id", reportId(report.agentId, spoolId, sequence)},
      {"time", time},
      {"subject", link.name},
      {"datacontenttype", "application/json"},
      {"data", data},
  };
  return jsonText(event);
}

}  // namespace linkready
