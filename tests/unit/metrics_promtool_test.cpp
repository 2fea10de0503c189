// The Prometheus text of /metrics, without root: renderMetrics fed with a report and facts
// (real module dumps, real FRR 8.4.4 output), read back by Debian's `promtool check metrics`
// (the exposition format and Prometheus' naming lint) and by the eye of a user: the series
// and labels the README promises.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "agent/check/engine.h"
#include "agent/render/metrics.h"
#include "probes/bgp/frr_json.h"
#include "probes/optics/decode.h"
#include "test_util.h"

using namespace linkready;
using linkready::test::fixture;

namespace {

struct Promtool {
  int exitCode = -1;
  std::string output;
};

Promtool promtoolCheck(const std::string& text) {
  std::string path = "/tmp/linkready-metrics-" + std::to_string(getpid()) + ".prom";
  std::ofstream(path) << text;
  Promtool r;
  FILE* p = popen((std::string(LINKREADY_PROMTOOL) + " check metrics < " + path + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) r.output.append(buf, n);
  int status = pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::remove(path.c_str());
  return r;
}

optics::OpticsFacts module(const std::string& name, std::vector<uint8_t> pages = {}) {
  auto m = optics::parseDump(fixture("optics/" + name + "/eeprom.bin"), pages);
  REQUIRE(m);
  optics::OpticsFacts f;
  f.probed = true;
  f.module = optics::decodeModule(*m);
  return f;
}

link::LinkFacts port(const std::string& name, int ifindex, uint32_t carrierChanges) {
  link::InterfaceFacts i;
  i.name = name;
  i.ifindex = ifindex;
  i.adminUp = i.carrier = true;
  i.carrierChanges = carrierChanges;
  link::LinkFacts f;
  f.iface = i;
  f.all = {i};
  return f;
}

struct Scenario {
  config::Config cfg;
  Report report;
  std::map<std::string, Observation> facts;
  AgentCounters counters;
};

// Two links: an SFP+ LR (lane 1) with both sessions up, a QSFP28 LR4 whose lane 1 reads no
// light (raw 0) with the IPv4 session down.
Scenario scenario() {
  Scenario s;
  auto c = config::fromString(
      "agent: {id: edge-hk-01}\n"
      "orchestrator: {url: https://orchestrator.example/v1/readiness, token_file: /etc/linkready/token}\n"
      "links:\n"
      "  - name: primary\n    interface: eth1\n    order: {port_type: 10GBASE-LR}\n"
      "    bgp: {peer: 10.0.0.1, peer6: 2001:db8:ffff::1, local_as: 65010}\n"
      "  - name: secondary\n    interface: eth2\n    order: {port_type: 100GBASE-LR4}\n"
      "    bgp: {peer: 10.0.0.5, local_as: 65010}\n");
  REQUIRE(c);
  s.cfg = *c;
  auto up = std::make_shared<bgp::BgpFacts>();
  up->neighbors = *bgp::parseNeighbors(fixture("frr/01_established/bgp_vrf_all_neighbors.json"));
  auto down = std::make_shared<bgp::BgpFacts>(*up);
  for (auto& n : down->neighbors) n.address = n.address == "10.0.0.1" ? "10.0.0.5" : "unrelated";
  for (auto& n : down->neighbors) n.state = "Active";

  Observation primary, secondary;
  primary.optics = module("sff8472_10g_lr_flexoptix_P.B1696.10.DA");
  primary.link = port("eth1", 2, 3);
  primary.bgp = up;
  secondary.optics = module("sff8636_100g_lr4_fs_QSFP28-IR4-100G", {0x00, 0x01, 0x02, 0x03});
  REQUIRE(secondary.optics.module.lanes.size() == 4);
  secondary.optics.module.lanes[0].rxPower = optics::Power{0, 0};
  secondary.link = port("eth2", 3, 0);
  secondary.bgp = down;
  s.facts = {{"primary", primary}, {"secondary", secondary}};
  for (const auto& l : s.cfg.links) s.report.links.push_back(judgeObservation(l, s.facts[l.name], {Layer::Optics, Layer::Bgp}));
  s.report.probes = {{"optics", 0.0016, true}, {"bgp", 0.0008, true}};
  s.report.status = worstStatus(s.report.links);
  s.counters.reportsSent = 12, s.counters.reportsFailed = 3, s.counters.reportsSpooledTotal = 15;
  s.counters.spoolEntries = 2, s.counters.spoolBytes = 4096, s.counters.droppedHeartbeats = 1;
  s.counters.checksRun = 42, s.counters.lastDeliveryUnix = 1764400000, s.counters.orchestratorConfigured = true;
  return s;
}

// name{labels} value, for the series a user would look for.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    out[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("metrics: promtool accepts the exposition, lint included", "[metrics][promtool]") {
  Scenario s = scenario();
  std::string text = renderMetrics(s.cfg, s.report, s.facts, s.counters);
  Promtool p = promtoolCheck(text);
  INFO(text << "\npromtool: " << p.output);
  CHECK(p.exitCode == 0);
  CHECK(p.output.empty());
}

TEST_CASE("metrics: the series and labels the README promises, no light as -Inf", "[metrics]") {
  Scenario s = scenario();
  auto m = samples(renderMetrics(s.cfg, s.report, s.facts, s.counters));
  CHECK(std::stod(m.at(R"(linkready_transceiver_rx_power_dbm{interface="eth1",lane="1"})")) == Approx(-2.58).margin(0.005));
  CHECK(m.at(R"(linkready_transceiver_rx_power_dbm{interface="eth2",lane="1"})") == "-Inf");
  CHECK(m.count(R"(linkready_transceiver_rx_power_dbm{interface="eth2",lane="4"})"));
  CHECK(m.at(R"(linkready_link_readiness{link="primary"})") == "0");
  CHECK(m.at(R"(linkready_link_readiness{link="secondary"})") == "2");
  CHECK(m.at(R"(linkready_bgp_peer_state{link="primary",peer="10.0.0.1",vrf="default"})") == "1");
  CHECK(m.at(R"(linkready_bgp_peer_state{link="secondary",peer="10.0.0.5",vrf="default"})") == "0");
  CHECK(m.at(R"(linkready_check_status{link="secondary",check="optics.lane1.rx_power"})") == "2");
  CHECK(m.at(R"(linkready_link_carrier_changes_total{link="primary",interface="eth1"})") == "3");
  CHECK(m.at("linkready_reports_spooled") == "2");
  CHECK(m.at(R"(linkready_reports_dropped_total{kind="heartbeat"})") == "1");
}

TEST_CASE("metrics: promtool fails on a broken exposition (the check can fail)", "[metrics][promtool]") {
  Promtool p = promtoolCheck("# TYPE linkready_link_up gauge\nlinkready_link_up{link=\"a\"} 1\nlinkready_link_up{link=\"a\"} 1 x\n");
  CHECK(p.exitCode != 0);
  Promtool lint = promtoolCheck("# HELP linkready_reports counter without _total\n# TYPE linkready_reports counter\nlinkready_reports 1\n");
  CHECK(lint.exitCode != 0);
  CHECK(lint.output.find("_total") != std::string::npos);
}

TEST_CASE("metrics: links sharing a port (hosted connections on one trunk) give its module's series once",
          "[metrics]") {
  Scenario s = scenario();
  auto c = config::fromString(
      "links:\n"
      "  - name: primary\n    interface: eth1\n    vlan: {mode: dot1q, id: 100}\n"
      "  - name: hosted-b\n    interface: eth1\n    vlan: {mode: dot1q, id: 200}\n");
  REQUIRE(c);
  s.cfg = *c;
  Observation b = s.facts.at("primary");
  s.facts = {{"primary", s.facts.at("primary")}, {"hosted-b", b}};
  s.report.links.clear();
  for (const auto& l : s.cfg.links) s.report.links.push_back(judgeObservation(l, s.facts[l.name], {Layer::Optics}));
  std::string text = renderMetrics(s.cfg, s.report, s.facts, s.counters);
  std::set<std::string> seen;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::string series = line.substr(0, line.rfind(' '));
    INFO(series);
    CHECK(seen.insert(series).second);  // before: every transceiver series twice
  }
  CHECK(seen.count(R"(linkready_transceiver_rx_power_dbm{interface="eth1",lane="1"})"));
  CHECK(seen.count(R"(linkready_transceiver_temperature_celsius{interface="eth1"})"));
  CHECK(seen.count(R"(linkready_link_readiness{link="hosted-b"})"));
}
