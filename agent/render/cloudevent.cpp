#include "agent/render/cloudevent.h"

#include "agent/render/render.h"

namespace linkready {

std::string_view eventKindName(EventKind k) { return k == EventKind::Change ? "change" : "heartbeat"; }

std::string readinessEvent(const Report& report, const LinkReport& link, EventKind kind, uint64_t sequence) {
  Report one = report;
  one.links = {link};
  one.status = link.status;
  nlohmann::json data = reportToJson(one);
  std::string time = isoTime(report.generatedAt);
  data["agent_id"] = report.agentId;
  data["link"] = link.name;
  data["sequence"] = sequence;
  data["time"] = time;
  data["reason"] = eventKindName(kind);
  nlohmann::json event = {
      {"specversion", "1.0"},
      {"type", kReadinessEventType},
      {"source", "urn:linkready:agent:" + report.agentId},
      {"id", report.agentId + "-" + std::to_string(sequence)},
      {"time", time},
      {"subject", link.name},
      {"datacontenttype", "application/json"},
      {"data", data},
  };
  return event.dump();
}

}  // namespace linkready
