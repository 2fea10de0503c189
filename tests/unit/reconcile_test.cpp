// One run over all the files of a Cross-Cloud turn-up (Alibaba ports and VBRs, Google's
// diagnostics, interconnect and Cloud Router status): the verdicts in `check --json`'s
// fields, the Google circuit -> Alibaba port mapping, a crossed pair, the redundant pair.
#include <catch2/catch.hpp>

#include "agent/check/eval_far_end.h"
#include "agent/check/reconcile.h"
#include "agent/render/reconcile_view.h"
#include "probes/cloud/cloud.h"

using namespace linkready;

namespace {

std::string path(const std::string& f) { return std::string(LINKREADY_TEST_FIXTURES) + "/intent/" + f; }

cloud::Intent turnUp() {
  auto in = cloud::load({path("alibaba_vpc_DescribePhysicalConnections.cci-google.constructed.json"),
                         path("alibaba_vpc_DescribeVirtualBorderRouters.cci-google.constructed.json"),
                         path("google_gcloud_interconnects_get-diagnostics.2links.constructed.yaml"),
                         path("google_gcloud_interconnects_describe.cci-alibaba.constructed.json"),
                         path("google_gcloud_routers_get-status.constructed.json")});
  INFO((in ? "" : in.error()));
  REQUIRE(in);
  return *in;
}

const intent::Finding* find(const intent::Reconciliation& r, const std::string& id, const std::string& subject = "") {
  for (const auto& f : r.findings)
    if (f.check.id == id && f.subject.find(subject) != std::string::npos) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("reconcile: a Cross-Cloud turn-up in one run, mapped circuit by circuit, the pair DEGRADED", "[reconcile]") {
  auto r = intent::reconcile(turnUp());
  REQUIRE(r.circuits.size() == 2);
  CHECK(r.circuits[0].circuitId == "GCP-00112");
  CHECK(r.circuits[0].physicalConnectionId == "pc-example000000000001");
  CHECK(r.circuits[0].vbrId == "vbr-example00000000001");
  CHECK(r.circuits[0].matchedBy == "CircuitCode");
  CHECK_FALSE(r.circuits[0].crossed);
  CHECK(r.circuits[1].physicalConnectionId == "pc-example000000000002");
  // The dark circuit belongs to the redundant port; its BGP peer too (by the VBR's IP).
  const auto* dark = find(r, "google.link.rx_power", "GCP-00113");
  REQUIRE(dark);
  CHECK(dark->connection == "pc-example000000000002");
  CHECK(dark->check.status == Status::Critical);
  const auto* peer = find(r, "google.bgp.session", "alibaba-peer-redundant");
  REQUIRE(peer);
  CHECK(peer->connection == "pc-example000000000002");
  CHECK(find(r, "alibaba.vbr.status", "vbr-example00000000001")->check.status == Status::Ok);
  REQUIRE(r.pairs.size() == 1);  // the redundant port names the primary: enough
  CHECK(r.pairs[0].verdict == PairVerdict::Degraded);
  CHECK(r.pairs[0].summary == "no redundancy: pc-example000000000002 is NOT_READY (first broken layer: optics)");
  CHECK(r.status == Status::Critical);
  // --json: the check fields of `check --json`, plus where each belongs.
  auto j = intent::reconcileJson(r);
  CHECK(j["schema"] == "linkready.reconcile/v1");
  CHECK(j["status_code"] == 2);
  for (const auto& c : j["checks"])
    for (const char* k : {"id", "layer", "status", "status_code", "summary", "observed", "expected", "hint", "subject", "connection"})
      CHECK(c.contains(k));
  CHECK(j["pairs"][0]["verdict"] == "DEGRADED");
  CHECK(j["circuits"][1]["physical_connection_id"] == "pc-example000000000002");
  CHECK_THAT(intent::reconcileText(r), Catch::Contains("  GCP-00113 -> pc-example000000000002 (vbr-example00000000002), by CircuitCode\n"));
}

TEST_CASE("reconcile: a crossed pair, from the ports' circuit codes and from Google's ARP", "[reconcile]") {
  // The circuit codes entered on the Alibaba ports are the wrong way round against the
  // ports Google was given (customerDemarcId).
  auto in = turnUp();
  std::swap(in.connections[0].circuitCode, in.connections[1].circuitCode);
  auto r = intent::reconcile(in);
  CHECK(r.circuits[0].crossed);
  const auto* m = find(r, "crosscloud.circuit.mapping", "GCP-00112");
  REQUIRE(m);
  CHECK(m->check.status == Status::Critical);
  CHECK(m->check.observed == "Google's customerDemarcId pc-example000000000001, but pc-example000000000002 carries CircuitCode GCP-00112");
  CHECK_THAT(m->check.hint, Catch::StartsWith("the circuit ids and the ports' circuit codes do not line up (a crossed pair)"));
  // One circuit per interconnect (as Google's guide orders them): Google's ARP on GCP-00112
  // holds the redundant VBR's address, so the fibre lands on the other port.
  auto one = cloud::load({path("alibaba_vpc_DescribePhysicalConnections.cci-google.constructed.json"),
                          path("alibaba_vpc_DescribeVirtualBorderRouters.cci-google.constructed.json"),
                          path("gcp_compute_interconnects_getDiagnostics.cci-doc.api.json")});
  REQUIRE(one);
  auto straight = intent::reconcile(*one);
  CHECK(find(straight, "crosscloud.circuit.mapping", "GCP-00112")->check.status == Status::Ok);
  one->googleDiagnostics[0].arpCaches.push_back({"169.254.20.2", "ec:ce:13:e2:99:08"});
  auto crossed = intent::reconcile(*one);
  const auto* x = find(crossed, "crosscloud.circuit.mapping", "GCP-00112");
  CHECK(x->check.status == Status::Critical);
  CHECK(x->check.summary == "circuit GCP-00112 (demarc MARKL:MMR A/ 4th floor Cab 04.105.004.704 FP 4 Port 3 Fibers 77,78 -LC): "
                            "crossed, the other port's VBR answers on it");
  CHECK(x->check.observed == "ARP from the VBR of pc-example000000000002 (vbr-example00000000002)");
  CHECK(crossed.circuits[0].crossed);
}

TEST_CASE("reconcile: REDUNDANT when both connections are ready, DOWN when neither is", "[reconcile]") {
  auto in = turnUp();
  in.googleDiagnostics[0].links[1] = in.googleDiagnostics[0].links[0];
  in.googleDiagnostics[0].links[1].circuitId = "GCP-00113";
  in.googleRouters[0].peers[1] = in.googleRouters[0].peers[0];
  in.googleRouters[0].peers[1].name = "alibaba-peer-redundant";
  in.googleRouters[0].peers[1].ipAddress = "169.254.20.1";
  in.googleRouters[0].peers[1].peerIpAddress = "169.254.20.2";
  in.googleInterconnects[0].expectedOutages.clear();
  auto r = intent::reconcile(in);
  INFO(intent::reconcileText(r));
  CHECK(r.status == Status::Ok);
  CHECK(r.pairs[0].verdict == PairVerdict::Redundant);
  for (auto& c : in.connections) c.status = "Allocated";
  CHECK(intent::reconcile(in).pairs[0].verdict == PairVerdict::Down);
}

TEST_CASE("check --intent: both ends of the fibre, which direction is dark, our MAC in Google's ARP", "[reconcile][farend]") {
  auto d = turnUp().googleDiagnostics[0];
  optics::OpticsFacts ours;
  ours.probed = true;
  optics::Lane lane;
  lane.txPower = optics::Power{5012, 0.5012};  // -3.0 dBm
  lane.rxPower = optics::Power{4467, 0.4467};  // -3.5 dBm
  ours.module.lanes.push_back(lane);
  link::LinkFacts link;
  link.iface = link::InterfaceFacts{};
  link.iface->mac = "ec:ce:13:e2:99:07";
  auto find = [](const std::vector<CheckResult>& cs, const std::string& id) {
    for (const auto& c : cs)
      if (c.id == id) return c;
    FAIL("no " << id);
    return CheckResult{};
  };
  auto lit = google::evaluateFarEnd(ours, link, d.links[0], d);
  CHECK(find(lit, "farend.optics.direction").status == Status::Ok);
  CHECK(find(lit, "farend.optics.direction").observed ==
        "our Tx -3.00 dBm -> Google Rx -2.97 dBm; Google Tx -1.67 dBm -> our Rx -3.50 dBm");
  CHECK(find(lit, "farend.arp.mac").status == Status::Ok);
  // Google's circuit GCP-00113 is dark at Google while we receive Google's light.
  auto usToGoogle = find(google::evaluateFarEnd(ours, link, d.links[1], d), "farend.optics.direction");
  CHECK(usToGoogle.status == Status::Critical);
  CHECK_THAT(usToGoogle.summary, Catch::EndsWith("dark from us to Google"));
  // Both receivers dark, both transmitters fine: crossed.
  ours.module.lanes[0].rxPower = optics::Power{0, 0};
  ours.module.lanes[0].rxLos = true;
  auto crossed = find(google::evaluateFarEnd(ours, link, d.links[1], d), "farend.optics.direction");
  CHECK(crossed.status == Status::Critical);
  CHECK_THAT(crossed.summary, Catch::EndsWith("crossed, both receivers dark while both transmitters are fine"));
  CHECK_THAT(crossed.hint, Catch::StartsWith("Tx and Rx are swapped at a patch panel: roll the two strands at the demarc"));
  // Only our Rx dark: Google to us.
  auto googleToUs = find(google::evaluateFarEnd(ours, link, d.links[0], d), "farend.optics.direction");
  CHECK_THAT(googleToUs.summary, Catch::EndsWith("dark from Google to us"));
  // Another device's MAC in Google's ARP: the cross-connect lands elsewhere.
  link.iface->mac = "02:00:00:00:00:01";
  auto mac = find(google::evaluateFarEnd(ours, link, d.links[0], d), "farend.arp.mac");
  CHECK(mac.status == Status::Critical);
  CHECK(mac.observed == "169.254.10.2 at ec:ce:13:e2:99:07");
  CHECK_THAT(mac.hint, Catch::StartsWith("the cross-connect of circuit GCP-00112 lands on another port than ours"));
}

TEST_CASE("reconcile: a Cloud Router with the VBR's addresses the other way round, and a VBR mask in CIDR form",
          "[reconcile]") {
  auto in = turnUp();
  REQUIRE_FALSE(in.googleRouters.empty());
  REQUIRE_FALSE(in.googleRouters[0].peers.empty());
  auto& p = in.googleRouters[0].peers[0];
  const cloud::Vbr* v = nullptr;
  for (const auto& x : in.vbrs)
    if (x.localGatewayIp == p.peerIpAddress) v = &x;
  REQUIRE(v);  // the premise: the peer is this VBR's Alibaba address
  std::swap(p.ipAddress, p.peerIpAddress);  // the Cloud Router on the VBR's Alibaba address
  auto r = intent::reconcile(in);
  const auto* f = find(r, "crosscloud.bgp.addresses");
  REQUIRE(f);  // before: no finding at all
  CHECK(f->check.status == Status::Critical);
  CHECK_THAT(f->check.summary, Catch::EndsWith("the Cloud Router and the VBR have their addresses the other way round"));
  // PeeringSubnetMask as "/30" or "a.b.c.d/30" (import takes both): the subnet is judged.
  for (auto& x : in.vbrs) x.peeringSubnetMask = "/30";
  auto cidr = intent::reconcile(in);
  const auto* s = find(cidr, "alibaba.vbr.subnet", v->id);
  REQUIRE(s);  // before: skipped without a word
  CHECK(s->check.status == Status::Ok);
  for (auto& x : in.vbrs) x.peeringSubnetMask = "masked";
  CHECK(find(intent::reconcile(in), "alibaba.vbr.subnet", v->id)->check.status == Status::Unknown);
}
