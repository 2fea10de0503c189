// The engine's bottom-up logic: first broken layer, dependency marks, readiness, and the
// JSON document's shape.
#include <catch2/catch.hpp>

#include "agent/render/render.h"
#include "agent/check/report.h"

using namespace linkready;

namespace {
Report emptyReport() {
  Report rep;
  rep.agentId = "edge-hk-01";
  rep.version = "0.1.0";
  rep.generatedAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  return rep;
}
}  // namespace

TEST_CASE("the first CRITICAL layer is named and the verdicts above depend on it", "[report]") {
  std::vector<CheckResult> checks = {
      verdict(Status::Critical, "bgp.ipv4.state", Layer::Bgp, "Active", "Active", "Established", "tcp"),
      ok("link.exists", Layer::Link, "exists", "eth1", "eth1"),
      verdict(Status::Critical, "link.carrier", Layer::Link, "no carrier", "no carrier", "carrier up", "cable"),
      verdict(Status::Warning, "optics.rx", Layer::Optics, "low", "-12", ">-11", "clean"),
  };
  LinkReport r = finalizeLink("primary", "eth1", checks);
  REQUIRE(r.firstBroken == Layer::Link);
  CHECK(r.readiness == Readiness::NotReady);
  CHECK(r.status == Status::Critical);
  // Sorted bottom up; only what sits above the broken layer depends on it.
  CHECK(r.checks[0].layer == Layer::Optics);
  CHECK_FALSE(r.checks[0].dependsOn);
  CHECK_FALSE(r.checks[1].dependsOn);
  CHECK(r.checks[3].id == "bgp.ipv4.state");
  CHECK(r.checks[3].dependsOn == Layer::Link);
}

TEST_CASE("readiness: READY all OK, DEGRADED only warnings, NOT_READY otherwise", "[report]") {
  auto okCheck = ok("link.exists", Layer::Link, "", "", "");
  auto warn = verdict(Status::Warning, "link.errors", Layer::Link, "", "", "", "");
  auto unknown = verdict(Status::Unknown, "link.speed", Layer::Link, "", "", "", "");
  CHECK(finalizeLink("a", "e", {okCheck}).readiness == Readiness::Ready);
  CHECK(finalizeLink("a", "e", {okCheck, warn}).readiness == Readiness::Degraded);
  CHECK(finalizeLink("a", "e", {okCheck, warn, unknown}).readiness == Readiness::NotReady);
  CHECK(finalizeLink("a", "e", {okCheck, warn, unknown}).status == Status::Unknown);
  CHECK_FALSE(finalizeLink("a", "e", {unknown}).firstBroken);  // unproven is not broken
}

TEST_CASE("exit status ranks CRITICAL over UNKNOWN over WARNING", "[report]") {
  CHECK(worse(Status::Warning, Status::Unknown) == Status::Unknown);
  CHECK(worse(Status::Critical, Status::Unknown) == Status::Critical);
  CHECK(worse(Status::Ok, Status::Warning) == Status::Warning);
}

TEST_CASE("JSON report carries status codes and depends_on", "[report][json]") {
  Report rep = emptyReport();
  rep.links.push_back(finalizeLink(
      "primary", "eth1",
      {verdict(Status::Critical, "link.carrier", Layer::Link, "no carrier", "no carrier", "carrier up", "cable"),
       verdict(Status::Critical, "bgp.ipv4.state", Layer::Bgp, "Active", "Active", "Established", "tcp")}));
  rep.status = worstStatus(rep.links);
  auto j = reportToJson(rep);
  CHECK(j["schema"] == "linkready.report/v1");
  CHECK(j["generated_at"] == "2023-11-14T22:13:20.123Z");
  CHECK(j["status_code"] == 2);
  CHECK(j["links"][0]["first_broken_layer"] == "link");
  CHECK(j["links"][0]["checks"][1]["depends_on"] == "link");
  CHECK(j["links"][0]["checks"][0]["depends_on"].is_null());
}

TEST_CASE("text report: no colour codes unless asked, hint lines for what is not OK", "[report][text]") {
  Report rep;
  rep.agentId = "a";
  rep.version = "0.1.0";
  rep.links.push_back(finalizeLink(
      "primary", "eth1",
      {verdict(Status::Critical, "link.carrier", Layer::Link, "no carrier on eth1", "no carrier", "carrier up",
               "check the cross-connect")}));
  rep.status = worstStatus(rep.links);
  std::string plain = renderText(rep, TextStyle{false});
  CHECK(plain.find('\033') == std::string::npos);
  CHECK_THAT(plain, Catch::Contains("LINK primary (eth1): NOT_READY - first broken layer: link"));
  CHECK_THAT(plain, Catch::Contains("hint:     check the cross-connect"));
  CHECK_THAT(plain, Catch::Contains("overall: CRITICAL (exit 2)"));
  CHECK(renderText(rep, TextStyle{true}).find("\033[") != std::string::npos);
}

TEST_CASE("the report JSON read back by `status` is the report that was written", "[report][json]") {
  Report rep = emptyReport();
  rep.links.push_back(finalizeLink(
      "primary", "eth1",
      {ok("optics.type", Layer::Optics, "module is 10GBASE-LR as ordered", "10GBASE-LR", "10GBASE-LR"),
       verdict(Status::Critical, "link.carrier", Layer::Link, "no carrier", "no carrier", "carrier up", "cable"),
       verdict(Status::Critical, "bgp.ipv4.state", Layer::Bgp, "Active", "Active", "Established", "tcp")}));
  rep.links.push_back(finalizeLink("secondary", "eth2", {ok("link.carrier", Layer::Link, "carrier up", "up", "up")}));
  rep.links[1].proofFrom = rep.generatedAt - std::chrono::seconds(90);  // the agent's re-proof
  rep.pairs.push_back(judgePair(rep.links[0], rep.links[1], false));
  rep.probes.push_back({"bgp", 0.0125, true});
  rep.probes.push_back({"optics", 0.5, false});
  rep.status = worstStatus(rep.links);

  nlohmann::json written = reportToJson(rep);
  auto back = reportFromJson(nlohmann::json::parse(written.dump()));
  REQUIRE(back);
  CHECK(reportToJson(*back) == written);  // every field, pairs and probes included
  CHECK(back->generatedAt == rep.generatedAt);
  CHECK(back->links[0].firstBroken == Layer::Link);
  CHECK(back->links[0].checks[2].dependsOn == Layer::Link);
  CHECK(back->pairs[0].verdict == PairVerdict::Degraded);
  CHECK_FALSE(back->links[0].proofFrom);
  CHECK(back->links[1].proofFrom == rep.links[1].proofFrom);
  CHECK(renderText(*back, TextStyle{false}) == renderText(rep, TextStyle{false}));
  CHECK_THAT(renderText(*back, TextStyle{false}),
             Catch::Contains("LINK secondary (eth2): READY\n  vlan and ip: the on-wire proof and echoes of "
                             "2023-11-14T22:11:50.123Z (a steady link is proved again every agent.reprove, or on a "
                             "change)\n"));
}

TEST_CASE("a report JSON not as the schema says is an error naming the JSON path", "[report][json]") {
  Report rep;
  rep.agentId = "a";
  rep.version = "0.1.0";
  rep.links.push_back(finalizeLink("primary", "eth1", {ok("link.carrier", Layer::Link, "", "", "")}));
  const nlohmann::json good = reportToJson(rep);
  auto errorOf = [&](const std::string& pointer, const nlohmann::json& value) {
    nlohmann::json j = good;
    if (value.is_discarded()) j.erase(j.find(pointer.substr(1)));
    else j[nlohmann::json::json_pointer(pointer)] = value;
    auto r = reportFromJson(j);
    return r ? std::string("no error") : r.error();
  };
  const nlohmann::json remove(nlohmann::json::value_t::discarded);
  CHECK(errorOf("/status_code", 7) == "report JSON: /status_code: 7 is not 0-3");
  CHECK(errorOf("/status_code", "2") == "report JSON: /status_code: expected a whole number");
  CHECK(errorOf("/links", remove) == "report JSON: /links: missing");
  CHECK(errorOf("/links/0/checks/0/layer", "ip6") == "report JSON: /links/0/checks/0/layer: 'ip6' is not a layer");
  CHECK(errorOf("/links/0/checks/0/summary", nlohmann::json::object()) ==
        "report JSON: /links/0/checks/0/summary: expected a string");
  CHECK(errorOf("/links/0/readiness", "MAYBE") == "report JSON: /links/0/readiness: 'MAYBE' is not a known value");
  CHECK(errorOf("/links/0/first_broken_layer", 1) == "report JSON: /links/0/first_broken_layer: expected a string or null");
  CHECK(errorOf("/generated_at", "yesterday") ==
        "report JSON: /generated_at: 'yesterday' is not a time like 2026-11-22T00:45:10.120Z");
  CHECK(errorOf("/generated_at", "2926-11-22T00:45:10.120Z") ==  // beyond the clock: found by fuzzing
        "report JSON: /generated_at: '2926-11-22T00:45:10.120Z' is not a time like 2026-11-22T00:45:10.120Z");
  CHECK(errorOf("/links/0", 3) == "report JSON: /links/0: expected an object");
  CHECK(errorOf("/links/0/proof_from", "a while ago") ==
        "report JSON: /links/0/proof_from: 'a while ago' is not a time like 2026-11-22T00:45:10.120Z");
  CHECK(errorOf("/links/0/proof_from", 12) == "report JSON: /links/0/proof_from: expected a string");
  CHECK(errorOf("/schema", "linkready.report/v2") == "not a linkready.report/v1 document");
  CHECK(errorOf("/agent/id", "b") == "no error");
}

TEST_CASE("bytes that are not UTF-8 (a module's vendor field) do not stop the JSON report", "[report][json]") {
  Report r;
  r.agentId = "edge";
  r.links.push_back(finalizeLink("primary", "eth1",
                                 {ok("optics.identity", Layer::Optics, "vendor \xff\xfeOPTIC", "\xc3", "any")}));
  std::string text;
  REQUIRE_NOTHROW(text = jsonText(reportToJson(r), 2));
  CHECK(text.find("vendor \xef\xbf\xbd\xef\xbf\xbdOPTIC") != std::string::npos);  // U+FFFD each
}
