// VLAN and IP verdicts against the lab on real VLAN devices (802.1Q and 802.1ad). Where
// this kernel has no 8021q the lab runs in its guest (Debian's kernel under qemu); where
// neither is possible the scenario is reported as skipped with the reason.
#include <catch2/catch.hpp>

#include "netns/lab_helpers.h"

using namespace linkready::test;
using nlohmann::json;

namespace {

std::string field(const json& report, const std::string& id, const char* name) {
  json c = findCheck(report, "primary", id);
  return c.is_null() ? "(no check " + id + ")" : c[name].get<std::string>();
}

json check(Lab& lab, const std::string& config) {
  Run r = lab.check({"--json"}, config);
  INFO(r.err);
  REQUIRE(!r.out.empty());
  json j = json::parse(r.out);
  for (const auto& c : j["links"][0]["checks"])  // shown with any failure below
    if (c["status"] != "OK") UNSCOPED_INFO(c["id"] << " " << c["status"] << ": " << c["summary"] << " / " << c["observed"]);
  return j;
}

std::string dot1q() { return sourceDir() + "/config/examples/lab-dot1q.yaml"; }
std::string qinq() { return sourceDir() + "/config/examples/lab-qinq.yaml"; }

}  // namespace

TEST_CASE("vlan lab: 802.1Q correct, proven on the wire, BGP up over the tag", "[netns][vlan]") {
  Lab lab("vlan-dot1q");
  if (lab.skipped()) return;
  json j = check(lab, dot1q());
  // `lab up` returned only once both sessions and BFD held for seconds without a reset.
  CHECK(j["links"][0]["readiness"] == "READY");
  CHECK(j["status"] == "OK");
  CHECK(field(j, "vlan.config", "summary") == "eth1.100 carries VLAN 100 (0x8100)");
  CHECK_THAT(field(j, "vlan.wire", "summary"), Catch::StartsWith("the VBR gateway 10.0.0.1 answered ARP on 0x8100/100"));
  CHECK(field(j, "ip.address", "summary") == "10.0.0.2/30 on eth1.100");
  CHECK(field(j, "ip.mtu", "status") == "OK");
  CHECK(field(j, "bgp.ipv4.state", "status") == "OK");
  CHECK(field(j, "bgp.ipv6.state", "status") == "OK");
}

TEST_CASE("vlan lab: wrong VLAN on the VBR side", "[netns][vlan]") {
  Lab lab("vlan-wrong-vbr");
  if (lab.skipped()) return;
  json j = check(lab, dot1q());
  CHECK(j["links"][0]["first_broken_layer"] == "vlan");
  CHECK(field(j, "vlan.config", "status") == "OK");  // our side is as ordered
  CHECK(field(j, "vlan.wire", "status") == "CRITICAL");
  CHECK_THAT(field(j, "vlan.wire", "summary"),
             Catch::StartsWith("no answer on 0x8100/100; frames seen from the far end on 0x8100/101 ("));
  CHECK_THAT(field(j, "vlan.wire", "hint"), Catch::StartsWith("VLAN or TPID mismatch: the far end sends on 0x8100/101"));
  CHECK(findCheck(j, "primary", "bgp.ipv4.state")["depends_on"] == "vlan");
}

TEST_CASE("vlan lab: QinQ 0x88a8 correct, the outer tag the VBR's veth offloads is rebuilt from auxdata",
          "[netns][vlan]") {
  Lab lab("qinq");
  if (lab.skipped()) return;
  // The premise: the VBR side's frames leave with the outer tag in skb metadata, so the
  // capture sees it only because libpcap rebuilds it from PACKET_AUXDATA.
  Run offload = lab.vbr({"ethtool", "-k", "eth0"});
  CHECK_THAT(offload.out, Catch::Contains("tx-vlan-stag-hw-insert: on"));  // the 802.1ad outer tag
  json j = check(lab, qinq());
  CHECK(j["links"][0]["readiness"] == "READY");
  CHECK(j["status"] == "OK");
  CHECK(field(j, "vlan.config", "summary") == "eth1.200.300 carries S-VLAN 200 (0x88a8) + C-VLAN 300 (0x8100)");
  CHECK_THAT(field(j, "vlan.wire", "summary"),
             Catch::StartsWith("the VBR gateway 10.0.0.1 answered ARP on 0x88a8/200 0x8100/300"));
  CHECK(field(j, "bgp.ipv4.state", "status") == "OK");
}

TEST_CASE("vlan lab: QinQ with the right S-tag and the wrong C-tag", "[netns][vlan]") {
  Lab lab("qinq-wrong-ctag");
  if (lab.skipped()) return;
  json j = check(lab, qinq());
  CHECK(field(j, "vlan.wire", "status") == "CRITICAL");
  // The far end's S-VLAN device also sends frames of its own with the S-tag alone.
  CHECK_THAT(field(j, "vlan.wire", "hint"), Catch::StartsWith("VLAN or TPID mismatch: the far end sends on"));
  CHECK_THAT(field(j, "vlan.wire", "hint"), Catch::Contains("0x88a8/200 0x8100/301 ("));
}

TEST_CASE("vlan lab: outer TPID 0x8100 where 0x88a8 is expected", "[netns][vlan]") {
  Lab lab("qinq-outer-8100");
  if (lab.skipped()) return;
  json j = check(lab, qinq());
  CHECK(field(j, "vlan.config", "status") == "CRITICAL");
  CHECK(field(j, "vlan.config", "summary") == "outer TPID 0x8100 on eth1.200, the port expects 0x88a8");
  CHECK_THAT(field(j, "vlan.config", "hint"), Catch::Contains("type vlan proto 802.1ad id 200"));
}

TEST_CASE("vlan lab: wrong gateway IP", "[netns][vlan]") {
  Lab lab("wrong-gateway");
  if (lab.skipped()) return;
  std::string cfg = writeLabFile(
      "frr: {vty_dir: /var/run/frr, pathspace: lrlab}\n"
      "links:\n  - name: primary\n    interface: eth1\n    vlan: {mode: dot1q, id: 100}\n"
      "    ip: {local: 10.0.0.2/29, gateway: 10.0.0.1}\n");
  json j = check(lab, cfg);
  unlink(cfg.c_str());
  CHECK(field(j, "vlan.wire", "status") == "CRITICAL");
  CHECK_THAT(field(j, "vlan.wire", "hint"),
             Catch::StartsWith("the far end is on the right VLAN but nobody answers for 10.0.0.1"));
  CHECK_THAT(field(j, "vlan.wire", "hint"), Catch::Contains("(the far end speaks as 10.0.0.3)"));
  CHECK(field(j, "ip.ping", "status") == "CRITICAL");
}

TEST_CASE("vlan lab: mask mismatch", "[netns][vlan]") {
  Lab lab("mask-mismatch");
  if (lab.skipped()) return;
  json j = check(lab, dot1q());
  CHECK(field(j, "ip.address", "status") == "CRITICAL");
  CHECK(field(j, "ip.address", "summary") == "mask mismatch: 10.0.0.2/29 on eth1.100, the VBR says /30");
  CHECK_THAT(field(j, "ip.address", "hint"), Catch::Contains("ip addr add 10.0.0.2/30 dev eth1.100"));
}

TEST_CASE("vlan lab: the address on the physical port instead of the VLAN device", "[netns][vlan]") {
  Lab lab("ip-on-physical");
  if (lab.skipped()) return;
  json j = check(lab, dot1q());
  CHECK(field(j, "ip.address", "status") == "CRITICAL");
  CHECK(field(j, "ip.address", "summary") == "10.0.0.2 is on eth1 (the physical port), not on the VLAN device eth1.100");
}

TEST_CASE("vlan lab: MTU too small on the path", "[netns][vlan]") {
  Lab lab("mtu-small-path");
  if (lab.skipped()) return;
  json j = check(lab, dot1q());
  CHECK(field(j, "ip.ping", "status") == "OK");
  CHECK(field(j, "ip.mtu", "status") == "CRITICAL");
  CHECK(field(j, "ip.mtu", "summary") == "1500-byte packets to 10.0.0.1 are lost, small ones pass");
  CHECK_THAT(field(j, "ip.mtu", "hint"), Catch::StartsWith("big packets lost: an MTU below 1500"));
}

TEST_CASE("lab: a TPID Linux cannot send, and tags terminated outside the kernel", "[netns][vlan]") {
  Lab lab("basic");
  std::string c9100 = writeLabFile(
      "links:\n  - name: primary\n    interface: eth1\n    vlan: {mode: qinq, s_tag: 200, c_tag: 300, tpid: 0x9100}\n"
      "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n");
  json j = check(lab, c9100);
  CHECK(field(j, "vlan.config", "status") == "CRITICAL");
  CHECK(field(j, "vlan.config", "summary") == "the order asks for outer TPID 0x9100, which Linux VLAN devices cannot send");
  CHECK_THAT(field(j, "vlan.config", "hint"), Catch::Contains("ask the provider for 0x88a8"));
  // The on-wire proof still sends 0x9100 frames (libpcap can): nobody answers on them here.
  CHECK_THAT(field(j, "vlan.wire", "summary"), Catch::StartsWith("no answer on 0x9100/200 0x8100/300"));
  unlink(c9100.c_str());

  std::string external = writeLabFile(
      "links:\n  - name: primary\n    interface: eth1\n    vlan: {mode: dot1q, id: 100, terminated_by: external}\n"
      "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n");
  json e = check(lab, external);
  CHECK(field(e, "vlan.config", "status") == "OK");
  CHECK_THAT(field(e, "vlan.config", "summary"), Catch::StartsWith("does not apply"));
  CHECK(field(e, "vlan.wire", "status") == "OK");  // untagged towards the switch that tags
  unlink(external.c_str());
}
