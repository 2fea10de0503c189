// The agent's bookkeeping: merging fast re-checks with full checks, change detection.
#include <catch2/catch.hpp>

#include "agent/daemon/agent_state.h"

using namespace linkready;
using namespace std::chrono_literals;

namespace {

// The monotonic clock reading standing for wall-clock time `at` (while the clock does not step).
std::chrono::steady_clock::time_point steadyAt(std::chrono::system_clock::time_point at) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(at.time_since_epoch()));
}

Report reportAt(std::chrono::system_clock::time_point at, std::vector<CheckResult> checks) {
  Report r;
  r.agentId = "a";
  r.generatedAt = at;
  r.began = steadyAt(at);
  r.links.push_back(finalizeLink("primary", "eth1", std::move(checks)));
  return r;
}

CheckResult carrier(Status s) { return verdict(s, "link.carrier", Layer::Link, "", "", "", ""); }
CheckResult bgpState(Status s) { return verdict(s, "bgp.ipv4.state", Layer::Bgp, "", "", "", ""); }

}  // namespace

TEST_CASE("agent state: the first report is a change, the same again is not, a status flip is", "[agent]") {
  AgentState st;
  auto t0 = std::chrono::system_clock::now();
  CHECK(st.merge(reportAt(t0, {carrier(Status::Ok), bgpState(Status::Ok)}), {}, {})[0].changed);
  CHECK_FALSE(st.merge(reportAt(t0 + 1s, {carrier(Status::Ok), bgpState(Status::Ok)}), {}, {})[0].changed);
  auto u = st.merge(reportAt(t0 + 2s, {carrier(Status::Ok), bgpState(Status::Critical)}), {}, {});
  CHECK(u[0].changed);
  CHECK(st.report().links[0].readiness == Readiness::NotReady);
}

TEST_CASE("agent state: a fast re-check replaces only its layers, and an older full check ending later is dropped",
          "[agent]") {
  AgentState st;
  auto t0 = std::chrono::system_clock::now();
  st.merge(reportAt(t0, {carrier(Status::Ok), bgpState(Status::Ok)}), {}, {});
  // A full check starts at t0+1s; the cable is pulled and the fast path reports at t0+2s.
  auto fast = st.merge(reportAt(t0 + 2s, {carrier(Status::Critical)}), {}, {Layer::Optics, Layer::Link});
  CHECK(fast[0].changed);
  auto r = st.report();
  REQUIRE(r.links[0].checks.size() == 2);  // BGP kept from the full check
  CHECK(r.links[0].firstBroken == Layer::Link);
  CHECK(r.links[0].checks[1].dependsOn == Layer::Link);
  // The full check that began before the pull ends now, with what it saw then: dropped
  // whole (the fast path asked for a new full check).
  auto stale = st.merge(reportAt(t0 + 1s, {carrier(Status::Ok), bgpState(Status::Warning)}), {}, {});
  CHECK(stale.empty());
  r = st.report();
  CHECK(r.links[0].checks[0].status == Status::Critical);  // the newer carrier verdict stays
  CHECK(r.links[0].checks[1].status == Status::Ok);        // and BGP as it was
  // The follow-up full check is newer: taken whole.
  st.merge(reportAt(t0 + 3s, {carrier(Status::Critical), bgpState(Status::Critical)}), {}, {});
  CHECK(st.report().links[0].checks[1].status == Status::Critical);
}

TEST_CASE("agent state: checks are ordered by when they began on the monotonic clock, not by the wall clock",
          "[agent]") {
  AgentState st;
  auto t0 = std::chrono::system_clock::now();
  st.merge(reportAt(t0, {carrier(Status::Ok), bgpState(Status::Ok)}), {}, {});
  // NTP steps the clock back 8 hours (a hardware clock kept in local time): the next checks
  // carry older wall-clock times, yet they are newer. A pulled cable must still show.
  Report later = reportAt(t0 - 8h, {carrier(Status::Critical), bgpState(Status::Ok)});
  later.began = steadyAt(t0) + 10s;
  auto u = st.merge(later, {}, {});
  REQUIRE(u.size() == 1);
  CHECK(u[0].changed);
  CHECK(st.report().links[0].readiness == Readiness::NotReady);
  Report fast = reportAt(t0 - 8h + 5s, {carrier(Status::Ok)});
  fast.began = steadyAt(t0) + 20s;
  CHECK(st.merge(fast, {}, {Layer::Optics, Layer::Link})[0].changed);
  CHECK(st.report().links[0].readiness == Readiness::Ready);
}

TEST_CASE("agent state: redundant pairs stay in the status, judged again when a partner changes", "[agent]") {
  AgentState st;
  auto t0 = std::chrono::system_clock::now();
  Report full;
  full.generatedAt = t0;
  full.began = steadyAt(t0);
  full.links.push_back(finalizeLink("primary", "eth1", {carrier(Status::Ok)}));
  full.links.push_back(finalizeLink("secondary", "eth2", {carrier(Status::Ok)}));
  full.pairs.push_back(judgePair(full.links[0], full.links[1], false));
  st.merge(full, {}, {});
  REQUIRE(st.report().pairs.size() == 1);
  CHECK(st.report().pairs[0].verdict == PairVerdict::Redundant);
  CHECK(st.report().pairs[0].summary == "both links up, on eth1 and eth2 (different NICs)");
  // The fast path after a pulled cable on eth2 checks that link alone: the pair follows.
  Report fast;
  fast.generatedAt = t0 + 1s;
  fast.began = steadyAt(t0 + 1s);
  fast.links.push_back(finalizeLink("secondary", "eth2", {carrier(Status::Critical)}));
  st.merge(fast, {}, {Layer::Optics, Layer::Link});
  REQUIRE(st.report().pairs.size() == 1);
  CHECK(st.report().pairs[0].verdict == PairVerdict::Degraded);
  // A reload that drops the pairing drops the pair.
  auto single = config::fromString("links:\n  - {name: primary, interface: eth1}\n  - {name: secondary, interface: eth2}\n");
  REQUIRE(single);
  st.retain(*single);
  CHECK(st.report().pairs.empty());
}
