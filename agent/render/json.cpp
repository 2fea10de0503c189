#include <cstdio>
#include <ctime>

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
        {"checks", checks},
    });
  }
  nlohmann::json probes = nlohmann::json::array();
  for (const ProbeRun& p : report.probes)
    probes.push_back({{"probe", p.probe}, {"duration_seconds", p.seconds}, {"success", p.success}});
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairReport& p : report.pairs)
    pairs.push_back({{"links", {p.first, p.second}}, {"verdict", pairVerdictName(p.verdict)}, {"summary", p.summary}});
  return {
      {"schema", kReportSchema},
      {"pairs", pairs},
      {"agent", {{"id", report.agentId}, {"version", report.version}}},
      {"generated_at", isoTime(report.generatedAt)},
      {"status", statusName(report.status)},
      {"status_code", int(report.status)},
      {"links", links},
      {"probes", probes},
  };
}

tl::expected<Report, std::string> reportFromJson(const nlohmann::json& j) {
  if (!j.is_object() || j.value("schema", "") != kReportSchema)
    return tl::unexpected(std::string("not a ") + kReportSchema + " document");
  try {
    Report r;
    r.agentId = j.at("agent").at("id");
    r.version = j.at("agent").at("version");
    r.status = Status(j.at("status_code").get<int>());
    std::string t = j.at("generated_at");
    std::tm tm{};
    int ms = 0;
    if (sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &ms) == 7) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      r.generatedAt = std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
    }
    for (const auto& l : j.at("links")) {
      LinkReport lr;
      lr.name = l.at("name");
      lr.interface = l.at("interface");
      std::string rd = l.at("readiness");
      lr.readiness = rd == "READY" ? Readiness::Ready : rd == "DEGRADED" ? Readiness::Degraded : Readiness::NotReady;
      lr.status = Status(l.at("status_code").get<int>());
      if (!l.at("first_broken_layer").is_null()) lr.firstBroken = layerFromName(l.at("first_broken_layer").get<std::string>());
      for (const auto& c : l.at("checks")) {
        CheckResult cr;
        cr.id = c.at("id");
        cr.layer = layerFromName(c.at("layer").get<std::string>()).value_or(Layer::Link);
        cr.status = Status(c.at("status_code").get<int>());
        cr.summary = c.at("summary");
        cr.observed = c.at("observed");
        cr.expected = c.at("expected");
        cr.hint = c.at("hint");
        if (!c.at("depends_on").is_null()) cr.dependsOn = layerFromName(c.at("depends_on").get<std::string>());
        lr.checks.push_back(cr);
      }
      r.links.push_back(lr);
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    return tl::unexpected(std::string("report JSON: ") + e.what());
  }
}

}  // namespace linkready
