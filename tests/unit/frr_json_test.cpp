// FRR JSON decoders on real FRR 8.4.4 output (tests/fixtures/frr, see SOURCE.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "probes/bgp/bgp_probe.h"
#include "probes/bgp/frr_json.h"
#include "probes/bgp/frr_vty.h"
#include "test_util.h"

using namespace linkready::bgp;
using linkready::test::fixture;

namespace {
const Neighbor& find(const std::vector<Neighbor>& ns, const std::string& addr) {
  for (const auto& n : ns)
    if (n.address == addr) return n;
  throw std::runtime_error("no neighbor " + addr);
}
}  // namespace

TEST_CASE("neighbors: established session, both address families, BFD", "[frr][json]") {
  auto ns = parseNeighbors(fixture("frr/01_established/bgp_vrf_all_neighbors.json"));
  REQUIRE(ns);
  REQUIRE(ns->size() == 2);
  const auto& v4 = find(*ns, "10.0.0.1");
  CHECK(v4.vrf == "default");
  CHECK(v4.remoteAs == 45104);
  CHECK(v4.localAs == 65010);
  CHECK(v4.state == "Established");
  CHECK(v4.holdTimeMs == 30000);
  CHECK(v4.connectionsDropped == 0);
  CHECK(v4.lastResetCode == 32);  // "Waiting for peer OPEN": FRR's initial value
  REQUIRE(v4.bfd);
  CHECK(v4.bfd->status == "Up");
  CHECK(v4.bfd->type == "single hop");
  CHECK(v4.families.at("ipv4Unicast").acceptedPrefixes == 3);
  CHECK(v4.families.at("ipv4Unicast").sentPrefixes == 4u);  // includes the VBR's own 3, reflected
  CHECK(find(*ns, "2001:db8:ffff::1").families.at("ipv6Unicast").acceptedPrefixes == 2);
}

TEST_CASE("neighbors: a description typed in Latin-1 (json-c passes its bytes on) costs no session its facts",
          "[frr][json]") {
  std::string text = fixture("frr/01_established/bgp_vrf_all_neighbors.json");
  size_t at = text.find("\"alibaba-vbr\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 13, "\"caf\xe9 vbr \xe2\x82\"");  // Latin-1 e-acute, then a cut-off euro sign
  REQUIRE_FALSE(nlohmann::json::accept(text));             // what nlohmann alone makes of it
  auto ns = parseNeighbors(text);
  INFO((ns ? "" : ns.error()));
  REQUIRE(ns);
  REQUIRE(ns->size() == 2);
  CHECK(find(*ns, "10.0.0.1").state == "Established");
  CHECK(find(*ns, "10.0.0.1").families.at("ipv4Unicast").acceptedPrefixes == 3);
}

TEST_CASE("neighbors: Idle (Admin), Idle (PfxCt) and RFC 8212 Policy are visible", "[frr][json]") {
  auto admin = parseNeighbors(fixture("frr/02_admin_shutdown_local_nobfd/bgp_vrf_all_neighbors.json"));
  REQUIRE(admin);
  CHECK(find(*admin, "10.0.0.1").adminShutdown);
  CHECK(find(*admin, "10.0.0.1").lastResetDueTo == "Admin. shutdown");

  auto pfx = parseNeighbors(fixture("frr/12_max_prefix_exceeded_nobfd/bgp_vrf_all_neighbors.json"));
  REQUIRE(pfx);
  const auto& p = find(*pfx, "10.0.0.1");
  CHECK(p.prefixLimitExceeded);
  CHECK(p.families.at("ipv4Unicast").maxPrefixes == 2u);
  CHECK(p.lastNotificationReason == "Cease/Maximum Number of Prefixes Reached");
  CHECK_FALSE(find(*pfx, "2001:db8:ffff::1").prefixLimitExceeded);

  auto policy = parseNeighbors(fixture("frr/13_no_policy_rfc8212/bgp_vrf_all_neighbors.json"));
  REQUIRE(policy);
  CHECK(find(*policy, "10.0.0.1").families.at("ipv4Unicast").inboundPolicyMissing);
  CHECK(find(*policy, "10.0.0.1").families.at("ipv4Unicast").outboundPolicyMissing);
}

TEST_CASE("neighbors: notifications, with and without the BFD reset-reason overwrite", "[frr][json]") {
  auto nobfd = parseNeighbors(fixture("frr/07_wrong_peer_as_local_nobfd/bgp_vrf_all_neighbors.json"));
  REQUIRE(nobfd);
  CHECK(find(*nobfd, "10.0.0.1").lastErrorCodeSubcode == "0202");
  CHECK(find(*nobfd, "10.0.0.1").lastNotificationReason == "OPEN Message Error/Bad Peer AS");
  auto bfd = parseNeighbors(fixture("frr/08_wrong_local_as_at_peer/bgp_vrf_all_neighbors.json"));
  REQUIRE(bfd);
  const auto& n = find(*bfd, "10.0.0.1");
  CHECK(n.lastResetDueTo == "BFD down received");  // FRR 8.4 with BFD: the reason is lost
  CHECK(n.lastNotificationReason.empty());
  CHECK(n.notificationsReceived == 6);
}

TEST_CASE("neighbors: tolerant of missing keys, other spellings and asdot ASNs", "[frr][json]") {
  auto ns = parseNeighbors(
      R"({"blue":{"vrfId":3,"vrfName":"blue","192.0.2.1":{"remoteAsn":"1.10","state":"Active"}}})");
  REQUIRE(ns);
  REQUIRE(ns->size() == 1);
  CHECK((*ns)[0].vrf == "blue");
  CHECK((*ns)[0].remoteAs == 65546);
  CHECK((*ns)[0].state == "Active");
  CHECK((*ns)[0].families.empty());
  auto flat = parseNeighbors(R"({"10.0.0.1":{"bgpState":"Idle","remoteAs":45104}})");  // show bgp neighbors json
  REQUIRE(flat);
  CHECK((*flat)[0].vrf == "default");
  CHECK(parseNeighbors("{}")->empty());  // no router bgp, or an unknown VRF
  CHECK_FALSE(parseNeighbors(""));
  CHECK_FALSE(parseNeighbors("% [BGP] Unknown command"));
  CHECK_FALSE(parseNeighbors("[1,2]"));
}

TEST_CASE("BFD peers: up, and the empty list after bgpd died", "[frr][json]") {
  auto peers = parseBfdPeers(fixture("frr/01_established/bfd_peers.json"));
  REQUIRE(peers);
  REQUIRE(peers->size() == 2);
  CHECK((*peers)[1].peer == "10.0.0.1");
  CHECK((*peers)[1].status == "up");
  CHECK_FALSE((*peers)[1].multihop);
  CHECK((*peers)[1].receiveIntervalMs == 300);
  auto none = parseBfdPeers(fixture("frr/18_bgpd_not_running/bfd_peers.json"));
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("the summary of one remote AS: each session's state and resets, from the family that lists it",
          "[frr][json]") {
  auto both = parseSummary(fixture("frr/summary/summary_remote_as_45104.json"), "default");
  REQUIRE(both);
  REQUIRE(both->size() == 2);
  const Neighbor& v4 = (*both)[0];
  CHECK(v4.address == "10.0.0.1");
  CHECK(v4.vrf == "default");
  CHECK(v4.state == "Established");
  CHECK(v4.remoteAs == 45104);
  CHECK(v4.connectionsEstablished == 1);
  CHECK(v4.connectionsDropped == 0);
  CHECK(v4.upMs > 0);
  // The IPv6 session is listed under ipv6Unicast only.
  CHECK((*both)[1].address == "2001:db8:ffff::1");
  CHECK((*both)[1].state == "Established");
  auto shut = parseSummary(fixture("frr/summary/summary_neighbor_10_0_0_1_admin_shutdown.json"), "default");
  REQUIRE(shut);
  REQUIRE(shut->size() == 1);
  CHECK((*shut)[0].state == "Idle (Admin)");
  CHECK((*shut)[0].connectionsDropped == 1);
  // Nothing listed: no peer of that AS, no such VRF, FRR's warning for a peer it lacks.
  for (const char* f : {"summary_remote_as_none.json", "summary_remote_as_no_such_vrf.json",
                        "summary_neighbor_not_configured.json"}) {
    INFO(f);
    auto none = parseSummary(fixture(std::string("frr/summary/") + f), "default");
    REQUIRE(none);
    CHECK(none->empty());
  }
  // Shapes nothing expects are errors with the JSON path.
  CHECK(parseSummary(R"({"ipv4Unicast":{"peers":[1]}})", "default").error() ==
        "show bgp vrf default summary json: /ipv4Unicast/peers: expected an object, found a list");
  CHECK(parseSummary(R"({"ipv4Unicast":{"peers":{"10.0.0.1":"up"}}})", "default").error() ==
        "show bgp vrf default summary json: /ipv4Unicast/peers/10.0.0.1: expected an object, found \"up\"");
  CHECK_FALSE(parseSummary("% Unknown command", "default"));
}

TEST_CASE("advertised routes: what we announce, apart from the VBR's routes reflected back", "[frr][json]") {
  auto r = parseAdvertisedRoutes(fixture("frr/01_established/ip_bgp_neighbors_10_0_0_1_advertised_routes.json"), 45104);
  REQUIRE(r);
  CHECK(r->total == 4);
  CHECK(r->ours == 1);
  CHECK(r->ourPrefixes == std::vector<std::string>{"198.51.100.0/24"});
  auto v6 = parseAdvertisedRoutes(
      fixture("frr/01_established/bgp_ipv6_unicast_neighbors_2001_db8_ffff_1_advertised_routes.json"), 45104);
  REQUIRE(v6);
  CHECK(v6->ours == 1);
  CHECK_FALSE(parseAdvertisedRoutes(R"({"warning":"No such neighbor in this view/vrf"})", 45104));
}

TEST_CASE("FRR answers of a surprising shape are errors naming the JSON path, never exceptions", "[frr][json]") {
  // Found by fuzzing: a "warning" that is an object terminated the process.
  tl::expected<AdvertisedRoutes, std::string> w;
  REQUIRE_NOTHROW(w = parseAdvertisedRoutes(R"({"warning":{"text":"x"}})", 45104));
  REQUIRE_FALSE(w);
  CHECK(w.error() == "advertised-routes json: /warning: expected a string, found an object");
  auto routes = parseAdvertisedRoutes(R"({"advertisedRoutes":{"10.0.0.0/8":{"path":["45104"]}}})", 45104);
  REQUIRE_FALSE(routes);
  CHECK(routes.error() == "advertised-routes json: /advertisedRoutes/10.0.0.0~18/path: expected a string, found a list");
  CHECK(parseAdvertisedRoutes(R"({"advertisedRoutes":[]})", 45104).error() ==
        "advertised-routes json: /advertisedRoutes: expected an object, found a list");
  CHECK(parseAdvertisedRoutes("[]", 45104).error() == "advertised-routes json: /: expected an object, found a list");

  auto bfdInfo = parseNeighbors(R"({"default":{"vrfName":"default","10.0.0.1":{"state":"Idle","peerBfdInfo":"up"}}})");
  REQUIRE_FALSE(bfdInfo);
  CHECK(bfdInfo.error() == "show bgp vrf all neighbors json: /default/10.0.0.1/peerBfdInfo: expected an object, found \"up\"");
  auto asn = parseNeighbors(R"({"10.0.0.1":{"state":"Idle","remoteAs":{"asn":1}}})");
  REQUIRE_FALSE(asn);
  CHECK(asn.error() == "show bgp vrf all neighbors json: /10.0.0.1/remoteAs: expected a number, found an object");
  CHECK(parseNeighbors(R"({"10.0.0.1":{"state":"Idle","remoteAs":"external"}})").error() ==
        "show bgp vrf all neighbors json: /10.0.0.1/remoteAs: expected a number, found \"external\"");
  CHECK(parseNeighbors(R"({"10.0.0.1":{"state":"Idle","addressFamilyInfo":{"ipv4Unicast":7}}})").error() ==
        "show bgp vrf all neighbors json: /10.0.0.1/addressFamilyInfo/ipv4Unicast: expected an object, found 7");
  CHECK(parseNeighbors(R"({"10.0.0.1":{"state":"Idle","connectionsDropped":1e300}})").error() ==
        "show bgp vrf all neighbors json: /10.0.0.1/connectionsDropped: expected a number, found 1e+300");
  CHECK(parseNeighbors("[1,2]").error() == "show bgp vrf all neighbors json: /: expected an object, found a list");

  CHECK(parseBfdPeers(R"([{"peer":"10.0.0.1","status":"up"},"x"])").error() ==
        "show bfd peers json: /1: expected an object, found \"x\"");
  CHECK(parseBfdPeers(R"([{"peer":["10.0.0.1"]}])").error() == "show bfd peers json: /0/peer: expected a string, found a list");
  CHECK(parseBfdPeers(R"({"peer":"10.0.0.1"})").error() == "show bfd peers json: /: expected a list, found an object");
}

TEST_CASE("kernel TcpExt MD5 counters from /proc/PID/net/netstat", "[frr][md5]") {
  auto mismatch = parseTcpExtMd5(fixture("frr/netstat_md5_mismatch_edge.txt"));
  REQUIRE(mismatch);
  CHECK(mismatch->failure > 0);
  CHECK(mismatch->notFound == 0);
  auto edgeOnly = parseTcpExtMd5(fixture("frr/netstat_md5_edge_only_edge.txt"));
  REQUIRE(edgeOnly);
  CHECK(edgeOnly->notFound > 0);
  CHECK(edgeOnly->failure == 0);
  CHECK_FALSE(parseTcpExtMd5("IpExt: A B\nIpExt: 1 2\n"));
  CHECK_FALSE(parseTcpExtMd5("TcpExt: TCPMD5Failure X\nTcpExt: 1\n"));  // columns do not line up
}

TEST_CASE("MD5 counters over the agent's checks: the baseline is the reading of 5 minutes ago", "[frr][md5]") {
  using namespace std::chrono_literals;
  NeighborMemo memo;
  auto t0 = std::chrono::steady_clock::time_point(1000h);
  auto at = [&](int failures) { return Md5Counters{0, 0, uint64_t(failures)}; };
  // The first 5 minutes: no reading reaches back that far, the totals are all there is.
  for (int s = 0; s < 300; s += 10) CHECK_FALSE(memo.md5Baseline(t0 + std::chrono::seconds(s), at(4)));
  // From then on, the reading of 5 minutes ago: a retry two minutes back still counts.
  auto b = memo.md5Baseline(t0 + 300s, at(5));
  REQUIRE(b);
  CHECK(b->failure == 4);
  for (int s = 310; s <= 420; s += 10) memo.md5Baseline(t0 + std::chrono::seconds(s), at(5));
  b = memo.md5Baseline(t0 + 430s, at(5));
  REQUIRE(b);
  CHECK(b->failure == 4);  // the reading at 130 s: the rise at 300 s is inside the span
  for (int s = 440; s <= 600; s += 10) b = memo.md5Baseline(t0 + std::chrono::seconds(s), at(5));
  REQUIRE(b);
  CHECK(b->failure == 5);  // 5 minutes without a rise: nothing new
  CHECK(memo.md5Seen.size() <= 32);  // a reading per check for 5 minutes, no more
}

TEST_CASE("VTY trailer: output, then 00 00 00 status", "[frr][vty]") {
  using namespace std::string_literals;
  CHECK_FALSE(findVtyTrailer("{\"a\":1}"));
  CHECK_FALSE(findVtyTrailer("{}\0\0"s));  // trailer not complete yet
  auto f = findVtyTrailer("{}\n\0\0\0\0"s);
  REQUIRE(f);
  CHECK(f->outputLength == 3);
  CHECK(f->status == 0);
  auto unknown = findVtyTrailer("% [BGP] Unknown command: show bgp foo\n\0\0\0\2"s);
  REQUIRE(unknown);
  CHECK(unknown->status == 2);
  CHECK(findVtyTrailer("x\0\1\0\0"s)->status == -1);  // broken stream
}

TEST_CASE("NSpid: FRR in a container is known by its pid in there, the last of the line", "[frr][vty]") {
  auto inner = parseNsPids(fixture("proc/status-in-pidns.txt"));
  REQUIRE(inner);
  CHECK(*inner == std::vector<int>{29212, 2});  // ours, then the one its pid file would hold
  auto root = parseNsPids(fixture("proc/status-root-ns.txt"));
  REQUIRE(root);
  CHECK(root->size() == 1);
  CHECK(parseNsPids("NSpid:\t7\t1").value() == std::vector<int>{7, 1});  // the first line
  CHECK_THAT(parseNsPids("Name:\tbgpd\nNStgid:\t7\t1\n").error(), Catch::Contains("no NSpid line"));
  CHECK_THAT(parseNsPids("NSpid:\t7x\t1\n").error(), Catch::Contains("column 2"));
  CHECK_THAT(parseNsPids("NSpid:\t-7\n").error(), Catch::Contains("not a list of pids"));
  CHECK_THAT(parseNsPids("NSpid:\t99999999999\n").error(), Catch::Contains("not a list of pids"));
  CHECK_THAT(parseNsPids("NSpid:\n").error(), Catch::Contains("empty"));
}

TEST_CASE("one VRF's neighbor (the probe asks only for configured peers): same facts as the bulk answer",
          "[frr][json]") {
  auto one = parseVrfNeighbors(fixture("frr/01_established/bgp_neighbors_10_0_0_1.json"), "default");
  REQUIRE(one);
  REQUIRE(one->size() == 1);
  auto all = parseNeighbors(fixture("frr/01_established/bgp_vrf_all_neighbors.json"));
  REQUIRE(all);
  const Neighbor& bulk = find(*all, "10.0.0.1");
  const Neighbor& n = (*one)[0];
  CHECK(n.vrf == "default");
  CHECK(n.address == "10.0.0.1");
  CHECK(n.state == "Established");
  CHECK(n.remoteAs == bulk.remoteAs);
  CHECK(n.families.size() == bulk.families.size());
  CHECK(n.bfd.has_value() == bulk.bfd.has_value());
  auto v6 = parseVrfNeighbors(fixture("frr/01_established/bgp_neighbors_2001_db8_ffff_1.json"), "default");
  REQUIRE(v6);
  REQUIRE(v6->size() == 1);
  CHECK((*v6)[0].address == "2001:db8:ffff::1");
  auto never = parseVrfNeighbors(fixture("frr/15_never_established/bgp_neighbors_10_0_0_1.json"), "blue");
  REQUIRE(never);
  REQUIRE(never->size() == 1);
  CHECK((*never)[0].vrf == "blue");  // the VRF asked for: the answer has no VRF level
  CHECK((*never)[0].state != "Established");

  CHECK(parseVrfNeighbors(R"({"bgpNoSuchNeighbor":true})", "default")->empty());  // FRR 8.4, rc 0
  CHECK(parseVrfNeighbors("{\n}\n", "nosuch")->empty());                          // no such VRF
  auto notJson = parseVrfNeighbors("% [BGP] Unknown command", "default");
  REQUIRE_FALSE(notJson);
  CHECK_THAT(notJson.error(), Catch::StartsWith("show bgp vrf default neighbors json: not JSON"));
  auto list = parseVrfNeighbors("[1]", "default");
  REQUIRE_FALSE(list);
  CHECK(list.error() == "show bgp vrf default neighbors json: /: expected an object, found a list");
}

namespace {

// FRR behind its query interface, answering from real captured output: each command the
// probe sends is looked up; an unknown one is refused as FRR refuses it.
class CapturedFrr final : public FrrQuery {
 public:
  std::map<std::string, std::string> answers;  // "daemon|command" -> fixture text
  std::vector<std::string> asked;
  tl::expected<std::string, VtyError> show(const std::string& daemon, const std::string& command) override {
    asked.push_back(daemon + "|" + command);
    auto it = answers.find(daemon + "|" + command);
    if (it == answers.end()) return tl::unexpected(VtyError{QueryErrorKind::CommandFailed, "% Unknown command: " + command});
    return it->second;
  }
  std::string via() const override { return "captured"; }
  int daemonPid(const std::string&) const override { return 0; }
};

}  // namespace

TEST_CASE("the agent's check reads a steady session's neighbor document again only when its summary line or BFD "
          "moved, and every document every sixth time",
          "[frr][bgp]") {
  // The lab's many scenario at 8 links (summary8) and the basic lab's documents of 10.0.0.1
  // and 2001:db8:ffff::1; the six other peers of the summary are unknown to the documents.
  const std::string summaryCmd = "bgpd|show bgp vrf default summary remote-as 45104 json";
  const std::string doc4 = "bgpd|show bgp vrf default neighbors 10.0.0.1 json";
  const std::string doc6 = "bgpd|show bgp vrf default neighbors 2001:db8:ffff::1 json";
  const std::string adv4 = "bgpd|show bgp vrf default ipv4 unicast neighbors 10.0.0.1 advertised-routes json";
  const std::string adv6 = "bgpd|show bgp vrf default ipv6 unicast neighbors 2001:db8:ffff::1 advertised-routes json";
  const std::string summary = fixture("frr/summary8/summary_remote_as_45104_established.json");
  const std::string bfd = fixture("frr/summary8/bfd_peers_established.json");
  CapturedFrr frr;
  frr.answers[summaryCmd] = summary;
  frr.answers["bfdd|show bfd peers json"] = bfd;
  frr.answers[doc4] = fixture("frr/01_established/bgp_neighbors_10_0_0_1.json");
  frr.answers[doc6] = fixture("frr/01_established/bgp_neighbors_2001_db8_ffff_1.json");
  frr.answers[adv4] = fixture("frr/01_established/ip_bgp_neighbors_10_0_0_1_advertised_routes.json");
  frr.answers[adv6] = fixture("frr/01_established/bgp_ipv6_unicast_neighbors_2001_db8_ffff_1_advertised_routes.json");
  std::vector<WantedSession> sessions = {{"default", "10.0.0.1", false, 45104, true},
                                         {"default", "2001:db8:ffff::1", true, 45104, true}};
  for (const char* peer : {"10.64.0.5", "10.64.0.9", "10.64.0.13", "10.64.0.17", "10.64.0.21", "10.64.0.25"}) {
    sessions.push_back({"default", peer, false, 45104, true});
    frr.answers["bgpd|show bgp vrf default neighbors " + std::string(peer) + " json"] =
        fixture("frr/summary/neighbors_not_configured.json");
  }
  auto askedFor = [&](const std::string& command) {
    return std::count(frr.asked.begin(), frr.asked.end(), command);
  };
  auto of = [](const BgpFacts& f, const std::string& peer) -> const Neighbor* {
    for (const Neighbor& n : f.neighbors)
      if (n.address == peer) return &n;
    return nullptr;
  };
  NeighborMemo memo;
  auto gather = [&] {
    frr.asked.clear();
    return gatherBgp(frr, sessions, true, "/nonexistent", &memo);
  };

  BgpFacts first = gather();
  INFO(first.queryError);
  REQUIRE(first.queryError.empty());
  CHECK(memo.lastFull);  // nothing kept yet
  CHECK(askedFor(doc4) == 1);
  CHECK(askedFor(adv4) == 1);
  REQUIRE(of(first, "10.0.0.1"));
  REQUIRE(first.advertised.count("default|10.0.0.1"));

  // Nothing moved: the summary and bfdd are asked, the two documents and their routes are not.
  BgpFacts second = gather();
  REQUIRE(second.queryError.empty());
  CHECK_FALSE(memo.lastFull);
  CHECK(askedFor(summaryCmd) == 1);
  CHECK(askedFor("bfdd|show bfd peers json") == 1);
  CHECK(askedFor(doc4) == 0);
  CHECK(askedFor(doc6) == 0);
  CHECK(askedFor(adv4) == 0);
  CHECK(askedFor(adv6) == 0);
  const Neighbor* kept = of(second, "10.0.0.1");
  REQUIRE(kept);
  CHECK(kept->state == "Established");
  CHECK(kept->remoteAs == 45104);
  REQUIRE(kept->bfd);
  CHECK(kept->bfd->status == "Up");
  CHECK(kept->families.at("ipv4Unicast").acceptedPrefixes == of(first, "10.0.0.1")->families.at("ipv4Unicast").acceptedPrefixes);
  CHECK(kept->upMs == 11000);  // the summary's uptime, not the document's of then
  CHECK(second.advertised.at("default|10.0.0.1").total == first.advertised.at("default|10.0.0.1").total);
  CHECK(second.neighbors.size() == first.neighbors.size());
  CHECK(second.neighbors[0].address == "10.0.0.1");  // in the sessions' order
  CHECK(second.neighbors[1].address == "2001:db8:ffff::1");

  // The session reset and came back: its summary line moved (a connection dropped and one
  // more established), so its document is read again; the other's is not.
  auto moved = nlohmann::json::parse(summary);
  moved["ipv4Unicast"]["peers"]["10.0.0.1"]["connectionsDropped"] = 1;
  moved["ipv4Unicast"]["peers"]["10.0.0.1"]["connectionsEstablished"] = 2;
  frr.answers[summaryCmd] = moved.dump();
  gather();
  CHECK(askedFor(doc4) == 1);
  CHECK(askedFor(adv4) == 1);
  CHECK(askedFor(doc6) == 0);
  gather();  // and then kept again
  CHECK(askedFor(doc4) == 0);

  // BFD went down under a session whose summary line did not move: read again.
  auto bfdDown = nlohmann::json::parse(bfd);
  for (auto& p : bfdDown)
    if (p["peer"] == "2001:db8:ffff::1") p["status"] = "down";
  frr.answers["bfdd|show bfd peers json"] = bfdDown.dump();
  gather();
  CHECK(askedFor(doc6) == 1);
  CHECK(askedFor(doc4) == 0);
  frr.answers["bfdd|show bfd peers json"] = bfd;

  // bgpd restarted: its counters start again where they were, but the session was
  // established anew; a second's rounding of that time is no restart.
  frr.answers[summaryCmd] = summary;
  gather();
  memo.sinceFull = 0;
  gather();
  CHECK(askedFor(doc4) == 0);
  auto restarted = nlohmann::json::parse(summary);
  auto& epoch = restarted["ipv4Unicast"]["peers"]["10.0.0.1"]["peerUptimeEstablishedEpoch"];
  REQUIRE(epoch.is_number());
  uint64_t then = epoch.get<uint64_t>();
  epoch = then + 30;
  frr.answers[summaryCmd] = restarted.dump();
  gather();
  CHECK(askedFor(doc4) == 1);
  CHECK(askedFor(doc6) == 0);
  epoch = then + 31;
  frr.answers[summaryCmd] = restarted.dump();
  gather();
  CHECK(askedFor(doc4) == 0);

  // A full read that fails (bgpd stopped answering) is due again at the next gather.
  memo.sinceFull = memo.fullEvery - 1;
  std::string saved = frr.answers[doc6];
  frr.answers.erase(doc6);
  CHECK_FALSE(gather().queryError.empty());
  frr.answers[doc6] = saved;
  gather();
  CHECK(memo.lastFull);
  CHECK(askedFor(doc4) == 1);

  // Every sixth gather reads every document (what no summary shows: a limit edited).
  memo.sinceFull = 0;
  int fullAt = 0;
  for (int k = 1; k <= 6; ++k) {
    gather();
    if (askedFor(doc4) == 1) {
      CHECK(memo.lastFull);
      fullAt = k;
    }
  }
  CHECK(fullAt == 6);  // five kept since the last full read, the sixth in full

  // Without a memo (linkready check): every document, no summary.
  frr.asked.clear();
  gatherBgp(frr, sessions, true, "/nonexistent");
  CHECK(askedFor(summaryCmd) == 0);
  CHECK(askedFor(doc4) == 1);
}

TEST_CASE("session states a second: one summary per VRF and remote AS from 8 sessions on, the neighbor query "
          "for fewer and where the summary lists none, BFD from bfdd",
          "[frr][bgp]") {
  CapturedFrr frr;
  frr.answers["bgpd|show bgp vrf default summary remote-as 45104 json"] = fixture("frr/summary/summary_remote_as_45104.json");
  frr.answers["bfdd|show bfd peers json"] = fixture("frr/01_established/bfd_peers.json");
  std::vector<WantedSession> wanted = {{"default", "10.0.0.1", false, 45104, true},
                                       {"default", "2001:db8:ffff::1", true, 45104, false}};
  std::vector<std::string> expected = {"bgpd|show bgp vrf default summary remote-as 45104 json"};
  for (int k = 1; k <= 6; ++k) {  // six more that FRR does not have: eight of AS 45104
    std::string peer = "10.9.9." + std::to_string(k);
    wanted.push_back({"default", peer, false, 45104, false});
    frr.answers["bgpd|show bgp vrf default neighbors " + peer + " json"] = fixture("frr/summary/neighbors_not_configured.json");
    expected.push_back("bgpd|show bgp vrf default neighbors " + peer + " json");
  }
  expected.push_back("bfdd|show bfd peers json");
  BgpFacts f = gatherSessionStates(frr, wanted);
  INFO(f.queryError);
  CHECK(f.queryError.empty());
  REQUIRE(f.neighbors.size() == 2);  // 10.9.9.x: FRR has no such neighbor
  CHECK(f.neighbors[0].address == "10.0.0.1");
  CHECK(f.neighbors[0].state == "Established");
  REQUIRE(f.neighbors[0].bfd);
  CHECK(f.neighbors[0].bfd->status == "Up");  // bfdd's "up", spelled as bgpd's view
  CHECK(f.neighbors[1].address == "2001:db8:ffff::1");
  CHECK(f.neighbors[1].state == "Established");
  // One summary for the AS, the neighbor query only for those it does not list, BFD once.
  CHECK(frr.asked == expected);

  // A multihop BFD session (a peer that is not directly connected) is the session's BFD too.
  std::string peers = fixture("frr/01_established/bfd_peers.json");
  peers.replace(peers.rfind("\"multihop\":false", peers.find("\"peer\":\"10.0.0.1\"")), 16, "\"multihop\":true");
  frr.answers["bfdd|show bfd peers json"] = peers;
  BgpFacts multihop = gatherSessionStates(frr, wanted);
  REQUIRE(multihop.neighbors.size() == 2);
  REQUIRE(multihop.neighbors[0].bfd);
  CHECK(multihop.neighbors[0].bfd->type == "multi hop");
  CHECK(multihop.neighbors[0].bfd->status == "Up");

  // Two sessions: their neighbor queries, not the summary of every peer of the AS.
  CapturedFrr two;
  two.answers["bgpd|show bgp vrf default neighbors 10.0.0.1 json"] = fixture("frr/01_established/bgp_neighbors_10_0_0_1.json");
  two.answers["bgpd|show bgp vrf default neighbors 2001:db8:ffff::1 json"] =
      fixture("frr/01_established/bgp_neighbors_2001_db8_ffff_1.json");
  BgpFacts g2 = gatherSessionStates(two, {wanted[0], wanted[1]});
  CHECK(g2.queryError.empty());
  REQUIRE(g2.neighbors.size() == 2);
  CHECK(g2.neighbors[1].state == "Established");
  CHECK(two.asked.size() == 2);  // BFD as bgpd sees it is in the neighbor query: bfdd not asked

  // An FRR without the summary's remote-as filter: the neighbor query for each, as before.
  CapturedFrr old;
  std::vector<WantedSession> eight;
  for (int k = 1; k <= 8; ++k) {
    std::string peer = "10.9.9." + std::to_string(k);
    eight.push_back({"default", peer, false, 45104, false});
    old.answers["bgpd|show bgp vrf default neighbors " + peer + " json"] = fixture("frr/summary/neighbors_not_configured.json");
  }
  eight[7].peer = "10.0.0.1";
  old.answers["bgpd|show bgp vrf default neighbors 10.0.0.1 json"] = fixture("frr/01_established/bgp_neighbors_10_0_0_1.json");
  BgpFacts g = gatherSessionStates(old, eight);
  CHECK(g.queryError.empty());
  REQUIRE(g.neighbors.size() == 1);
  CHECK(g.neighbors[0].state == "Established");
  CHECK(old.asked.size() == 9);  // the refused summary, then eight neighbor queries

  // bgpd gone: the error, no guesses.
  struct Gone final : FrrQuery {
    tl::expected<std::string, VtyError> show(const std::string&, const std::string&) override {
      return tl::unexpected(VtyError{QueryErrorKind::NotRunning, "bgpd is not running"});
    }
    std::string via() const override { return "none"; }
    int daemonPid(const std::string&) const override { return 0; }
  } dead;
  BgpFacts h = gatherSessionStates(dead, wanted);
  CHECK(h.neighbors.empty());
  CHECK(h.queryErrorKind == QueryErrorKind::NotRunning);
  CHECK(h.queryError == "bgpd is not running");
}

// The 8-link lab's FRR 8.4 at a captured moment ("established", "shutdown",
// "shutdown_again"): its AS's summary, the short list and bfdd's peers; the nine sessions.
struct Summary8 {
  const std::string dir = "frr/summary8/";
  const std::string full = "bgpd|show bgp vrf default summary remote-as 45104 json";
  const std::string shortList = "bgpd|show bgp vrf default summary failed remote-as 45104 json";
  const std::string bfd = "bfdd|show bfd peers json";
  CapturedFrr frr;
  std::vector<WantedSession> wanted = {{"default", "10.0.0.1", false, 45104, true},
                                       {"default", "2001:db8:ffff::1", true, 45104, false}};
  Summary8() {
    for (int k = 1; k <= 7; ++k) wanted.push_back({"default", "10.64.0." + std::to_string(4 * k + 1), false, 45104, true});
  }
  void moment(const std::string& at) {
    frr.answers[full] = fixture(dir + "summary_remote_as_45104_" + at + ".json");
    frr.answers[shortList] = fixture(dir + "summary_failed_remote_as_45104_" + at + ".json");
    frr.answers[bfd] = fixture(dir + "bfd_peers_" + at + ".json");
  }
};

TEST_CASE("session states a second: FRR's short list of sessions that are not Established stands in for the full "
          "read until it moves, the full read every tenth second",
          "[frr][bgp][watch]") {
  Summary8 lab;
  const std::string &full = lab.full, &shortList = lab.shortList, &bfd = lab.bfd;
  CapturedFrr& frr = lab.frr;
  std::vector<WantedSession>& wanted = lab.wanted;
  auto stateOf = [](const BgpFacts& f, const std::string& peer) {
    for (const Neighbor& n : f.neighbors)
      if (n.address == peer) return n.state + (n.bfd ? " bfd " + n.bfd->status : "");
    return std::string("not listed");
  };
  auto established = [](const BgpFacts& f) {
    int n = 0;
    for (const Neighbor& x : f.neighbors) n += x.state == "Established";
    return n;
  };

  SessionWatch watch(10);
  lab.moment("established");
  BgpFacts first = watch.read(frr, wanted);
  CHECK(watch.lastReadWasFull());
  CHECK(first.queryError.empty());
  CHECK(established(first) == 9);
  CHECK(stateOf(first, "10.64.0.5") == "Established bfd Up");
  CHECK(frr.asked == std::vector<std::string>{full, bfd});

  // Seconds 2 to 10: only the short list (0.2 KB), and the same facts.
  for (int second = 2; second <= 10; ++second) {
    frr.asked.clear();
    BgpFacts f = watch.read(frr, wanted);
    INFO("second " << second);
    CHECK_FALSE(watch.lastReadWasFull());
    CHECK(frr.asked == std::vector<std::string>{shortList});
    CHECK(established(f) == 9);
    CHECK(stateOf(f, "10.64.0.5") == "Established bfd Up");
  }
  // The tenth read after a full one is full again.
  frr.asked.clear();
  watch.read(frr, wanted);
  CHECK(watch.lastReadWasFull());
  CHECK(frr.asked == std::vector<std::string>{full, bfd});

  // A session leaves Established: the short list names it, so that very second reads in full.
  lab.moment("shutdown");
  frr.asked.clear();
  BgpFacts down = watch.read(frr, wanted);
  CHECK(frr.asked == std::vector<std::string>{shortList, full, bfd});
  CHECK(watch.lastReadWasFull());
  CHECK(established(down) == 8);
  CHECK(stateOf(down, "10.64.0.5").rfind("Idle (Admin)", 0) == 0);
  // It stays down: the list is what the full read saw, the short read stands.
  frr.asked.clear();
  BgpFacts still = watch.read(frr, wanted);
  CHECK_FALSE(watch.lastReadWasFull());
  CHECK(frr.asked == std::vector<std::string>{shortList});
  CHECK(stateOf(still, "10.64.0.5").rfind("Idle (Admin)", 0) == 0);
  // It came back and went down again between two reads: the same list, but its connection
  // counters moved, so the full read tells the reset.
  lab.moment("shutdown_again");
  frr.asked.clear();
  BgpFacts again = watch.read(frr, wanted);
  CHECK(watch.lastReadWasFull());
  CHECK(frr.asked == std::vector<std::string>{shortList, full, bfd});
  for (const Neighbor& n : again.neighbors)
    if (n.address == "10.64.0.5") CHECK(n.connectionsDropped == 2);
  // Up again: the list is empty, which the full read of the last second did not say.
  lab.moment("established");
  frr.asked.clear();
  CHECK(established(watch.read(frr, wanted)) == 9);
  CHECK(watch.lastReadWasFull());

  // Other sessions asked for: a full read.
  std::vector<WantedSession> fewer(wanted.begin(), wanted.end() - 1);
  frr.asked.clear();
  watch.read(frr, fewer);
  CHECK(watch.lastReadWasFull());

  // A session the summary does not list (FRR has it under another AS, or not at all): the
  // short list cannot speak for it, every read is full, as before.
  std::vector<WantedSession> typo = wanted;
  typo.push_back({"default", "10.9.9.9", false, 45104, false});
  frr.answers["bgpd|show bgp vrf default neighbors 10.9.9.9 json"] = fixture("frr/summary/neighbors_not_configured.json");
  SessionWatch typoWatch(10);
  for (int second = 1; second <= 3; ++second) {
    typoWatch.read(frr, typo);
    CHECK(typoWatch.lastReadWasFull());
  }

  // An FRR without the short list's filter refuses it: every read is full, none fails.
  CapturedFrr old;
  old.answers[full] = fixture(lab.dir + "summary_remote_as_45104_established.json");
  old.answers[bfd] = fixture(lab.dir + "bfd_peers_established.json");
  SessionWatch oldWatch(10);
  for (int second = 1; second <= 3; ++second) {
    BgpFacts f = oldWatch.read(old, wanted);
    CHECK(oldWatch.lastReadWasFull());
    CHECK(f.queryError.empty());
    CHECK(established(f) == 9);
  }
}

TEST_CASE("session states a second: the agent's check's read of the same summaries and BFD peers stands for the "
          "watch's own full read, so FRR renders them once an interval, not twice",
          "[frr][bgp][watch]") {
  Summary8 lab;  // the check's read and the watch's, of the same FRR
  CapturedFrr& frr = lab.frr;
  const std::string &shortList = lab.shortList, &full = lab.full, &bfd = lab.bfd;
  std::vector<WantedSession>& wanted = lab.wanted;
  lab.moment("established");
  auto checked = std::make_shared<const BgpFacts>(gatherSessionStates(frr, wanted));  // the check's read
  REQUIRE(checked->queryError.empty());
  auto now = [] { return std::chrono::steady_clock::now(); };
  // Reads until the watch reads in full by itself; each read's FRR commands.
  auto readsUntilFull = [&](SessionWatch& w, int most) {
    for (int n = 1; n <= most; ++n) {
      frr.asked.clear();
      w.read(frr, wanted);
      if (w.lastReadWasFull()) return n;
      CHECK(frr.asked == std::vector<std::string>{shortList});
    }
    return 0;
  };

  SessionWatch watch(10);
  watch.read(frr, wanted);
  REQUIRE(watch.lastReadWasFull());
  // A check every ten seconds: its read comes before the watch's own full read is due, and
  // every read of the watch is the short list.
  for (int interval = 0; interval < 3; ++interval) {
    INFO("interval " << interval);
    CHECK(readsUntilFull(watch, 9) == 0);
    watch.offer(checked, wanted, now());
  }
  // No check for a while (a check waiting for silent links, or none running): the watch
  // reads in full by itself, two reads later than fullEvery after the last check's read...
  CHECK(readsUntilFull(watch, 20) == 12);
  // ...and every tenth read again after its own.
  CHECK(readsUntilFull(watch, 20) == 10);

  // A session left Established after the check read it: the short list names it, that very
  // second reads in full.
  watch.offer(checked, wanted, now());
  lab.moment("shutdown");
  frr.asked.clear();
  watch.read(frr, wanted);
  CHECK(watch.lastReadWasFull());
  CHECK(frr.asked == std::vector<std::string>{shortList, full, bfd});
  // A read that began before that full one is not taken: it would take the change back.
  auto before = now();
  lab.moment("established");
  frr.asked.clear();
  watch.read(frr, wanted);  // up again: read in full
  REQUIRE(watch.lastReadWasFull());
  lab.moment("shutdown");
  auto older = std::make_shared<const BgpFacts>(gatherSessionStates(frr, wanted));  // one down, seen earlier
  lab.moment("established");
  watch.offer(older, wanted, before);
  frr.asked.clear();
  watch.read(frr, wanted);
  CHECK_FALSE(watch.lastReadWasFull());  // the own full read stands: the short list agrees
  CHECK(frr.asked == std::vector<std::string>{shortList});

  // Not taken: a read that failed, or one of other sessions (a check of some links).
  SessionWatch other(10);
  other.read(frr, wanted);
  auto failed = std::make_shared<BgpFacts>(*checked);
  failed->queryError = "bgpd is not running";
  other.offer(failed, wanted, now());
  CHECK(readsUntilFull(other, 20) == 10);
  std::vector<WantedSession> fewer(wanted.begin(), wanted.end() - 1);
  other.offer(std::make_shared<const BgpFacts>(gatherSessionStates(frr, fewer)), fewer, now());
  frr.asked.clear();
  other.read(frr, wanted);
  CHECK(other.lastReadWasFull());
}

TEST_CASE("FRR JSON nested a hundred thousand levels deep is refused, not a crash", "[frr][json]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const std::string& doc : {"{\"10.0.0.1\":{\"remoteAs\":" + deep + "}}", deep,
                                 "{\"default\":{\"ipv4Unicast\":{\"peers\":{\"10.0.0.1\":" + deep + "}}}}"}) {
    (void)parseNeighbors(doc);  // an error or facts without that field: what matters is no crash
    (void)parseVrfNeighbors(doc, "default");
    (void)parseSummary(doc, "default");
    (void)parseBfdPeers(doc);
    (void)parseAdvertisedRoutes(doc, 45104);
  }
  CHECK_FALSE(parseBfdPeers(deep));
}
