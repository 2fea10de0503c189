// `linkready check` against the real lab: FRR and BIRD in network namespaces.
#include <catch2/catch.hpp>

#include <regex>

#include "netns/background.h"
#include "netns/lab_helpers.h"

using namespace linkready::test;
using nlohmann::json;

namespace {

void requireValidAgainstSchema(const std::string& doc) {
  Run v = run({sourceDir() + "/tests/tools/validate-json", sourceDir() + "/agent/schema/report-v1.schema.json"}, doc);
  INFO("schema validation: " << v.err);
  REQUIRE(v.exitCode == 0);
}

}  // namespace

TEST_CASE("lab, all good: check prints READY and exits 0", "[netns]") {
  Lab lab("basic");
  Run r = lab.check();
  INFO(r.out << r.err);
  CHECK(r.exitCode == 0);
  CHECK_THAT(r.out, Catch::Contains("LINK primary (eth1): READY"));
  CHECK_THAT(r.out, Catch::Contains("link.carrier"));
  CHECK_THAT(r.out, Catch::Contains("overall: OK (exit 0)"));
  CHECK(r.out.find('\033') == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("lab, JSON output is valid against the checked-in schema", "[netns]") {
  Lab lab("basic");
  Run r = lab.check({"--json"});
  INFO(r.out << r.err);
  CHECK(r.exitCode == 0);
  requireValidAgainstSchema(r.out);
  json j = json::parse(r.out);
  CHECK(j["links"][0]["readiness"] == "READY");
  CHECK(findCheck(j, "primary", "link.speed")["observed"] == "10G");
}

TEST_CASE("lab, carrier lost after the VBR side goes down: CRITICAL with a hint", "[netns]") {
  Lab lab("basic");
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  Run r = lab.check({"--json"});
  INFO(r.out << r.err);
  CHECK(r.exitCode == 2);
  requireValidAgainstSchema(r.out);
  json j = json::parse(r.out);
  CHECK(j["links"][0]["readiness"] == "NOT_READY");
  CHECK(j["links"][0]["first_broken_layer"] == "link");
  json c = findCheck(j, "primary", "link.carrier");
  CHECK(c["status"] == "CRITICAL");
  // operstate follows carrier asynchronously (the kernel's linkwatch), so only carrier is asserted.
  CHECK_THAT(c["observed"].get<std::string>(), Catch::StartsWith("no carrier, operstate "));
  CHECK_THAT(c["hint"].get<std::string>(), Catch::Contains("cross-connect"));

  Run text = lab.check();
  CHECK_THAT(text.out, Catch::Contains("NOT_READY - first broken layer: link"));
  CHECK_THAT(text.out, Catch::Contains("hint:     no signal from the far end"));
}

TEST_CASE("lab, interface missing: CRITICAL naming the interfaces that exist", "[netns]") {
  Lab lab("basic");
  std::string cfg = writeTempFile(
      "agent: {id: lab-edge}\n"
      "links:\n"
      "  - name: primary\n"
      "    interface: eth2\n"
      "    order: {port_type: 10GBASE-LR, speed_mbps: 10000}\n");
  Run r = lab.check({"--json"}, cfg);
  INFO(r.out << r.err);
  CHECK(r.exitCode == 2);
  json c = findCheck(json::parse(r.out), "primary", "link.exists");
  CHECK(c["status"] == "CRITICAL");
  CHECK(c["observed"] == "no interface eth2");
  CHECK(c["hint"] == "similar interfaces here: eth1; fix 'interface' in the config, or check that the NIC driver loaded");
  unlink(cfg.c_str());
}

TEST_CASE("lab, --link checks one link only and an unknown link name is a usage error", "[netns]") {
  Lab lab("basic");
  Run one = lab.check({"--json", "--link", "primary"});
  CHECK(one.exitCode == 0);
  CHECK(json::parse(one.out)["links"].size() == 1);
  Run bad = lab.check({"--link", "nope"});
  CHECK(bad.exitCode == 3);
  CHECK_THAT(bad.err, Catch::Contains("no link named 'nope'"));
}

TEST_CASE("lab, check --watch refreshes optics and link once a second", "[netns]") {
  Lab lab("basic");
  Run r = lab.check({"--watch", "--count", "2"});
  CHECK(r.exitCode == 0);
  size_t frames = 0;
  for (size_t pos = 0; (pos = r.out.find("LINK primary (eth1): READY", pos)) != std::string::npos; ++pos) ++frames;
  CHECK(frames == 2);
  CHECK(r.out.find("bgp.") == std::string::npos);  // watch is about light and link only
  CHECK_THAT(r.out, Catch::Contains("optics.module"));
}

TEST_CASE("lab, redundant pair: REDUNDANT, then DEGRADED with one link down, then DOWN", "[netns][pair]") {
  Lab lab("pair");
  std::string cfg = sourceDir() + "/config/examples/lab-pair.yaml";
  auto pair = [&](int expectExit) {
    Run r = lab.check({"--json"}, cfg);
    INFO(r.out << r.err);
    CHECK(r.exitCode == expectExit);
    json j = json::parse(r.out);
    REQUIRE(j["pairs"].size() == 1);
    return j["pairs"][0];
  };
  json p = pair(0);
  CHECK(p["verdict"] == "REDUNDANT");
  CHECK(p["summary"] == "both links up, on eth1 and eth2 (the driver does not say whether they share a NIC)");
  REQUIRE(lab.vbr({"ip", "link", "set", "eth1", "down"}).exitCode == 0);  // the far end of eth2
  p = pair(2);
  CHECK(p["verdict"] == "DEGRADED");
  CHECK(p["summary"] == "no redundancy: secondary is NOT_READY (first broken layer: link)");
  Run text = lab.check({}, cfg);
  CHECK_THAT(text.out, Catch::Contains("PAIR primary + secondary: DEGRADED - no redundancy"));
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  p = pair(2);
  CHECK(p["verdict"] == "DOWN");
}

TEST_CASE("lab, check --intent: the router checked against the API output directly", "[netns][intent]") {
  Lab lab("basic");
  // A VBR as DescribeVirtualBorderRouters prints it, for the lab's addresses.
  std::string vbr = writeLabFile(
      R"({"VirtualBorderRouterSet":{"VirtualBorderRouterType":[{"VbrId":"vbr-lab","Status":"active","VlanId":0,)"
      R"("LocalGatewayIp":"10.0.0.1","PeerGatewayIp":"10.0.0.2","PeeringSubnetMask":"255.255.255.252",)"
      R"("PhysicalConnectionId":"pc-lab"}]}})",
      ".json");
  Run r = lab.check({"--json", "--intent", vbr, "--interface", "eth1"}, "/nonexistent/none.yaml");
  CHECK(r.exitCode == 3);  // a config that was named but cannot be read is an error, even with --intent
  Run ok = lab.exec({binary(), "check", "--json", "--intent", vbr, "--interface", "eth1"});
  INFO(ok.out << ok.err);
  json j = json::parse(ok.out);
  CHECK(j["links"][0]["name"] == "vbr-lab");
  CHECK(findCheck(j, "vbr-lab", "ip.address")["status"] == "OK");
  CHECK(findCheck(j, "vbr-lab", "vlan.wire")["status"] == "OK");
  unlink(vbr.c_str());
}

TEST_CASE("lab, a flood of tagged data frames from the far end does not drown the on-wire proof", "[netns][wire]") {
  // A busy trunk: the VBR side sends 802.1Q-tagged IPv4 data frames (VLAN 100, which the
  // untagged lab link does not carry) as fast as it can while the check runs. The kernel puts
  // the tag in the frames' metadata as a NIC does; the capture must not take them in (a
  // full ring drops the gateway's answer, and 5000 frames end the proof), and must not
  // report them as the far end's VLAN.
  Lab lab("basic");
  Run mac = lab.exec({"cat", "/sys/class/net/eth1/address"});
  REQUIRE(mac.exitCode == 0);
  std::string flood =
      "import socket, time\n"
      "dst = bytes.fromhex('" + std::regex_replace(mac.out, std::regex("[:\\n]"), "") + "')\n"
      "src = bytes.fromhex('02aabbccdd01')\n"
      "ip = bytes.fromhex('4500002e0000400040110000c0000201c0000202') + bytes.fromhex('303930390000001a') + bytes(18)\n"
      "frame = dst + src + bytes.fromhex('81000064') + bytes.fromhex('0800') + ip\n"
      "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
      "s.bind(('eth0', 0))\n"
      "n, end = 0, time.time() + 4\n"
      "while time.time() < end:\n"
      "    for _ in range(1000):\n"
      "        s.send(frame)\n"
      "    n += 1000\n"
      "print('sent', n)\n";
  Background flooder({labScript(), "vbr", "python3", "-c", flood}, writeTempFile("", ".log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  Run r = lab.check({"--json"});
  INFO(r.err);
  REQUIRE(!r.out.empty());
  json j = json::parse(r.out);
  CHECK(waitFor([&] { return !flooder.running(); }, 10s));
  std::string sent = flooder.output();
  INFO("flooder: " << sent);
  CHECK_THAT(sent, Catch::StartsWith("sent "));
  json wire = findCheck(j, "primary", "vlan.wire");
  INFO(wire.dump());
  CHECK(wire["status"] == "OK");
  std::smatch m;
  std::string observed = wire["observed"];
  REQUIRE(std::regex_search(observed, m, std::regex("(\\d+) seen from the far end")));
  CHECK(std::stoi(m[1]) < 50);  // the gateway's answers, not the flood
}
