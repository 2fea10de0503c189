#include <cstdio>
#include <ctime>
#include <utility>

#include "agent/render/render.h"

namespace linkready {

std::string isoTime(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, int(ms % 1000));
  return out;
}

nlohmann::json checkToJson(const CheckResult& c) {
  return {
      {"id", c.id},
      {"layer", layerName(c.layer)},
      {"status", statusName(c.status)},
      {"status_code", int(c.status)},
      {"summary", c.summary},
      {"observed", c.observed},
      {"expected", c.expected},
      {"hint", c.hint},
      {"depends_on", c.dependsOn ? nlohmann::json(layerName(*c.dependsOn)) : nlohmann::json(nullptr)},
  };
}

nlohmann::json reportToJson(const Report& report) {
  nlohmann::json links = nlohmann::json::array();
  for (const LinkReport& l : report.links) {
    nlohmann::json checks = nlohmann::json::array();
    for (const CheckResult& c : l.checks) checks.push_back(checkToJson(c));
    links.push_back({
        {"name", l.name},
        {"interface", l.interface},
        {"readiness", readinessName(l.readiness)},
        {"status", statusName(l.status)},
        {"status_code", int(l.status)},
        {"first_broken_layer", l.firstBroken ? nlohmann::json(layerName(*l.firstBroken)) : nlohmann::json(nullptr)},
        {"checks", std::move(checks)},  // moved: a copy per link cost more than building it
    });
    if (l.proofFrom) links.back()["proof_from"] = isoTime(*l.proofFrom);
  }
  nlohmann::json probes = nlohmann::json::array();
  for (const ProbeRun& p : report.probes)
    probes.push_back({{"probe", p.probe}, {"duration_seconds", p.seconds}, {"success", p.success}});
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairReport& p : report.pairs)
    pairs.push_back({{"links", {p.first, p.second}}, {"verdict", pairVerdictName(p.verdict)}, {"summary", p.summary}});
  return {
      {"schema", kReportSchema},
      {"pairs", std::move(pairs)},
      {"agent", {{"id", report.agentId}, {"version", report.version}}},
      {"generated_at", isoTime(report.generatedAt)},
      {"status", statusName(report.status)},
      {"status_code", int(report.status)},
      {"links", std::move(links)},
      {"probes", std::move(probes)},
  };
}

std::string jsonText(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace linkready
