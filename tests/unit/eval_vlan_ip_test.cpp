// VLAN and IP verdicts on netlink facts (as rtnetlink reported them in the lab guest:
// eth1 ifindex 2, eth1.200 802.1ad, eth1.200.300 802.1Q), without the wire.
#include <catch2/catch.hpp>

#include "check_util.h"
#include "agent/check/eval_ip.h"
#include "agent/check/eval_vlan.h"
#include "probes/l3/gather.h"
#include "probes/link/link_source.h"

using namespace linkready;

namespace {

link::InterfaceFacts dev(const std::string& name, int ifindex, int parent, std::optional<uint16_t> vid,
                         uint16_t proto = 0x8100) {
  link::InterfaceFacts i;
  i.name = name;
  i.ifindex = ifindex;
  i.parentIfindex = parent;
  i.kind = vid ? "vlan" : "";
  i.adminUp = i.carrier = true;
  i.operState = "up";
  i.mtu = 1500;
  i.mac = "02:00:00:00:00:02";
  i.vlanId = vid;
  if (vid) i.vlanProtocol = proto;
  return i;
}

link::LinkFacts facts(std::vector<link::InterfaceFacts> all) {
  link::LinkFacts f;
  f.all = all;
  for (auto& i : all)
    if (i.name == "eth1") f.iface = i;
  return f;
}

config::Link linkWith(const std::string& vlanYaml) {
  auto c = config::fromString("links:\n  - name: primary\n    interface: eth1\n    vlan: " + vlanYaml +
                              "\n    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n");
  REQUIRE(c);
  return c->links[0];
}

using test::find;

IpPrefix pfx(const char* s) { return *IpPrefix::parse(s); }

}  // namespace

TEST_CASE("802.1Q device with the wrong id: named, with the VBR's id and the fix", "[eval][vlan]") {
  auto f = facts({dev("eth1", 2, 0, {}), dev("eth1.101", 5, 2, 101)});
  f.all[1].addresses = {pfx("10.0.0.2/30")};
  auto checks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, vlan::WireFacts{});
  const auto& c = find(checks, "vlan.config");
  CHECK(c.status == Status::Critical);
  CHECK(c.summary == "eth1.101 has VLAN 101, the VBR says 100");
  CHECK(c.hint == "build the stack the VBR expects: ip link add link eth1 name eth1.100 type vlan proto 802.1Q id 100");
}

TEST_CASE("no VLAN device at all", "[eval][vlan]") {
  auto checks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), facts({dev("eth1", 2, 0, {})}), vlan::WireFacts{});
  CHECK(find(checks, "vlan.config").summary == "no VLAN device for VLAN 100 on eth1");
}

TEST_CASE("QinQ: S-tag protocol checked, C-tag mismatch named", "[eval][vlan]") {
  auto good = facts({dev("eth1", 2, 0, {}), dev("eth1.200", 6, 2, 200, 0x88a8), dev("eth1.200.300", 7, 6, 300)});
  auto l = linkWith("{mode: qinq, s_tag: 200, c_tag: 300, tpid: 0x88a8}");
  CHECK(find(evaluateVlan(l, good, vlan::WireFacts{}), "vlan.config").status == Status::Ok);
  auto outer = facts({dev("eth1", 2, 0, {}), dev("eth1.200", 6, 2, 200, 0x8100), dev("eth1.200.300", 7, 6, 300)});
  CHECK(find(evaluateVlan(l, outer, vlan::WireFacts{}), "vlan.config").summary ==
        "outer TPID 0x8100 on eth1.200, the port expects 0x88a8");
  auto ctag = facts({dev("eth1", 2, 0, {}), dev("eth1.200", 6, 2, 200, 0x88a8), dev("eth1.200.301", 7, 6, 301)});
  CHECK(find(evaluateVlan(l, ctag, vlan::WireFacts{}), "vlan.config").summary == "eth1.200.301 has C-VLAN 301, the VBR says 300");
}

TEST_CASE("MTU below 1500 anywhere on the stack, and a device that is down", "[eval][vlan]") {
  auto f = facts({dev("eth1", 2, 0, {}), dev("eth1.100", 5, 2, 100)});
  f.all[1].mtu = 1496;
  f.all[1].adminUp = false;
  auto checks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, vlan::WireFacts{});
  CHECK(find(checks, "vlan.mtu").summary == "MTU below 1500 on the tag stack: eth1.100 MTU 1496");
  CHECK(find(checks, "vlan.state").summary == "VLAN device down: eth1.100 (admin down)");
}

TEST_CASE("on-wire: an answer on another stack is CRITICAL, no CAP_NET_RAW is UNKNOWN", "[eval][vlan]") {
  auto f = facts({dev("eth1", 2, 0, {}), dev("eth1.100", 5, 2, 100)});
  vlan::WireFacts w;
  w.ran = true;
  w.sentStack = {{0x8100, 100, 0}};
  w.result.arpAnswerStack = std::vector<vlan::Tag>{{0x8100, 200, 0}};
  auto checks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, w);
  CHECK(find(checks, "vlan.wire").summary == "the gateway answered on 0x8100/200, we sent 0x8100/100");
  // Nothing sent (the deadline came first): silence proves nothing.
  vlan::WireFacts unsent;
  unsent.ran = true;
  unsent.sentStack = {{0x8100, 100, 0}};
  auto unsentChecks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, unsent);
  CHECK(find(unsentChecks, "vlan.wire").status == Status::Unknown);
  CHECK(find(unsentChecks, "vlan.wire").summary == "on-wire proof not made: no frame went out before the check's deadline");
  // Nothing sent because the kernel refused the frames: its reason, not the deadline.
  unsent.result.sendError = "send: Network is down";
  auto refused = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, unsent);
  CHECK(find(refused, "vlan.wire").status == Status::Unknown);
  CHECK(find(refused, "vlan.wire").summary == "on-wire proof not made: the port would not send our frames: send: Network is down");
  CHECK_THAT(find(refused, "vlan.wire").hint, Catch::Contains("link layer"));
  // The right VLAN with the answer marked as network control (PCP 6): the tag is right.
  w.result.arpAnswerStack = std::vector<vlan::Tag>{{0x8100, 100, 6}};
  auto marked = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, w);
  CHECK(find(marked, "vlan.wire").status == Status::Ok);
  vlan::WireFacts denied;
  denied.ran = true;
  denied.result.error = "You don't have permission to perform this capture on that device: socket: Operation not permitted";
  denied.result.permissionDenied = true;
  auto deniedChecks = evaluateVlan(linkWith("{mode: dot1q, id: 100}"), f, denied);
  const auto& d = find(deniedChecks, "vlan.wire");
  CHECK(d.status == Status::Unknown);
  CHECK(d.hint == "injection needs CAP_NET_RAW: run as root or grant the capability");
}

TEST_CASE("IP: address on the physical port, mask mismatch, a different address", "[eval][ip]") {
  auto l = linkWith("{mode: dot1q, id: 100}");
  auto onPort = facts({dev("eth1", 2, 0, {}), dev("eth1.100", 5, 2, 100)});
  onPort.all[0].addresses = {pfx("10.0.0.2/30")};
  onPort.iface->addresses = onPort.all[0].addresses;
  CHECK(find(evaluateIp(l, onPort, l3::ReachFacts{}), "ip.address").summary ==
        "10.0.0.2 is on eth1 (the physical port), not on the VLAN device eth1.100");
  auto mask = facts({dev("eth1", 2, 0, {}), dev("eth1.100", 5, 2, 100)});
  mask.all[1].addresses = {pfx("10.0.0.2/29")};
  CHECK(find(evaluateIp(l, mask, l3::ReachFacts{}), "ip.address").summary ==
        "mask mismatch: 10.0.0.2/29 on eth1.100, the VBR says /30");
  auto other = facts({dev("eth1", 2, 0, {}), dev("eth1.100", 5, 2, 100)});
  other.all[1].addresses = {pfx("10.0.0.6/30")};
  CHECK(find(evaluateIp(l, other, l3::ReachFacts{}), "ip.address").summary == "eth1.100 has 10.0.0.6/30, the VBR says 10.0.0.2/30");
}

TEST_CASE("IP: ARP resolved but no ping points at filtering or swapped IPs, big packets lost at MTU", "[eval][ip]") {
  auto l = linkWith("{mode: untagged}");
  auto f = facts({dev("eth1", 2, 0, {})});
  f.all[0].addresses = {pfx("10.0.0.2/30")};
  l3::ReachFacts r;
  r.ran = true;
  r.neighbors = {{2, *IpAddress::parse("10.0.0.1"), "02:00:00:00:00:01", "REACHABLE"}};
  r.ping4.sent = 3;
  auto checks = evaluateIp(l, f, r);
  CHECK(find(checks, "ip.neighbor").status == Status::Ok);
  CHECK_THAT(find(checks, "ip.ping").hint, Catch::StartsWith("ARP but no ping: filtering on the path"));
  r.ping4.received = 3;
  r.big4.sent = 2;
  checks = evaluateIp(l, f, r);
  CHECK(find(checks, "ip.mtu").status == Status::Critical);
  r.big4.received = 2;
  r.ping4.received = 2;
  checks = evaluateIp(l, f, r);
  CHECK(find(checks, "ip.ping").status == Status::Warning);  // 1 of 3 lost
  CHECK(find(checks, "ip.mtu").status == Status::Ok);
}

TEST_CASE("one link's facts out of a dump of hundreds: its stack and the holder of its address, no others", "[eval][ip][link]") {
  std::vector<link::InterfaceFacts> dump = {dev("lo", 1, 0, {}), dev("eth1", 2, 0, {}), dev("eth1.200", 5, 2, 200, 0x88a8),
                                            dev("eth1.200.300", 6, 5, 300), dev("eth7", 7, 0, {}),
                                            dev("eth7.200", 8, 7, 200, 0x88a8)};  // another port's stack
  dump[4].addresses = {pfx("10.0.0.2/30")};  // our address, on the wrong port
  for (int k = 0; k < 300; ++k) dump.push_back(dev("lk" + std::to_string(k), 100 + k, 0, {}));
  link::LinkFacts f = link::factsFor("eth1", dump, {*IpAddress::parse("10.0.0.2")});
  std::vector<std::string> kept;
  for (const auto& i : f.all) kept.push_back(i.name);
  CHECK(kept == std::vector<std::string>{"eth1", "eth1.200", "eth1.200.300", "eth7"});
  CHECK(f.otherInterfaces.empty());  // the port exists: no "did you mean" list
  auto l = linkWith("{mode: qinq, s_tag: 200, c_tag: 300, tpid: 0x88a8}");
  CHECK(find(evaluateVlan(l, f, vlan::WireFacts{}), "vlan.config").status == Status::Ok);
  CHECK(find(evaluateIp(l, f, l3::ReachFacts{}), "ip.address").summary == "10.0.0.2 is on eth7, not on eth1.200.300");

  link::LinkFacts missing = link::factsFor("eth9", dump, {*IpAddress::parse("10.0.0.2")});
  CHECK(!missing.iface);
  CHECK(missing.otherInterfaces.size() == dump.size());
  REQUIRE(missing.all.size() == 1);  // only where our address is
  CHECK(missing.all[0].name == "eth7");
}

namespace {

// What the raw-socket pinger answers without CAP_NET_RAW (socket(2) refused).
class DeniedPinger final : public l3::Pinger {
 public:
  std::vector<l3::PingResult> pingAll(const std::vector<l3::PingRequest>& requests,
                                      std::chrono::steady_clock::time_point) override {
    std::vector<l3::PingResult> out(requests.size());
    for (auto& r : out) r.error = "socket: Operation not permitted", r.permissionDenied = true;
    return out;
  }
};

}  // namespace

TEST_CASE("IP: an IPv6-only link without CAP_NET_RAW gets an UNKNOWN saying so, not silence", "[eval][ip]") {
  auto c = config::fromString("links:\n  - name: primary\n    interface: eth1\n    vlan: {mode: untagged}\n"
                              "    ip: {local6: 2001:db8:ffff::2/126, gateway6: 2001:db8:ffff::1}\n");
  REQUIRE(c);
  const config::Link& l = c->links.front();
  auto f = facts({dev("eth1", 2, 0, {})});
  f.iface->addresses = {*IpPrefix::parse("2001:db8:ffff::2/126")};
  f.all[0].addresses = f.iface->addresses;
  DeniedPinger pinger;
  auto got = l3::gatherReach(pinger, nullptr, {{false, std::nullopt, l.ip.gateway6, true}},
                             std::chrono::steady_clock::now());
  CHECK_FALSE(got.success);
  auto checks = evaluateIp(l, f, got.facts[0]);
  const auto& ping = find(checks, "ip6.ping");
  CHECK(ping.status == Status::Unknown);
  CHECK_THAT(ping.summary, Catch::Contains("CAP_NET_RAW"));
}

TEST_CASE("IP: echoes the check's deadline left no time to send are UNKNOWN, not a silent gateway", "[eval][ip]") {
  auto l = linkWith("{mode: untagged}");
  auto f = facts({dev("eth1", 2, 0, {})});
  f.iface->addresses = {pfx("10.0.0.2/30")};
  f.all[0].addresses = f.iface->addresses;
  l3::ReachFacts reach;
  reach.ran = true;  // asked, but the deadline came first: sent 0, no error
  auto checks = evaluateIp(l, f, reach);
  const auto& ping = find(checks, "ip.ping");
  CHECK(ping.status == Status::Unknown);
  CHECK(ping.summary == "no ping sent to 10.0.0.1: the check's deadline came first");
  for (const auto& c : checks) CHECK(c.status != Status::Critical);  // no "ARP unresolved" either
}
