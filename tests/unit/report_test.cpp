// The engine's bottom-up logic: first broken layer, dependency marks, readiness, and the
// JSON document's shape.
#include <catch2/catch.hpp>

#include "agent/render/render.h"
#include "agent/check/report.h"

using namespace linkready;

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
  Report rep;
  rep.agentId = "edge-hk-01";
  rep.version = "0.1.0";
  rep.generatedAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
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
