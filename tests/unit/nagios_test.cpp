// `check --format nagios`: the output read back with the monitoring-plugin rules
// (monitoring-plugins development guidelines, "Plugin Output" and "Performance data"):
// a status line, long text, and perfdata 'label'=value[UOM];[warn];[crit];[min];[max] whose
// ranges alert exactly where linkready's own verdicts do. Facts: real module dumps and real
// FRR 8.4.4 output (tests/fixtures), the ping results as the probe reports them.
#include <catch2/catch.hpp>

#include "agent/check/engine.h"
#include "agent/render/nagios.h"
#include "probes/bgp/frr_json.h"
#include "probes/optics/decode.h"
#include "check_util.h"
#include "plugin_format.h"
#include "test_util.h"

using namespace linkready;
using linkready::test::fixture;
using linkready::test::parsePlugin;
using linkready::test::Perf;
using linkready::test::PluginOutput;
using linkready::test::statusFromRanges;

namespace {

// ---- linkready's side: facts from fixtures, the real evaluators ----

config::Config configWith(const std::string& linkExtra) {
  auto c = config::fromString(
      "agent: {id: edge-hk-01}\n"
      "links:\n"
      "  - name: primary\n"
      "    interface: eth1\n"
      "    order: {port_type: 10GBASE-LR}\n"
      "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
      "    bgp: {peer: 10.0.0.1, local_as: 65010, peer6: 2001:db8:ffff::1" +
      linkExtra + "}\n");
  REQUIRE(c);
  return *c;
}

optics::OpticsFacts module(const std::string& name) {
  auto m = optics::parseDump(fixture("optics/" + name + "/eeprom.bin"), {});
  REQUIRE(m);
  optics::OpticsFacts f;
  f.probed = true;
  f.module = optics::decodeModule(*m);
  return f;
}

link::LinkFacts port() {
  link::InterfaceFacts i;
  i.name = "eth1";
  i.ifindex = 2;
  i.adminUp = i.carrier = true;
  i.operState = "up";
  i.mtu = 1500;
  i.addresses.push_back(*IpPrefix::parse("10.0.0.2/30"));
  link::LinkFacts f;
  f.iface = i;
  f.all = {i};
  return f;
}

l3::PingResult ping(int sent, int received, double avgMs) {
  l3::PingResult p;
  p.sent = sent, p.received = received;
  p.minRttMs = avgMs * 0.8, p.avgRttMs = avgMs, p.maxRttMs = avgMs * 1.3;
  return p;
}

Observation observe(const std::string& opticsDump, const std::string& frrState, l3::PingResult p4) {
  Observation o;
  o.optics = module(opticsDump);
  o.link = port();
  o.reach.ran = true;
  o.reach.ping4 = p4;
  o.reach.big4 = ping(2, 2, 0.4);
  o.reach.neighbors.push_back({2, *IpAddress::parse("10.0.0.1"), "02:00:00:00:00:01", "REACHABLE"});
  auto b = std::make_shared<bgp::BgpFacts>();
  b->neighbors = *bgp::parseNeighbors(fixture("frr/" + frrState + "/bgp_vrf_all_neighbors.json"));
  o.bgp = b;
  return o;
}

struct Run {
  Report report;
  std::string output;
  PluginOutput plugin;
};

Run run(const config::Config& cfg, const Observation& o) {
  Run r;
  r.report.agentId = "edge-hk-01";
  r.report.links.push_back(judgeObservation(cfg.links[0], o, {Layer::Optics, Layer::Ip, Layer::Bgp}));
  r.report.status = worstStatus(r.report.links);
  r.output = renderNagios(cfg, r.report, {{"primary", o}});
  r.plugin = parsePlugin(r.output);
  return r;
}

const CheckResult& check(const Report& r, const std::string& id) { return linkready::test::find(r.links[0].checks, id); }

// Every perfdata item with ranges alerts exactly as the verdict it belongs to.
void requireRangesAgree(const Run& r) {
  const std::pair<const char*, const char*> pairs[] = {{"primary_rx_power_lane1", "optics.lane1.rx_power"},
                                                       {"primary_ping_loss", "ip.ping"},
                                                       {"primary_bgp_ipv4_prefixes_received", "bgp.ipv4.prefixes_received"}};
  for (auto [label, id] : pairs) {
    const Perf* p = r.plugin.find(label);
    INFO(label << " in " << r.output);
    REQUIRE(p);
    CHECK(statusFromRanges(*p) == int(check(r.report, id).status));
  }
}

}  // namespace

TEST_CASE("nagios: a healthy link is OK with light, ping and prefixes as perfdata", "[nagios]") {
  auto cfg = configWith("");
  Run r = run(cfg, observe("sff8472_10g_lr_flexoptix_P.B1696.10.DA", "01_established", ping(3, 3, 0.25)));
  INFO(r.output);
  REQUIRE(r.report.status == Status::Ok);
  CHECK(r.plugin.statusLine == "LINKREADY OK - primary READY ");
  CHECK(r.plugin.longText.empty());
  const Perf* rx = r.plugin.find("primary_rx_power_lane1");
  REQUIRE(rx);
  CHECK(rx->uom == "dBm");
  CHECK(*rx->value == Approx(-2.58).margin(0.005));  // the module's own reading (README example)
  // IEEE 10GBASE-LR Rx -14.4..+0.5 dBm, 1 dB margin above the minimum: the bands the verdict uses.
  REQUIRE(rx->warn);
  REQUIRE(rx->crit);
  CHECK(rx->crit->start >= -14.4);
  CHECK(rx->crit->end <= 0.5);
  CHECK(rx->warn->start >= rx->crit->start + 1.0 - 1e-9);
  CHECK(r.plugin.find("primary_tx_power_lane1"));
  const Perf* rtt = r.plugin.find("primary_ping_rtt");
  REQUIRE(rtt);
  CHECK(rtt->uom == "ms");
  CHECK(*rtt->value == Approx(0.25));
  const Perf* loss = r.plugin.find("primary_ping_loss");
  REQUIRE(loss);
  CHECK(*loss->value == 0);
  CHECK(loss->uom == "%");
  CHECK(*loss->max == 100);
  const Perf* v4 = r.plugin.find("primary_bgp_ipv4_prefixes_received");
  REQUIRE(v4);
  CHECK(*v4->value == 3);  // BIRD announces 3 IPv4 and 2 IPv6 prefixes in the lab
  CHECK(*r.plugin.find("primary_bgp_ipv6_prefixes_received")->value == 2);
  requireRangesAgree(r);
}

TEST_CASE("nagios: a round trip of tens of microseconds is not printed as 0 ms", "[nagios]") {
  // On a short link (veth in the lab, a cross-connect in the same cage) an echo takes ~10-50 us.
  Run r = run(configWith(""), observe("sff8472_10g_lr_flexoptix_P.B1696.10.DA", "01_established", ping(3, 3, 0.012)));
  INFO(r.output);
  const Perf* rtt = r.plugin.find("primary_ping_rtt");
  REQUIRE(rtt);
  CHECK(*rtt->value == Approx(0.012));
  CHECK(r.output.find("'primary_ping_rtt'=0.012ms") != std::string::npos);
}

TEST_CASE("nagios: the light bands are the ones in use (configured limits move them)", "[nagios]") {
  // -2.58 dBm received: within 1 dB of a -3.0 minimum is a warning, below -2.0 an alarm.
  for (auto [limit, want] : {std::pair{"-3.0", Status::Warning}, std::pair{"-2.0", Status::Critical}}) {
    auto c = config::fromString(std::string("links:\n  - name: primary\n    interface: eth1\n"
                                            "    order: {port_type: 10GBASE-LR}\n    optics: {rx_min_dbm: ") +
                                limit + "}\n    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
                                        "    bgp: {peer: 10.0.0.1, local_as: 65010}\n");
    REQUIRE(c);
    Run r = run(*c, observe("sff8472_10g_lr_flexoptix_P.B1696.10.DA", "01_established", ping(3, 3, 0.3)));
    INFO(r.output);
    CHECK(check(r.report, "optics.lane1.rx_power").status == want);
    requireRangesAgree(r);
  }
}

TEST_CASE("nagios: no light is U, never a made-up floor, and the status line names the layer", "[nagios]") {
  auto cfg = configWith("");
  Run r = run(cfg, observe("sff8472_10g_lr_oem_SFP-10GB-LR_rx0", "05_link_down", ping(3, 0, 0)));
  INFO(r.output);
  REQUIRE(r.report.status == Status::Critical);
  CHECK(r.plugin.statusLine.rfind("LINKREADY CRITICAL - primary NOT_READY at optics: ", 0) == 0);
  CHECK_FALSE(r.plugin.find("primary_rx_power_lane1")->value);  // 'U'
  CHECK_FALSE(r.plugin.find("primary_ping_rtt")->value);
  CHECK(*r.plugin.find("primary_ping_loss")->value == 100);
  CHECK(statusFromRanges(*r.plugin.find("primary_ping_loss")) == int(Status::Critical));
  // One long-text line per check that is not OK, each with its status and id.
  size_t failing = 0;
  for (const auto& c : r.report.links[0].checks) failing += c.status != Status::Ok;
  REQUIRE(r.plugin.longText.size() == failing);
  CHECK(r.plugin.longText[0].rfind("CRITICAL primary optics.lane1.rx_power: ", 0) == 0);
  for (const auto& line : r.plugin.longText) CHECK(line.size() < 400);
}

TEST_CASE("nagios: prefix ranges fall where the evaluator's 90% warning and limits fall", "[nagios]") {
  // 3 prefixes received (01_established): max 3 -> WARNING (90%), max 110 -> OK, min 5 -> CRITICAL,
  // max 4 -> 3 >= 3.6 WARNING, max 10 -> OK (9.0 is where it starts).
  for (auto extra : {", max_prefixes: 3", ", max_prefixes: 110", ", min_prefixes: 5", ", max_prefixes: 4",
                     ", max_prefixes: 10", ", max_prefixes: 2"}) {
    Run r = run(configWith(extra), observe("sff8472_10g_lr_flexoptix_P.B1696.10.DA", "01_established", ping(3, 2, 0.3)));
    INFO(extra << "\n" << r.output);
    requireRangesAgree(r);
  }
}

TEST_CASE("nagios: the status line for a VLAN failure and text that would break the format", "[nagios]") {
  config::Config cfg = configWith("");
  Report rep;
  rep.links.push_back(finalizeLink(
      "primary", "eth1",
      {verdict(Status::Critical, "vlan.wire", Layer::Vlan, "no answer on 0x8100/100 | frames seen on 0x8100/101",
               "x", "y", "compare the VBR's VlanId\nwith the router's"),
       verdict(Status::Critical, "bgp.ipv4.state", Layer::Bgp, "session to 10.0.0.1 is Connect", "Connect",
               "Established", "tcp")}));
  rep.links.push_back(finalizeLink("secondary", "eth2", {ok("link.carrier", Layer::Link, "up", "up", "up")}));
  rep.pairs.push_back({"primary", "secondary", PairVerdict::Degraded, "no redundancy: primary is NOT_READY"});
  rep.status = worstStatus(rep.links);
  std::string out = renderNagios(cfg, rep, {});
  PluginOutput p = parsePlugin(out);
  INFO(out);
  CHECK(p.statusLine ==
        "LINKREADY CRITICAL - primary NOT_READY at vlan: no answer on 0x8100/100 / frames seen on 0x8100/101; "
        "secondary READY; pair primary+secondary DEGRADED");
  CHECK(p.perf.empty());
  REQUIRE(p.longText.size() == 3);
  CHECK(p.longText[0] ==
        "CRITICAL primary vlan.wire: no answer on 0x8100/100 / frames seen on 0x8100/101 - compare the VBR's "
        "VlanId with the router's");
  CHECK(p.longText[1] == "CRITICAL primary bgp.ipv4.state: session to 10.0.0.1 is Connect (depends on the vlan layer)");
  CHECK(p.longText[2] == "pair primary+secondary DEGRADED: no redundancy: primary is NOT_READY");
}

TEST_CASE("nagios: two READY links whose pair lost its redundancy (one NIC) are a WARNING, not OK", "[nagios][pair]") {
  config::Config cfg = configWith("");
  Report rep;
  rep.links.push_back(finalizeLink("primary", "eth1", {ok("link.carrier", Layer::Link, "up", "up", "up")}));
  rep.links.push_back(finalizeLink("secondary", "eth2", {ok("link.carrier", Layer::Link, "up", "up", "up")}));
  rep.pairs.push_back(judgePair(rep.links[0], rep.links[1], true));  // ports of one NIC
  REQUIRE(rep.pairs[0].verdict == PairVerdict::Degraded);
  rep.status = reportStatus(rep);
  CHECK(rep.status == Status::Warning);  // before: OK, exit 0, beside "pair ... DEGRADED"
  PluginOutput p = parsePlugin(renderNagios(cfg, rep, {}));
  CHECK(p.statusLine == "LINKREADY WARNING - primary READY; secondary READY; pair primary+secondary DEGRADED");
  rep.pairs[0] = judgePair(rep.links[0], rep.links[1], false);
  CHECK(reportStatus(rep) == Status::Ok);
}

TEST_CASE("nagios: the prefix warning range never reads backwards, even with min_prefixes near the limit",
          "[nagios]") {
  // min 3 of max 3 (as min 105 of max 110): the 90 % warning bound (2) is below the minimum.
  Run r = run(configWith(", min_prefixes: 3, max_prefixes: 3"),
              observe("sff8472_10g_lr_flexoptix_P.B1696.10.DA", "01_established", ping(3, 3, 0.25)));
  INFO(r.output);
  const Perf* v4 = r.plugin.find("primary_bgp_ipv4_prefixes_received");
  REQUIRE(v4);
  REQUIRE(v4->warn);
  CHECK(v4->warn->start <= v4->warn->end);  // before: "3:2"
  REQUIRE(v4->crit);
  CHECK(v4->crit->start == 3);
  CHECK(v4->crit->end == 3);
}
