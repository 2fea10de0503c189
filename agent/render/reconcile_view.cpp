#include "agent/render/reconcile_view.h"

#include <sstream>

#include "agent/render/render.h"

namespace linkready::intent {

std::string reconcileText(const Reconciliation& r) {
  std::ostringstream o;
  for (const auto& f : r.findings) {
    const CheckResult& c = f.check;
    std::string st(statusName(c.status));
    o << st << std::string(st.size() < 10 ? 10 - st.size() : 1, ' ') << c.summary << "\n";
    if (c.status != Status::Ok) {
      o << "          seen:     " << c.observed << "\n          expected: " << c.expected << "\n";
      if (!c.hint.empty()) o << "          hint:     " << c.hint << "\n";
    }
  }
  if (!r.circuits.empty()) {
    o << "\nGoogle circuit -> Alibaba port\n";
    for (const auto& m : r.circuits)
      o << "  " << m.circuitId << " -> " << (m.physicalConnectionId.empty() ? "?" : m.physicalConnectionId)
        << (m.vbrId.empty() ? "" : " (" + m.vbrId + ")") << (m.matchedBy.empty() ? "" : ", by " + m.matchedBy)
        << (m.crossed ? "  CROSSED" : "") << "\n";
  }
  for (const auto& p : r.pairs)
    o << "\npair " << p.first << " + " << p.second << ": " << pairVerdictName(p.verdict) << " (" << p.summary << ")\n";
  return o.str();
}

nlohmann::json reconcileJson(const Reconciliation& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& f : r.findings) {
    nlohmann::json c = checkToJson(f.check);
    c["subject"] = f.subject;
    c["connection"] = f.connection;
    checks.push_back(std::move(c));
  }
  nlohmann::json circuits = nlohmann::json::array();
  for (const auto& m : r.circuits)
    circuits.push_back({{"circuit_id", m.circuitId},
                        {"google_demarc", m.googleDemarc},
                        {"physical_connection_id", m.physicalConnectionId},
                        {"vbr_id", m.vbrId},
                        {"matched_by", m.matchedBy},
                        {"crossed", m.crossed}});
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& p : r.pairs)
    pairs.push_back({{"connections", {p.first, p.second}}, {"verdict", pairVerdictName(p.verdict)}, {"summary", p.summary}});
  return {{"schema", kReconcileSchema},       {"status", statusName(r.status)}, {"status_code", int(r.status)},
          {"checks", checks},                 {"circuits", circuits},           {"pairs", pairs}};
}

}  // namespace linkready::intent
