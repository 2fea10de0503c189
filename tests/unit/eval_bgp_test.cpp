// BGP verdicts and hints on real FRR 8.4.4 output for each failure the field sees.
#include <catch2/catch.hpp>

#include "check_util.h"
#include "agent/check/eval_bgp.h"
#include "probes/bgp/frr_json.h"
#include "probes/bgp/frr_vty.h"
#include "test_util.h"

using namespace linkready;
using linkready::test::fixture;

namespace {

config::Link labLink(bool bfd = true) {
  config::Link l;
  l.name = "primary";
  l.interface = "eth1";
  l.ip.local = IpPrefix::parse("10.0.0.2/30");
  l.ip.local6 = IpPrefix::parse("2001:db8:ffff::2/126");
  config::Bgp b;
  b.peer = *IpAddress::parse("10.0.0.1");
  b.peer6 = *IpAddress::parse("2001:db8:ffff::1");
  b.localAs = 65010;
  b.bfd = bfd;
  l.bgp = b;
  return l;
}

bgp::BgpFacts factsFrom(const std::string& state, bool withBfd = true) {
  bgp::BgpFacts f;
  f.neighbors = *bgp::parseNeighbors(fixture("frr/" + state + "/bgp_vrf_all_neighbors.json"));
  if (withBfd) {
    f.bfdQueried = true;
    f.bfdPeers = *bgp::parseBfdPeers(fixture("frr/" + state + "/bfd_peers.json"));
  }
  return f;
}

using test::find;

}  // namespace

TEST_CASE("established with routes both ways and BFD: every BGP check OK", "[eval][bgp]") {
  auto f = factsFrom("01_established");
  f.advertised["default|10.0.0.1"] =
      *bgp::parseAdvertisedRoutes(fixture("frr/01_established/ip_bgp_neighbors_10_0_0_1_advertised_routes.json"), 45104);
  f.advertised["default|2001:db8:ffff::1"] = *bgp::parseAdvertisedRoutes(
      fixture("frr/01_established/bgp_ipv6_unicast_neighbors_2001_db8_ffff_1_advertised_routes.json"), 45104);
  auto checks = evaluateBgp(labLink(), f);
  for (const auto& c : checks) {
    INFO(c.id << ": " << c.summary << " / " << c.observed);
    CHECK(c.status == Status::Ok);
  }
  CHECK(find(checks, "bgp.ipv4.prefixes_advertised").observed ==
        "1 of ours (198.51.100.0/24), 3 of the VBR's reflected back");
  CHECK(find(checks, "bgp.ipv4.bfd").summary == "BFD up, single-hop, 300 ms x 3");
}

TEST_CASE("no neighbor for the VBR peer: CRITICAL naming it", "[eval][bgp]") {
  auto link = labLink();
  link.bgp->peer = *IpAddress::parse("10.0.0.5");
  auto checks = evaluateBgp(link, factsFrom("01_established"));
  const auto& c = find(checks, "bgp.ipv4.neighbor");
  CHECK(c.status == Status::Critical);
  CHECK(c.summary == "no neighbor 10.0.0.5 configured in FRR");
}

TEST_CASE("wrong remote-as in FRR: the ASN check says so, with the Alibaba hint", "[eval][bgp]") {
  auto checks = evaluateBgp(labLink(false), factsFrom("07_wrong_peer_as_local_nobfd", false));
  const auto& as = find(checks, "bgp.ipv4.remote_as");
  CHECK(as.status == Status::Critical);
  CHECK(as.observed == "45105");
  CHECK(as.expected == "45104");
  const auto& st = find(checks, "bgp.ipv4.state");
  CHECK(st.status == Status::Critical);
  CHECK_THAT(st.observed, Catch::Contains("last reset: BGP Notification send (OPEN Message Error/Bad Peer AS)"));
  CHECK_THAT(st.hint, Catch::StartsWith("ASN mismatch: we rejected the VBR's AS (Bad Peer AS)"));
}

TEST_CASE("the VBR rejects our AS: hint even where FRR 8.4 hid the NOTIFICATION behind BFD", "[eval][bgp]") {
  auto nobfd = evaluateBgp(labLink(false), factsFrom("08_wrong_local_as_at_peer_nobfd", false));
  CHECK_THAT(find(nobfd, "bgp.ipv4.state").hint, Catch::StartsWith("ASN mismatch: the VBR rejected our AS (Bad Peer AS): the BGP group's PeerAsn must be our local AS 65010"));
  auto bfd = evaluateBgp(labLink(), factsFrom("08_wrong_local_as_at_peer"));
  const auto& st = find(bfd, "bgp.ipv4.state");
  CHECK_THAT(st.hint, Catch::StartsWith("the VBR rejects every OPEN (6 NOTIFICATIONs received, 1 sessions established)"));
  CHECK_THAT(st.hint, Catch::Contains("usually an ASN mismatch"));
  // FRR's "BFD down received" is shown as untrustworthy, never as the cause.
  CHECK_THAT(st.observed, Catch::Contains("BFD down received - not trusted"));
}

TEST_CASE("admin shutdown: Idle (Admin) with the command to undo it", "[eval][bgp]") {
  auto checks = evaluateBgp(labLink(), factsFrom("02_admin_shutdown_local"));
  const auto& st = find(checks, "bgp.ipv4.state");
  CHECK(st.status == Status::Critical);
  CHECK(st.summary == "session to 10.0.0.1 is shut down in FRR (Idle Admin)");
  CHECK(st.hint == "session shut down in FRR: 'no neighbor 10.0.0.1 shutdown' under router bgp");
}

TEST_CASE("prefix limit: Idle (PfxCt) with the numbers", "[eval][bgp]") {
  auto checks = evaluateBgp(labLink(), factsFrom("12_max_prefix_exceeded"));
  const auto& st = find(checks, "bgp.ipv4.state");
  CHECK(st.summary == "session to 10.0.0.1 stopped by the prefix limit (Idle PfxCt)");
  CHECK_THAT(st.hint, Catch::Contains("'neighbor 10.0.0.1 maximum-prefix 2'"));
  CHECK_THAT(st.hint, Catch::Contains("Alibaba's default limit is 110"));
  CHECK(find(checks, "bgp.ipv6.state").status == Status::Ok);  // the v6 session is unaffected
}

TEST_CASE("RFC 8212: Established but Policy, nothing accepted or sent", "[eval][bgp]") {
  auto f = factsFrom("13_no_policy_rfc8212");
  f.advertised["default|10.0.0.1"] = bgp::AdvertisedRoutes{};
  auto checks = evaluateBgp(labLink(), f);
  CHECK(find(checks, "bgp.ipv4.state").status == Status::Ok);
  const auto& pol = find(checks, "bgp.ipv4.policy");
  CHECK(pol.status == Status::Critical);
  CHECK_THAT(pol.hint, Catch::StartsWith("FRR accepts and sends nothing without route-maps (RFC 8212"));
  CHECK(find(checks, "bgp.ipv4.prefixes_received").status == Status::Critical);
  CHECK(find(checks, "bgp.ipv4.prefixes_advertised").status == Status::Critical);
}

TEST_CASE("Active/Connect: MD5 counters tell mismatch from one-sided MD5, else check IP and VLAN", "[eval][bgp]") {
  auto f = factsFrom("09_md5_mismatch");
  f.md5 = bgp::parseTcpExtMd5(fixture("frr/netstat_md5_mismatch_edge.txt"));
  // A single check has no earlier reading: the totals (all sessions, since bgpd's namespace
  // started) lead, with what to do if they are old news.
  auto once = evaluateBgp(labLink(), f);
  CHECK_THAT(find(once, "bgp.ipv4.state").hint, Catch::StartsWith("MD5 key mismatch (check for trailing spaces)"));
  CHECK_THAT(find(once, "bgp.ipv4.state").hint, Catch::Contains("if the counters do not rise in bgpd's namespace while "
                                                                "this session stays down"));
  f.md5 = bgp::parseTcpExtMd5(fixture("frr/netstat_md5_edge_only_edge.txt"));
  CHECK_THAT(find(evaluateBgp(labLink(), f), "bgp.ipv4.state").hint, Catch::StartsWith("we sign, the peer does not"));
  // The agent's earlier reading: only what rose since counts. The same totals again (a
  // mismatch long fixed, or another session's) say nothing about this session.
  f = factsFrom("09_md5_mismatch");
  f.md5 = bgp::parseTcpExtMd5(fixture("frr/netstat_md5_mismatch_edge.txt"));
  f.md5Before = f.md5;
  CHECK_THAT(find(evaluateBgp(labLink(), f), "bgp.ipv4.state").hint, Catch::StartsWith("TCP to the peer does not come up"));
  f.md5Before->failure -= 1;
  auto rose = evaluateBgp(labLink(), f);
  CHECK_THAT(find(rose, "bgp.ipv4.state").hint, Catch::StartsWith("MD5 key mismatch (check for trailing spaces)"));
  CHECK_THAT(find(rose, "bgp.ipv4.state").hint, !Catch::Contains("old news"));
  CHECK_THAT(find(rose, "bgp.ipv4.state").observed, Catch::Contains("kernel TCP-MD5 counters in the last 5 minutes: 1 failures"));
  auto never = evaluateBgp(labLink(), factsFrom("15_never_established"));
  const auto& st = find(never, "bgp.ipv4.state");
  CHECK(st.observed == "Active, never established");  // the initial "Waiting for peer OPEN" is not a reason
  CHECK_THAT(st.hint, Catch::StartsWith("TCP to the peer does not come up: check the IP and VLAN layers first"));
}

TEST_CASE("a session that reset recently is a WARNING (flapping)", "[eval][bgp]") {
  auto f = factsFrom("01_established");
  for (auto& n : f.neighbors)
    if (n.address == "10.0.0.1") n.connectionsDropped = 2;  // came back 4 s ago after 2 resets
  auto checks = evaluateBgp(labLink(), f);
  const auto& s = find(checks, "bgp.ipv4.stability");
  CHECK(s.status == Status::Warning);
  CHECK(s.summary == "session reset 2 times, last 4 s ago");
}

TEST_CASE("close to the route limit is a WARNING, BFD down while BGP is up is CRITICAL", "[eval][bgp]") {
  auto f = factsFrom("01_established");
  auto link = labLink();
  link.bgp->maxPrefixes = 3;
  for (auto& b : f.bfdPeers)
    if (b.peer == "10.0.0.1") b.status = "down", b.diagnostic = "control detection time expired";
  auto checks = evaluateBgp(link, f);
  CHECK(find(checks, "bgp.ipv4.prefixes_received").status == Status::Warning);
  CHECK(find(checks, "bgp.ipv4.bfd").status == Status::Critical);
  CHECK_THAT(find(checks, "bgp.ipv4.bfd").observed, Catch::Contains("control detection time expired"));
}

TEST_CASE("FRR's own maximum-prefix below the order's limit: the WARNING comes before FRR tears the session down",
          "[eval][bgp]") {
  auto f = factsFrom("01_established");
  for (auto& n : f.neighbors)
    if (n.address == "10.0.0.1")
      for (auto& [family, af] : n.families) af.maxPrefixes = 3;  // neighbor 10.0.0.1 maximum-prefix 3
  auto checks = evaluateBgp(labLink(), f);
  const auto& c = find(checks, "bgp.ipv4.prefixes_received");
  CHECK(c.status == Status::Warning);
  CHECK(c.summary == "received 3 prefixes, close to FRR's maximum-prefix of 3");
  CHECK_THAT(c.hint, Catch::Contains("FRR tears the session down at 4 prefixes: raise 'neighbor 10.0.0.1 maximum-prefix'"));
  // With warning-only FRR only logs past its limit: no teardown to warn of.
  for (auto& n : f.neighbors)
    for (auto& [family, af] : n.families) af.maxPrefixesWarningOnly = true;
  CHECK(find(evaluateBgp(labLink(), f), "bgp.ipv4.prefixes_received").status == Status::Ok);
  // A maximum-prefix above the order's limit changes nothing.
  for (auto& n : f.neighbors)
    for (auto& [family, af] : n.families) af.maxPrefixes = 1000, af.maxPrefixesWarningOnly = false;
  CHECK(find(evaluateBgp(labLink(), f), "bgp.ipv4.prefixes_received").status == Status::Ok);
}

TEST_CASE("maximum-prefix as FRR shows it: warning-only, and restart with its interval", "[eval][bgp][frr]") {
  // Captured from FRR 8.4.4 (tests/fixtures/frr/SOURCE.md, maximum_prefix/).
  auto read = [](const std::string& name) {
    auto n = bgp::parseVrfNeighbors(fixture("frr/maximum_prefix/neighbors_10_0_0_1_" + name + ".json"), "default");
    REQUIRE(n);
    REQUIRE(n->size() == 1);
    return n->front().families.at("ipv4Unicast");
  };
  auto plain = read("plain"), warningOnly = read("warning_only"), restart = read("restart");
  CHECK(plain.maxPrefixes == 4u);
  CHECK_FALSE(plain.maxPrefixesWarningOnly);
  CHECK_FALSE(plain.maxPrefixesRestartMs);
  CHECK(warningOnly.maxPrefixesWarningOnly);
  CHECK(restart.maxPrefixesRestartMs == 300000u);  // restart 5 (minutes)
  // Torn down with a restart interval: the hint says FRR comes back by itself.
  auto f = factsFrom("12_max_prefix_exceeded");
  for (auto& n : f.neighbors)
    if (n.address == "10.0.0.1") n.families["ipv4Unicast"].maxPrefixesRestartMs = 300000;
  CHECK_THAT(find(evaluateBgp(labLink(), f), "bgp.ipv4.state").hint,
             Catch::EndsWith("FRR tries again 5 min after the teardown (maximum-prefix ... restart), or 'clear bgp "
                             "10.0.0.1' at once"));
}

TEST_CASE("BFD: a peer of the same address in another VRF is not this session's", "[eval][bgp]") {
  auto f = factsFrom("01_established");
  for (auto& b : f.bfdPeers)
    if (b.peer == "10.0.0.1") b.vrf = "blue";  // the VBR of another VRF on the same /30
  auto checks = evaluateBgp(labLink(), f);
  const auto& c = find(checks, "bgp.ipv4.bfd");
  INFO(c.summary);
  CHECK(c.status != Status::Ok);
  CHECK_THAT(c.summary, !Catch::Contains("BFD up"));
}

TEST_CASE("bgpd unreachable: one UNKNOWN with the hint for the cause", "[eval][bgp]") {
  bgp::BgpFacts f;
  f.queryError = "bgpd is not running (/var/run/frr/bgpd.vty: Connection refused)";
  f.queryErrorKind = bgp::QueryErrorKind::NotRunning;
  auto checks = evaluateBgp(labLink(), f);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].status == Status::Unknown);
  CHECK_THAT(checks[0].hint, Catch::StartsWith("bgpd not running"));
  f.queryErrorKind = bgp::QueryErrorKind::PermissionDenied;
  CHECK(evaluateBgp(labLink(), f)[0].hint == "permission denied: add the agent to group frrvty");
}
