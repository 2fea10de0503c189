// Config validation: every bad config gives one exact message at an exact position.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "config/config.h"

using linkready::config::fromString;

namespace {

// Parses `yaml` (named t.yaml) and returns the first error as "line:column: key: message".
std::string firstError(const std::string& yaml) {
  auto r = fromString(yaml, "t.yaml");
  if (r) return "no error";
  return r.error().front().toString();
}

const char* kGood = R"(agent: {id: edge-hk-01}
frr: {vty_dir: /var/run/frr, pathspace: lab1}
links:
  - name: primary
    interface: eth1
    order: {port_type: 10GBASE-LR, speed_mbps: 10000, physical_connection_id: pc-x, vbr_id: vbr-x}
    vlan: {mode: dot1q, id: 100}
    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1, local6: 2001:db8::2/126, gateway6: 2001:db8::1}
    bgp: {peer: 10.0.0.1, remote_as: 45104, local_as: 65010, vrf: default,
          min_prefixes: 1, max_prefixes: 110, bfd: true}
    redundant_with: secondary
  - name: secondary
    interface: eth2
    vlan: {mode: qinq, s_tag: 200, c_tag: 300, tpid: 0x88a8}
    ip: {local: 10.0.0.6/30, gateway: 10.0.0.5}
    bgp: {peer: 10.0.0.5}
)";

// One link, block style, so that positions are easy to read in the expectations.
std::string oneLink(const std::string& body) {
  return "links:\n  - name: primary\n    interface: eth1\n" + body;
}

}  // namespace

TEST_CASE("the contract example parses with its values and defaults", "[config]") {
  auto r = fromString(kGood, "t.yaml");
  REQUIRE(r);
  const auto& c = *r;
  CHECK(c.agent.id == "edge-hk-01");
  CHECK(c.frr.socketDir() == "/var/run/frr/lab1");
  REQUIRE(c.links.size() == 2);
  const auto& p = c.links[0];
  CHECK(p.order.portType == "10GBASE-LR");
  CHECK(p.order.speedMbps == 10000u);
  CHECK_FALSE(p.order.autoneg);
  CHECK(p.vlan.mode == linkready::config::VlanMode::Dot1q);
  CHECK(p.vlan.id == 100);
  CHECK(p.vlan.tpid == 0x8100);
  CHECK(p.ip.local->toString() == "10.0.0.2/30");
  CHECK(p.ip.gateway6->toString() == "2001:db8::1");
  CHECK(p.bgp->remoteAs == 45104u);
  CHECK(p.bgp->localAs == 65010u);
  CHECK(p.bgp->bfd);
  CHECK(p.redundantWith == "secondary");
  const auto& s = c.links[1];
  CHECK(s.vlan.mode == linkready::config::VlanMode::Qinq);
  CHECK(s.vlan.sTag == 200);
  CHECK(s.vlan.cTag == 300);
  CHECK(s.vlan.tpid == 0x88a8);
  CHECK(s.bgp->remoteAs == 45104u);  // default: Alibaba's ASN
  CHECK(s.bgp->maxPrefixes == 110u);  // default: Alibaba's route limit
}

TEST_CASE("the example configs shipped in config/examples are valid", "[config]") {
  for (const char* f : {"lab.yaml", "alibaba-dedicated.yaml", "equinix-qinq.yaml"}) {
    auto r = linkready::config::fromFile(std::string(LINKREADY_SOURCE_DIR) + "/config/examples/" + f);
    INFO(f << ": " << (r ? std::string("ok") : linkready::config::formatErrors(r.error())));
    CHECK(r);
  }
}

TEST_CASE("bad configs: each error names file:line:column, the key and what is wrong", "[config]") {
  struct Case {
    const char* what;
    std::string yaml;
    std::string error;
  };
  const Case cases[] = {
      {"unknown top-level key", "agnet: {id: x}\nlinks: []\n",
       "t.yaml:1:1: agnet: unknown key 'agnet' (known: agent, frr, orchestrator, links)"},
      {"unknown key in a link", oneLink("    speed: 10000\n"),
       "t.yaml:4:5: links[0].speed: unknown key 'speed' (known: name, interface, order, optics, vlan, ip, bgp, redundant_with)"},
      {"unknown key in vlan", oneLink("    vlan: {mode: dot1q, id: 100, vid: 100}\n"),
       "t.yaml:4:34: links[0].vlan.vid: unknown key 'vid' (known: mode, id, s_tag, c_tag, tpid, terminated_by)"},
      {"VRF name with a space", oneLink("    bgp: {peer: 10.0.0.1, local_as: 65010, vrf: 'blue red'}\n"),
       "t.yaml:4:49: links[0].bgp.vrf: 'blue red' is not a VRF name (a Linux device: at most 15 characters, no '/', "
       "spaces or control characters)"},
      {"VLAN id above 4094", oneLink("    vlan: {mode: dot1q, id: 4095}\n"),
       "t.yaml:4:29: links[0].vlan.id: 4095 is out of range 1-4094"},
      {"our address is the subnet's network address", oneLink("    ip: {local: 10.0.0.0/30, gateway: 10.0.0.1}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.0/30': 10.0.0.0 is the network address of its /30"},
      {"our address is the broadcast address", oneLink("    ip: {local: 10.0.0.3/30, gateway: 10.0.0.1}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.3/30': 10.0.0.3 is the broadcast address of its /30"},
      {"the gateway is the broadcast address", oneLink("    ip: {local: 10.0.0.2/30, gateway: 10.0.0.3}\n"),
       "t.yaml:4:39: links[0].ip.gateway: gateway 10.0.0.3 is the broadcast address of its /30 (LocalGatewayIp is one "
       "of the usable addresses)"},
      {"a /0", oneLink("    ip: {local: 10.0.0.2/0, gateway: 8.8.8.8}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.2/0': a /0 is no subnet (the VBR's mask, PeeringSubnetMask, is usually /30)"},
      {"a multicast address", oneLink("    ip: {local: 224.0.0.2/24}\n"),
       "t.yaml:4:17: links[0].ip.local: '224.0.0.2/24': 224.0.0.2 is a multicast address"},
      {"Rx limits the wrong way round", oneLink("    optics: {rx_min_dbm: -3, rx_max_dbm: -14}\n"),
       "t.yaml:4:26: links[0].optics.rx_min_dbm: rx_min_dbm (-3) must be below rx_max_dbm (-14): every reading would be "
       "out of range"},
      {"an Rx limit that is not a number", oneLink("    optics: {rx_min_dbm: .nan}\n"),
       "t.yaml:4:26: links[0].optics.rx_min_dbm: expected a power in dBm between -40 and +10, found '.nan'"},
      {"a guard under a second", "agent: {flap_guard: 500ms}\n" + oneLink(""),
       "t.yaml:1:21: agent.flap_guard: 500ms is not a whole number of seconds (kept in seconds: it would become 0s, "
       "which turns it off)"},
      {"a second YAML document", oneLink("") + "---\n" + oneLink("    vlan: {mode: dot1q, id: 4095}\n"),
       "t.yaml:4:1: a second YAML document ('---'): linkready reads one; put every link in the first"},
      {"VLAN id zero", oneLink("    vlan: {mode: dot1q, id: 0}\n"),
       "t.yaml:4:29: links[0].vlan.id: 0 is out of range 1-4094"},
      {"VLAN id not a number", oneLink("    vlan: {mode: dot1q, id: one hundred}\n"),
       "t.yaml:4:29: links[0].vlan.id: expected a whole number, found 'one hundred'"},
      {"C-tag out of range", oneLink("    vlan: {mode: qinq, s_tag: 200, c_tag: 5000}\n"),
       "t.yaml:4:43: links[0].vlan.c_tag: 5000 is out of range 1-4094"},
      {"bad TPID", oneLink("    vlan: {mode: qinq, s_tag: 200, c_tag: 300, tpid: 0x8200}\n"),
       "t.yaml:4:54: links[0].vlan.tpid: TPID 0x8200 is not 0x8100, 0x88a8 or 0x9100"},
      {"dot1q without id", oneLink("    vlan: {mode: dot1q}\n"),
       "t.yaml:4:11: links[0].vlan.id: missing required key 'id'"},
      {"unknown VLAN mode", oneLink("    vlan: {mode: trunk}\n"),
       "t.yaml:4:18: links[0].vlan.mode: 'trunk' is not untagged, dot1q or qinq"},
      {"bad IPv4 address", oneLink("    ip: {local: 10.0.0.256/30, gateway: 10.0.0.1}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.256/30' is not an IPv4 address with prefix length, like 10.0.0.2/30"},
      {"local without prefix length", oneLink("    ip: {local: 10.0.0.2}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.2' is not an IPv4 address with prefix length, like 10.0.0.2/30"},
      {"prefix length too long", oneLink("    ip: {local: 10.0.0.2/33}\n"),
       "t.yaml:4:17: links[0].ip.local: '10.0.0.2/33' is not an IPv4 address with prefix length, like 10.0.0.2/30"},
      {"gateway outside the local prefix", oneLink("    ip: {local: 10.0.0.2/30, gateway: 10.0.0.5}\n"),
       "t.yaml:4:39: links[0].ip.gateway: gateway 10.0.0.5 is outside the local prefix 10.0.0.2/30 (Local/Peer IPs "
       "swapped, or the mask is wrong?)"},
      {"gateway equal to our own address", oneLink("    ip: {local: 10.0.0.2/30, gateway: 10.0.0.2}\n"),
       "t.yaml:4:39: links[0].ip.gateway: gateway 10.0.0.2 is our own address 10.0.0.2/30"},
      {"IPv6 gateway outside local6",
       oneLink("    ip: {local6: 2001:db8::2/126, gateway6: 2001:db8::9}\n"),
       "t.yaml:4:45: links[0].ip.gateway6: gateway 2001:db8::9 is outside the local prefix 2001:db8::2/126 "
       "(Local/Peer IPs swapped, or the mask is wrong?)"},
      {"bad BGP peer", oneLink("    bgp: {peer: 10.0.0.x}\n"),
       "t.yaml:4:17: links[0].bgp.peer: '10.0.0.x' is not an IP address"},
      {"remote_as not a number", oneLink("    bgp: {peer: 10.0.0.1, remote_as: AS45104}\n"),
       "t.yaml:4:38: links[0].bgp.remote_as: expected a whole number, found 'AS45104'"},
      {"bfd not a boolean", oneLink("    bgp: {peer: 10.0.0.1, bfd: sometimes}\n"),
       "t.yaml:4:32: links[0].bgp.bfd: expected true or false, found 'sometimes'"},
      {"wrong type: order is a string", oneLink("    order: 10GBASE-LR\n"),
       "t.yaml:4:12: links[0].order: expected a mapping (key: value), found '10GBASE-LR'"},
      {"links is not a list", "links: {name: primary}\n",
       "t.yaml:1:8: links: expected a list of links, found a mapping"},
      {"missing interface", "links:\n  - name: primary\n",
       "t.yaml:2:5: links[0].interface: missing required key 'interface'"},
      {"duplicate link names",
       "links:\n  - {name: primary, interface: eth1}\n  - {name: primary, interface: eth2}\n",
       "t.yaml:3:12: links[1].name: duplicate link name 'primary' (first used by links[0])"},
      {"partner that does not exist",
       "links:\n  - {name: primary, interface: eth1, redundant_with: secundary}\n  - {name: secondary, interface: eth2}\n",
       "t.yaml:2:54: links[0].redundant_with: partner 'secundary' is not a link in this file (links: primary, "
       "secondary)"},
      {"partners on one interface",
       "links:\n  - {name: a, interface: eth1, redundant_with: b}\n  - {name: b, interface: eth1}\n",
       "t.yaml:2:48: links[0].redundant_with: partners 'a' and 'b' are both on interface eth1: that is no "
       "redundancy"},
      {"YAML syntax error", "links:\n  - name: [primary\n",
       "t.yaml:3:1: YAML syntax: end of sequence flow not found"},
      {"empty file", "", "t.yaml:1:1: nothing is configured: no links (the template installed with linkready is all "
                         "comments: fill in the links you ordered as its comments show, then validate-config)"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(firstError(c.yaml) == c.error);
  }
}

TEST_CASE("all errors of a file are reported, not just the first", "[config]") {
  auto r = fromString(oneLink("    vlan: {mode: dot1q, id: 5000}\n    ip: {local: bad, gateway: 10.0.0.1}\n"), "t.yaml");
  REQUIRE_FALSE(r);
  CHECK(r.error().size() == 3);  // VLAN id, bad local, and the gateway that needs a local
}

TEST_CASE("a missing config file is a clear error", "[config]") {
  auto r = linkready::config::fromFile("/nonexistent/linkready.yaml");
  REQUIRE_FALSE(r);
  CHECK(r.error().front().toString() ==
        "/nonexistent/linkready.yaml: cannot read the config file: No such file or directory");
  // A directory (--config /etc/linkready/): said so, not "nothing is configured".
  auto dir = linkready::config::fromFile("/tmp/");
  REQUIRE_FALSE(dir);
  CHECK(dir.error().front().toString() == "/tmp/: is a directory: give the config file in it (/tmp/linkready.yaml)");
}

TEST_CASE("agent and orchestrator keys: durations, listen address, https required", "[config]") {
  auto good = fromString("agent: {id: edge-hk-01, interval: 10s, listen: 127.0.0.1:9470}\n"
                         "orchestrator: {url: https://orchestrator.example/v1/readiness, token_file: /etc/linkready/token,\n"
                         "               spool_dir: /var/lib/linkready/spool, heartbeat: 60s, timeout: 5s}\n"
                         "links: [{name: p, interface: eth1}]\n",
                         "t.yaml");
  REQUIRE(good);
  CHECK(good->agent.intervalMs == 10000);
  CHECK(good->agent.listenPort == 9470);
  REQUIRE(good->orchestrator);
  CHECK(good->orchestrator->heartbeatMs == 60000);
  CHECK(good->orchestrator->timeoutMs == 5000);
  CHECK(firstError("orchestrator: {url: http://orchestrator.example/x}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:21: orchestrator.url: 'http://orchestrator.example/x' is not https:// (plain http is allowed to a "
        "loopback address only)");
  CHECK(firstError("agent: {interval: 10 seconds}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:19: agent.interval: expected a duration like 500ms, 10s, 5m or 1h, found '10 seconds'");
  CHECK(firstError("agent: {listen: 9470}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:17: agent.listen: '9470' is not ADDRESS:PORT (like 127.0.0.1:9470) or off");
  // Stability: the guard after a flap and the flight recorder's span.
  CHECK(good->agent.flapGuardS == 120);
  CHECK(good->agent.historyS == 300);
  auto tuned = fromString("agent: {flap_guard: 30s, history: 10m}\nlinks: [{name: p, interface: eth1}]\n", "t.yaml");
  REQUIRE(tuned);
  CHECK(tuned->agent.flapGuardS == 30);
  CHECK(tuned->agent.historyS == 600);
  CHECK(firstError("agent: {history: 10s}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:18: agent.history: 10s is out of range 60000ms-3600s");
  // Re-proof of a steady link: 5 min by default, 0s for every check.
  CHECK(good->agent.reproveS == 300);
  auto always = fromString("agent: {reprove: 0s}\nlinks: [{name: p, interface: eth1}]\n", "t.yaml");
  REQUIRE(always);
  CHECK(always->agent.reproveS == 0);
  CHECK(firstError("agent: {reprove: 2d}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:18: agent.reprove: expected a duration like 500ms, 10s, 5m or 1h, found '2d'");
  CHECK(firstError("agent: {reprove: 25h}\nlinks: [{name: p, interface: eth1}]\n") ==
        "t.yaml:1:18: agent.reprove: 25h is out of range 0ms-86400s");
}

TEST_CASE("dotted masks and hex TPIDs are accepted as engineers write them", "[config]") {
  auto r = fromString(oneLink("    vlan: {mode: qinq, s_tag: 10, c_tag: 20, tpid: 0x9100}\n"
                              "    ip: {local: 10.1.1.2/255.255.255.248, gateway: 10.1.1.1}\n"),
                      "t.yaml");
  REQUIRE(r);
  CHECK(r->links[0].ip.local->length == 29);
  CHECK(r->links[0].vlan.tpid == 0x9100);
}

TEST_CASE("a key written twice is refused at the second one, in every mapping", "[config]") {
  CHECK(firstError(oneLink("    interface: eth2\n    vlan: {mode: dot1q, id: 100}\n")) ==
        "t.yaml:4:5: links[0].interface: duplicate key 'interface' (first at line 3): keep one");
  CHECK(firstError(oneLink("    vlan: {mode: dot1q, id: 100, id: 101}\n")) ==
        "t.yaml:4:34: links[0].vlan.id: duplicate key 'id' (first at line 4): keep one");
  CHECK(firstError("agent: {id: a}\nagent: {id: b}\n" + oneLink("")) ==
        "t.yaml:2:1: agent: duplicate key 'agent' (first at line 1): keep one");
  CHECK(firstError("links:\n  - name: primary\n    interface: eth1\n    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
                   "    ip:\n      local: 10.0.0.6/30\n      gateway: 10.0.0.5\n") ==
        "t.yaml:5:5: links[0].ip: duplicate key 'ip' (first at line 4): keep one");
  // The same key in two different mappings is not a duplicate.
  CHECK(firstError(oneLink("    vlan: {mode: dot1q, id: 100}\n    bgp: {peer: 10.0.0.1, vrf: default}\n"
                           "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n")) == "no error");
}

TEST_CASE("the shipped template is refused until it is filled in, naming the file", "[config]") {
  std::string path = std::string(LINKREADY_SOURCE_DIR) + "/config/linkready.yaml";
  auto r = linkready::config::fromFile(path);
  REQUIRE_FALSE(r);
  REQUIRE(r.error().size() == 1);
  CHECK_THAT(r.error()[0].toString(), Catch::StartsWith(path + ":1:1: nothing is configured: no links"));
}

TEST_CASE("a config with invalid UTF-8 in a value is an answer, not a hang (found by the fuzzer)", "[config]") {
  std::string path = std::string(LINKREADY_SOURCE_DIR) + "/tests/fuzz/seeds/config/found-loadall-loop.yaml";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(text.find('\xff') != std::string::npos);
  auto r = fromString(text, "t.yaml");  // yaml-cpp's LoadAll never returned on it
  REQUIRE_FALSE(r);
  // Where the bytes are, not "nothing is configured" (yaml-cpp read it as empty).
  CHECK(r.error().front().toString() ==
        "t.yaml:7:16: not UTF-8 text here: save the file as UTF-8 (an editor or a copy from a console may have changed "
        "its encoding)");
  CHECK(fromString("links:\n  - name: \xe9t\xc3\xa9\n", "t.yaml").error().front().toString().rfind("t.yaml:2:11:", 0) == 0);
}
