// Google Compute output (tests/fixtures/intent, sources in SOURCES.md): gcloud's JSON and
// default YAML and the API's JSON of get-diagnostics, describe and routers get-status read
// alike, and judged in Google's words. The gcp_* files are Google's published samples; the
// google_* ones are constructed from the API schema and printed through the real gcloud.
#include <catch2/catch.hpp>

#include <chrono>

#include "agent/check/eval_google.h"
#include "probes/cloud/cloud.h"

using namespace linkready;

namespace {

std::string path(const std::string& f) { return std::string(LINKREADY_TEST_FIXTURES) + "/intent/" + f; }

cloud::Intent load(std::initializer_list<const char*> files) {
  std::vector<std::string> paths;
  for (const char* f : files) paths.push_back(path(f));
  auto in = cloud::load(paths);
  INFO((in ? "" : in.error()));
  REQUIRE(in);
  return *in;
}

const CheckResult* find(const std::vector<CheckResult>& cs, const std::string& id) {
  for (const auto& c : cs)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("google: every diagnostics sample is read, JSON, API JSON and gcloud YAML alike", "[google]") {
  struct Case {
    const char* file;
    size_t links;
    const char* firstCircuit;
  };
  const Case cases[] = {
      {"gcp_compute_interconnects_getDiagnostics.cci-doc.api.json", 1, "GCP-00112"},
      {"gcp_gcloud_interconnects_get-diagnostics.cci-doc.yaml", 1, "GCP-00112"},
      {"gcp_gcloud_interconnects_get-diagnostics.macsec-doc.yaml", 1, "LOOP-0"},  // no result: wrapper
      {"gcp_gcloud_interconnects_get-diagnostics.troubleshooting-detached.yaml", 1, "SAMPLE-0"},
      {"google_compute_interconnects_getDiagnostics.2links.constructed.api.json", 2, "GCP-00112"},
      {"google_gcloud_interconnects_get-diagnostics.2links.constructed.json", 2, "GCP-00112"},
      {"google_gcloud_interconnects_get-diagnostics.2links.constructed.yaml", 2, "GCP-00112"},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    cloud::Intent in = load({c.file});
    REQUIRE(in.googleDiagnostics.size() == 1);
    CHECK(in.googleDiagnostics[0].links.size() == c.links);
    CHECK(in.googleDiagnostics[0].links[0].circuitId == c.firstCircuit);
  }
  // The YAML's folded demarc, its numbers and enums are the JSON's.
  auto json = load({"google_gcloud_interconnects_get-diagnostics.2links.constructed.json"}).googleDiagnostics[0];
  auto yaml = load({"google_gcloud_interconnects_get-diagnostics.2links.constructed.yaml"}).googleDiagnostics[0];
  for (size_t i = 0; i < 2; ++i) {
    CHECK(yaml.links[i].googleDemarc == json.links[i].googleDemarc);
    CHECK(yaml.links[i].rx.valueDbm == json.links[i].rx.valueDbm);
    CHECK(yaml.links[i].rx.state == json.links[i].rx.state);
    CHECK(yaml.links[i].lacpState == json.links[i].lacpState);
    CHECK(yaml.links[i].neighborSystemId == json.links[i].neighborSystemId);
  }
  CHECK(json.links[0].googleDemarc == "MARKL:MMR A/ 4th floor Cab 04.105.004.704 FP 4 Port 3 Fibers 77,78 -LC");
  CHECK(json.links[1].rx.valueDbm == -40.0);
  CHECK(json.links[1].rx.state == "LOW_ALARM");
  CHECK(yaml.arpCaches.size() == 1);
  CHECK(yaml.arpCaches[0].macAddress == "ec:ce:13:e2:99:07");
  // The MACsec sample's quoted MACs stay text; a detached link has 0.0 and no state.
  auto macsec = load({"gcp_gcloud_interconnects_get-diagnostics.macsec-doc.yaml"}).googleDiagnostics[0];
  CHECK(macsec.links[0].neighborSystemId == "55:44:33:22:11:00");
  CHECK(macsec.links[0].macsecOperational == false);
  auto detached = load({"gcp_gcloud_interconnects_get-diagnostics.troubleshooting-detached.yaml"}).googleDiagnostics[0];
  CHECK(detached.links[0].lacpState == "DETACHED");
  CHECK(detached.links[0].rx.valueDbm == 0.0);
  CHECK(detached.links[0].rx.state.empty());
  CHECK(detached.links[0].operationalStatus.empty());
}

TEST_CASE("google: describe and routers get-status, JSON, API JSON and YAML alike", "[google]") {
  for (const char* f : {"google_gcloud_interconnects_describe.cci-alibaba.constructed.json",
                        "google_compute_interconnects_get.cci-alibaba.constructed.api.json"}) {
    INFO(f);
    auto ic = load({f}).googleInterconnects;
    REQUIRE(ic.size() == 1);
    CHECK(ic[0].name == "cci-alibaba-primary");
    CHECK(ic[0].crossCloud());  // DEDICATED with remoteLocation
    CHECK(ic[0].interconnectType == "DEDICATED");
    REQUIRE(ic[0].circuits.size() == 2);
    CHECK(ic[0].circuits[1].googleCircuitId == "GCP-00113");
    CHECK(ic[0].circuits[1].customerDemarcId == "pc-example000000000002");
    REQUIRE(ic[0].expectedOutages.size() == 1);
    CHECK(ic[0].expectedOutages[0].startMs == 1744934400000ull);  // int64 as a string
    CHECK(ic[0].provisionedLinkCount == 2u);
  }
  for (const char* f : {"google_gcloud_routers_get-status.constructed.json", "google_gcloud_routers_get-status.constructed.yaml",
                        "google_compute_routers_getRouterStatus.constructed.api.json"}) {
    INFO(f);
    auto routers = load({f}).googleRouters;
    REQUIRE(routers.size() == 1);
    const auto& peers = routers[0].peers;
    REQUIRE(peers.size() == 2);
    CHECK(peers[0].name == "alibaba-peer-primary");
    CHECK(peers[0].peerIpAddress == "169.254.10.2");
    CHECK(peers[0].state == "Established");
    CHECK(peers[0].numLearnedRoutes == 1u);
    CHECK(peers[0].uptimeSeconds == 184445u);
    REQUIRE(peers[0].bfd);
    CHECK(peers[0].bfd->uptimeMs == 184431000u);  // '184431000' in the YAML
    CHECK(peers[1].status == "DOWN");
    CHECK(peers[1].bfd->numRx == 0u);
    CHECK(peers[1].uptime.empty());
  }
}

TEST_CASE("google: numbers in either form, unknown enums kept, errors name the file and the path", "[google]") {
  auto in = cloud::parse(R"({"result":{"bgpPeerStatus":[{"name":"p","status":"SOMETHING_NEW","numLearnedRoutes":"3",
                               "uptimeSeconds":12,"bfdStatus":{"uptimeMs":5,"controlPacketCounts":{"numRx":"7"}}}]}})",
                         "router.json");
  REQUIRE(in);
  const auto& p = in->googleRouters[0].peers[0];
  CHECK(p.numLearnedRoutes == 3u);
  CHECK(p.uptimeSeconds == 12u);
  CHECK(p.bfd->uptimeMs == 5u);
  CHECK(p.bfd->numRx == 7u);
  CHECK(p.status == "SOMETHING_NEW");
  auto v = google::evaluateGooglePeer(p);
  CHECK(find(v, "google.bgp.session")->status == Status::Unknown);
  // A YAML MAC made of digits, unquoted, is text (YAML 1.2), not a base-60 number.
  auto mac = cloud::parse("result:\n  links:\n  - circuitId: C1\n    lacpStatus:\n      neighborSystemId: 55:44:33:22:11:00\n"
                          "  macAddress: 00:11:22:33:44:55\n",
                          "diag.yaml");
  REQUIRE(mac);
  CHECK(mac->googleDiagnostics[0].links[0].neighborSystemId == "55:44:33:22:11:00");
  CHECK(mac->googleDiagnostics[0].macAddress == "00:11:22:33:44:55");
  auto bad = cloud::parse(R"({"result":{"macAddress":"x","links":[{"circuitId":"C1","receivingOpticalPower":{"value":"bright"}}]}})",
                          "diag.json");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "diag.json: $.result.links[0].receivingOpticalPower.value: expected a number, found \"bright\"");
  auto badYaml = cloud::parse("result:\n  macAddress: x\n  links:\n  - circuitId: C1\n    lacpStatus: [1, 2]\n    receivingOpticalPower:\n      state: {a: 1}\n",
                              "diag.yaml");
  REQUIRE_FALSE(badYaml);
  CHECK(badYaml.error() == "diag.yaml: $.result.links[0].receivingOpticalPower.state: expected text, found object");
  // Aliases that multiply a small file are refused, not expanded.
  std::string bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (char c = 'b'; c <= 'h'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [" + std::string("*") + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
            ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + "]\n";
  auto laughs = cloud::parse(bomb, "laughs.yaml");
  REQUIRE_FALSE(laughs);
  CHECK(laughs.error() == "laughs.yaml: not JSON, and not YAML either (more than 262144 values (aliases?))");
  auto notYaml = cloud::parse("result: [\n", "broken.yaml");
  REQUIRE_FALSE(notYaml);
  CHECK_THAT(notYaml.error(), Catch::StartsWith("broken.yaml: not JSON, and not YAML either (line "));
}

TEST_CASE("google: links judged in Google's words, each naming its circuit and demarc", "[google]") {
  auto d = load({"google_gcloud_interconnects_get-diagnostics.2links.constructed.json"}).googleDiagnostics[0];
  google::FarEnd far{"the Alibaba port"};
  auto good = google::evaluateGoogleLink(d.links[0], d, far);
  for (const auto& c : good) {
    INFO(c.id << ": " << c.summary);
    CHECK(c.status == Status::Ok);
    CHECK_THAT(c.summary, Catch::Contains("circuit GCP-00112 (demarc MARKL:MMR A/ 4th floor"));
  }
  CHECK(find(good, "google.link.rx_power")->observed == "Rx -2.97 dBm OK");
  auto dark = google::evaluateGoogleLink(d.links[1], d, far);
  const CheckResult* rx = find(dark, "google.link.rx_power");
  CHECK(rx->status == Status::Critical);
  CHECK(rx->layer == Layer::Optics);
  CHECK_THAT(rx->hint, Catch::StartsWith("Google receives no light from the Alibaba port: the cross-connect to Google's demarc "
                                         "MARKL:MMR A/ 4th floor Cab 04.105.004.704 FP 4 Port 4 Fibers 79,80 -LC"));
  CHECK_THAT(rx->hint, Catch::Contains("Tx/Rx are swapped at the patch panel"));
  CHECK(find(dark, "google.link.tx_power")->status == Status::Ok);
  CHECK(find(dark, "google.link.lacp")->status == Status::Critical);  // out of a bundle that is up
  CHECK(find(dark, "google.link.status")->status == Status::Critical);
  CHECK(google::evaluateGoogleBundle(d)[0].status == Status::Ok);
  // A detached link during turn-up: no state is no verdict, and it says why.
  auto det = load({"gcp_gcloud_interconnects_get-diagnostics.troubleshooting-detached.yaml"}).googleDiagnostics[0];
  auto dv = google::evaluateGoogleLink(det.links[0], det, {});
  CHECK(find(dv, "google.link.rx_power")->status == Status::Unknown);
  CHECK_THAT(find(dv, "google.link.rx_power")->hint, Catch::Contains("expected while Google tests the circuit"));
  CHECK(find(dv, "google.link.lacp")->status == Status::Warning);  // no bundle status: turn-up
  // Each optical state.
  CHECK(google::opticalStatus("LOW_WARNING") == Status::Warning);
  CHECK(google::opticalStatus("HIGH_ALARM") == Status::Critical);
  CHECK(google::opticalStatus("BRAND_NEW") == Status::Unknown);
}

TEST_CASE("google: Cloud Router peers, routes and BFD, the interconnect and its outages", "[google]") {
  auto r = load({"google_gcloud_routers_get-status.constructed.yaml"}).googleRouters[0];
  auto up = google::evaluateGooglePeer(r.peers[0]);
  CHECK(find(up, "google.bgp.session")->status == Status::Ok);
  CHECK(find(up, "google.bgp.session")->summary == "Cloud Router peer alibaba-peer-primary (169.254.10.1 -> 169.254.10.2): UP Established");
  CHECK(find(up, "google.bgp.routes")->observed == "1 routes learned");
  CHECK(find(up, "google.bgp.bfd")->status == Status::Ok);
  auto down = google::evaluateGooglePeer(r.peers[1]);
  CHECK(find(down, "google.bgp.session")->status == Status::Critical);
  CHECK_THAT(find(down, "google.bgp.session")->hint, Catch::Contains("BGP not established (Active)"));
  CHECK_FALSE(find(down, "google.bgp.routes"));
  CHECK(find(down, "google.bgp.bfd")->status == Status::Critical);
  CHECK_THAT(find(down, "google.bgp.bfd")->hint, Catch::StartsWith("Google receives no BFD packet from the far end"));
  auto md5 = r.peers[1];
  md5.statusReason = "MD5_AUTH_INTERNAL_PROBLEM";
  CHECK_THAT(find(google::evaluateGooglePeer(md5), "google.bgp.session")->hint, Catch::StartsWith("MD5:"));
  auto ic = load({"google_gcloud_interconnects_describe.cci-alibaba.constructed.json"}).googleInterconnects[0];
  auto iv = google::evaluateGoogleInterconnect(ic);
  CHECK(find(iv, "google.interconnect.state")->status == Status::Ok);
  // The sample's outage window ended on 2025-04-18: history now, whatever its state says.
  REQUIRE(ic.expectedOutages.size() == 1);
  CHECK_FALSE(find(iv, "google.interconnect.outage"));
  // The same outage a day from now: a WARNING with its window in UTC.
  uint64_t now = uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count());
  ic.expectedOutages[0].startMs = now + 86400000;
  ic.expectedOutages[0].endMs = now + 2 * 86400000;
  iv = google::evaluateGoogleInterconnect(ic);
  const CheckResult* outage = find(iv, "google.interconnect.outage");
  REQUIRE(outage);
  CHECK(outage->status == Status::Warning);
  CHECK_THAT(outage->summary, Catch::Contains("PARTIAL_OUTAGE IOM-2025-0417-0001 on GCP-00113, 20"));
  CHECK_THAT(outage->hint, Catch::Contains(" UTC to 20") && Catch::Contains("may drop from"));
}
