// Alibaba VPC API and Equinix Fabric v4 payloads (tests/fixtures/intent, sources in
// SOURCES.md): every sample read, imported where it can be, reconciled; and redundant pairs.
#include <catch2/catch.hpp>

#include "agent/check/report.h"
#include "agent/check/intent.h"
#include "agent/check/reconcile.h"
#include "agent/render/intent_yaml.h"
#include "probes/cloud/cloud.h"
#include "test_util.h"

using namespace linkready;
using linkready::test::fixture;

namespace {

std::string path(const std::string& f) { return std::string(LINKREADY_TEST_FIXTURES) + "/intent/" + f; }

}  // namespace

TEST_CASE("intent: every Alibaba and Equinix sample is read, or refused with file and JSON path", "[intent]") {
  struct Case {
    const char* file;
    size_t vbrs, groups, peers, connections, equinix;
  };
  const Case cases[] = {
      {"alibaba_vpc_DescribeVirtualBorderRouters.api-doc.json", 1, 0, 0, 0, 0},
      {"alibaba_vpc_DescribeVirtualBorderRouters.cli-format.json", 1, 0, 0, 0, 0},  // keys sorted, tabs
      {"alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json", 1, 0, 0, 0, 0},
      {"alibaba_vpc_DescribeVirtualBorderRouters.xml-converted-edgecase.json", 1, 0, 0, 0, 0},  // strings, one object
      {"alibaba_vpc_DescribeBgpGroups.legacy-doc.json", 0, 1, 0, 0, 0},
      {"alibaba_vpc_DescribeBgpPeers.legacy-doc.json", 0, 0, 2, 0, 0},
      {"alibaba_vpc_DescribePhysicalConnections.api-doc.json", 0, 0, 0, 1, 0},
      {"alibaba_vpc_DescribePhysicalConnections.legacy-2017-doc.json", 0, 0, 0, 1, 0},
      {"equinix_fabricv4_connection.colo2alibaba.dot1q.create-request.json", 0, 0, 0, 0, 1},
      {"equinix_fabricv4_connection.colo2alibaba.dot1q.response.json", 0, 0, 0, 0, 1},
      {"equinix_fabricv4_connection.generic.dot1q.provisioned.json", 0, 0, 0, 0, 1},
      {"equinix_fabricv4_connection.google-partner.deprovisioned-failed.json", 0, 0, 0, 0, 1},
      {"equinix_fabricv4_connection.qinq.response.json", 0, 0, 0, 0, 1},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    auto in = cloud::load({path(c.file)});
    REQUIRE(in);
    CHECK(in->vbrs.size() == c.vbrs);
    CHECK(in->groups.size() == c.groups);
    CHECK(in->peers.size() == c.peers);
    CHECK(in->connections.size() == c.connections);
    CHECK(in->equinix.size() == c.equinix);
  }
  // Not a cloud answer linkready knows: refused by name.
  auto r = cloud::parse(R"({"kind":"compute#network","name":"prod-vpc"})", "network.json");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::StartsWith("network.json: not a DescribeVirtualBorderRouters"));
}

TEST_CASE("intent: a document nested a hundred thousand levels deep is refused, not a crash", "[intent]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = cloud::parse("{\"VirtualBorderRouterSet\":{\"VirtualBorderRouterType\":[{\"VbrId\":\"vbr-1\",\"VlanId\":" +
                            deep + "}]}}",
                        "deep.json");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains("VlanId") && Catch::Contains("found array"));
}

TEST_CASE("intent: the payloads' traps: strings for numbers, one object for a list, big ids", "[intent]") {
  auto xml = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.xml-converted-edgecase.json")});
  REQUIRE(xml);
  CHECK(xml->vbrs[0].vlanId == 10u);  // "VlanId":"10"
  CHECK(xml->vbrs[0].id == "vbr-2zecmmvg5gxxxxxxxx");
  auto pc = cloud::load({path("alibaba_vpc_DescribePhysicalConnections.api-doc.json")});
  REQUIRE(pc);
  CHECK(pc->connections[0].ownerUid == "283117732402484000");  // beyond 2^53, kept exact
  CHECK(pc->connections[0].portType == "10GBase-LR");
  CHECK(pc->connections[0].redundantId == "pc-119mfjzm****");
  auto qinq = cloud::load({path("equinix_fabricv4_connection.qinq.response.json")});
  REQUIRE(qinq);
  CHECK(qinq->equinix[0].aSideSTag == 23u);
  CHECK_FALSE(qinq->equinix[0].aSideCTag);  // 0 in the spec's own example: no C-tag
  // Clear errors for what is not a value of the expected kind.
  auto bad = cloud::parse(R"({"VirtualBorderRouterSet":{"VirtualBorderRouterType":[{"VbrId":"vbr-1","VlanId":"ten"}]}})",
                           "vbr.json");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "vbr.json: $.VirtualBorderRouterSet.VirtualBorderRouterType[0].VlanId: expected a whole number, found \"ten\"");
  CHECK_THAT(cloud::parse("{", "x.json").error(), Catch::StartsWith("x.json: not JSON, and not YAML either (line 1, column"));
}

TEST_CASE("intent import: VLAN from the Equinix aSide, IPs and mask from the VBR, ASNs from the group", "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json"),
                          path("equinix_fabricv4_connection.generic.dot1q.provisioned.json")});
  REQUIRE(in);
  // The BGP group of the sample belongs to another VBR id in the docs: make it this one's.
  auto groups = cloud::parse(fixture("intent/alibaba_vpc_DescribeBgpGroups.legacy-doc.json"), "groups.json");
  REQUIRE(groups);
  auto g = groups->groups[0];
  g.vbrId = in->vbrs[0].id;
  g.authKeyHash = "0123456789abcdef";
  g.authKeyLength = 10;
  in->groups.push_back(g);
  auto yaml = intent::importYaml(*in, {"eth1"});
  REQUIRE(yaml);
  CHECK_THAT(*yaml, Catch::Contains("    vlan: {mode: dot1q, id: 1043}"));  // aSide, not the VBR's 10
  CHECK_THAT(*yaml, Catch::Contains("Equinix rewrites tags"));
  // The samples' zSide VLAN (3322) is not the VBR's VlanId (10): the pair stands, and says so.
  CHECK_THAT(*yaml, Catch::Contains("although its zSide VLAN 3322 is not the VBR's VlanId 10"));
  CHECK_THAT(*yaml, Catch::Contains("    ip: {local: 10.2.2.2/8, gateway: 10.1.1.1}"));
  CHECK_THAT(*yaml, Catch::Contains("remote_as: 45104, local_as: 234, max_prefixes: 99"));
  CHECK_THAT(*yaml, Catch::Contains("sha256 0123456789abcdef"));
  CHECK(yaml->find("AuthKey\"") == std::string::npos);
  // What import writes is a config linkready accepts.
  auto cfg = config::fromString(*yaml, "imported.yaml");
  INFO(*yaml << (cfg ? "" : config::formatErrors(cfg.error())));
  REQUIRE(cfg);
  CHECK(cfg->links[0].bgp->remoteAs == 45104u);
  CHECK(cfg->links[0].vlan.id == 1043);
}

TEST_CASE("intent import: the BGP neighbour is the VBR's address, and the BGP peer's PeerIpAddress must be ours",
          "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json")});
  REQUIRE(in);
  auto groups = cloud::parse(fixture("intent/alibaba_vpc_DescribeBgpGroups.legacy-doc.json"), "groups.json");
  auto peers = cloud::parse(fixture("intent/alibaba_vpc_DescribeBgpPeers.legacy-doc.json"), "peers.json");
  REQUIRE(groups);
  REQUIRE(peers);
  auto g = groups->groups[0];
  g.vbrId = in->vbrs[0].id;  // the docs' samples name other VBRs: make them this one's
  in->groups.push_back(g);
  for (auto p : peers->peers) {
    p.groupId = g.id;
    in->peers.push_back(p);  // PeerIpAddress 11.11.11.1 and .2: neither is ours (10.2.2.2)
  }
  auto d = intent::drafts(*in, {"eth1"});
  REQUIRE(d);
  const config::Link& l = d->links[0].link;
  REQUIRE(l.bgp);
  CHECK(l.bgp->peer.toString() == "10.1.1.1");  // LocalGatewayIp, never the BGP peer's address (ours)
  std::string said;
  for (const auto& [key, text] : d->links[0].comments) said += key + ": " + text + "\n";
  CHECK_THAT(said, Catch::Contains("is set up for 11.11.11.2, but our address on vbr-") &&
                       Catch::Contains("is 10.2.2.2 (PeerGatewayIp): Alibaba will not accept our session"));
  // A BGP peer for our address: no note, and its BFD setting is taken.
  in->peers[1].peerIpAddress = "10.2.2.2";
  in->peers[1].enableBfd = true;
  d = intent::drafts(*in, {"eth1"});
  REQUIRE(d);
  CHECK(d->links[0].link.bgp->peer.toString() == "10.1.1.1");
  CHECK(d->links[0].link.bgp->bfd);
  for (const auto& [key, text] : d->links[0].comments) CHECK(text.find("is set up for") == std::string::npos);
}

TEST_CASE("intent import: an Equinix aSide UNTAGGED is untagged, one without its tag is an error, never the "
          "VBR's VlanId",
          "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json"),
                          path("equinix_fabricv4_connection.generic.dot1q.provisioned.json")});
  REQUIRE(in);
  REQUIRE(in->equinix.size() == 1);
  in->equinix[0].aSideProtocol = "UNTAGGED";
  in->equinix[0].aSideTag.reset();
  auto yaml = intent::importYaml(*in, {"eth1"});
  REQUIRE(yaml);
  CHECK_THAT(*yaml, Catch::Contains("    vlan: {mode: untagged}"));  // before: the VBR's VlanId 10, tagged
  in->equinix[0].aSideProtocol = "DOT1Q";  // and still no vlanTag
  auto refused = intent::importYaml(*in, {"eth1"});
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Contains(".aSide.accessPoint.linkProtocol: type DOT1Q without the tag our port sends"));
}

TEST_CASE("intent import: a VLAN id outside 1-4094 is refused with its field, not wrapped into 16 bits", "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json")});
  REQUIRE(in);
  in->vbrs[0].vlanId = 70000;  // would be 4464 in 16 bits
  auto r = intent::importYaml(*in, {"eth1"});
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::EndsWith(".VlanId: 70000 is outside 1-4094"));
  auto eq = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json"),
                          path("equinix_fabricv4_connection.generic.dot1q.provisioned.json")});
  REQUIRE(eq);
  eq->equinix[0].aSideTag = 4095;
  auto e = intent::importYaml(*eq, {"eth1"});
  REQUIRE_FALSE(e);
  CHECK_THAT(e.error(), Catch::Contains("a VLAN tag outside 1-4094 (vlanTag 4095)"));
}

TEST_CASE("intent import: an Equinix TPID no Linux port sends (0x9200) is refused, not written into a config "
          "that validate-config refuses",
          "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json"),
                          path("equinix_fabricv4_connection.qinq.response.json")});
  REQUIRE(in);
  REQUIRE(in->equinix.size() == 1);
  in->equinix[0].aSideProtocol = "QINQ";
  in->equinix[0].aSideSTag = 100, in->equinix[0].aSideCTag = 200;
  in->equinix[0].tagProtocolId = 0x9200;
  auto r = intent::importYaml(*in, {"eth1"});
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains("tagProtocolId 0x9200 is not a TPID a Linux port sends an S-tag with"));
  in->equinix[0].tagProtocolId = 0x88a8;
  CHECK(intent::importYaml(*in, {"eth1"}));
}

TEST_CASE("intent import: masked sample values are refused with the JSON path", "[intent]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.api-doc.json")});
  REQUIRE(in);
  auto y = intent::importYaml(*in, {});
  REQUIRE_FALSE(y);
  CHECK_THAT(y.error(), Catch::Contains("$.VirtualBorderRouterSet.VirtualBorderRouterType[0].PeerGatewayIp/PeeringSubnetMask"));
  CHECK_THAT(y.error(), Catch::Contains("masked in the sample?"));
}

TEST_CASE("intent reconcile: provisioning states and their hints, VLANs of both sides", "[intent]") {
  auto find = [](const intent::Reconciliation& r, const std::string& what) -> const CheckResult* {
    for (const auto& f : r.findings)
      if (f.check.summary.find(what) != std::string::npos) return &f.check;
    return nullptr;
  };
  auto pending = cloud::load({path("equinix_fabricv4_connection.colo2alibaba.dot1q.response.json")});
  auto fs = intent::reconcile(*pending);
  REQUIRE(find(fs, "not provisioned"));
  CHECK(find(fs, "not provisioned")->hint == "Equinix is still provisioning: wait, then check again");
  CHECK(find(fs, "not provisioned")->id == "equinix.connection.status");
  auto failed = cloud::load({path("equinix_fabricv4_connection.google-partner.deprovisioned-failed.json")});
  CHECK(find(intent::reconcile(*failed), "not provisioned")->hint == "provisioning failed: open a case with Equinix");
  auto ok = cloud::load({path("equinix_fabricv4_connection.generic.dot1q.provisioned.json"),
                          path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json")});
  auto all = intent::reconcile(*ok);
  CHECK(find(all, "is provisioned")->status == Status::Ok);
  const auto* vlan = find(all, "Equinix zSide VLAN");
  REQUIRE(vlan);
  CHECK(vlan->status == Status::Critical);  // zSide 3322 vs the VBR's 10
  CHECK(vlan->observed == "zSide 3322, VBR 10");
  CHECK(all.status == Status::Critical);
  // PENDING_APPROVAL (as providerStatus, spelt with a space or not): accept it in Alibaba's console.
  intent::Intent pa;
  pa.equinix.push_back({});
  pa.equinix[0].equinixStatus = "PROVISIONED";
  pa.equinix[0].providerStatus = "PENDING APPROVAL";
  CHECK(find(intent::reconcile(pa), "not provisioned")->hint == "accept the connection in the Alibaba console");
}

TEST_CASE("redundant pairs: REDUNDANT, DEGRADED (one down, or one NIC), DOWN", "[intent][pair]") {
  auto up = [](const char* n, const char* i) { return finalizeLink(n, i, {ok("link.carrier", Layer::Link, "", "", "")}); };
  auto down = [](const char* n, const char* i) {
    return finalizeLink(n, i, {verdict(Status::Critical, "link.carrier", Layer::Link, "", "", "", "")});
  };
  CHECK(judgePair(up("a", "eth1"), up("b", "eth2"), false).verdict == PairVerdict::Redundant);
  CHECK(judgePair(up("a", "eth1"), up("b", "eth2"), std::nullopt).verdict == PairVerdict::Redundant);
  auto nic = judgePair(up("a", "eth1"), up("b", "eth2"), true);
  CHECK(nic.verdict == PairVerdict::Degraded);
  CHECK(nic.summary == "eth1 and eth2 are ports of one NIC: one card failure takes both down");
  auto one = judgePair(up("a", "eth1"), down("b", "eth2"), false);
  CHECK(one.verdict == PairVerdict::Degraded);
  CHECK(one.summary == "no redundancy: b is NOT_READY (first broken layer: link)");
  CHECK(judgePair(down("a", "eth1"), down("b", "eth2"), false).verdict == PairVerdict::Down);
}
