// BGP verdicts against the real lab: FRR in one namespace, BIRD as the VBR in the other,
// one scenario per failure the field sees.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "netns/lab_helpers.h"
#include "probes/bgp/frr_vty.h"

using namespace linkready::test;
using nlohmann::json;

namespace {

// Checks until the verdict of `id` has `status` (sessions take a few seconds to fail and
// to retry), at most `attempts` times a second apart; returns the last report.
json checkUntil(Lab& lab, const std::string& id, const std::string& status, int attempts = 12) {
  json j;
  for (int i = 0; i < attempts; ++i) {
    Run r = lab.check({"--json"});
    j = json::parse(r.out);
    json c = findCheck(j, "primary", id);
    if (!c.is_null() && c["status"] == status) return j;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  return j;
}

std::string field(const json& report, const std::string& id, const char* name) {
  json c = findCheck(report, "primary", id);
  return c.is_null() ? "(no check " + id + ")" : c[name].get<std::string>();
}

// The MD5 verdict appears once the kernel has counted a failed attempt (a retry or two).
void checkMd5Mismatch(Lab& lab) {
  json j;
  for (int i = 0; i < 15; ++i) {
    j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL", 1);
    if (field(j, "bgp.ipv4.state", "hint").find("MD5") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"), Catch::StartsWith("MD5 key mismatch (check for trailing spaces)"));
  CHECK_THAT(field(j, "bgp.ipv4.state", "observed"), Catch::Contains("kernel TCP-MD5 counters"));
}

}  // namespace

TEST_CASE("bgp lab: Established over IPv4 and IPv6 with BFD, routes both ways", "[netns][bgp]") {
  Lab lab("basic");
  Run r = lab.check({"--json"});
  INFO(r.out);
  REQUIRE(r.exitCode == 0);
  json j = json::parse(r.out);
  for (const char* af : {"ipv4", "ipv6"}) {
    std::string p = std::string("bgp.") + af + ".";
    CHECK(field(j, p + "state", "status") == "OK");
    CHECK(field(j, p + "bfd", "status") == "OK");
    CHECK_THAT(field(j, p + "bfd", "summary"), Catch::StartsWith("BFD up, single-hop"));
    CHECK(field(j, p + "prefixes_advertised", "status") == "OK");
  }
  CHECK(field(j, "bgp.ipv4.prefixes_received", "observed") == "3 accepted");
  CHECK(field(j, "bgp.ipv6.prefixes_received", "observed") == "2 accepted");
  CHECK(field(j, "bgp.ipv4.prefixes_advertised", "observed") ==
        "1 of ours (198.51.100.0/24), 3 of the VBR's reflected back");
}

TEST_CASE("bgp lab: wrong remote AS on the edge", "[netns][bgp]") {
  Lab lab("wrong-asn-edge");
  json j = checkUntil(lab, "bgp.ipv4.remote_as", "CRITICAL");
  CHECK(field(j, "bgp.ipv4.remote_as", "observed") == "45105");
  CHECK_THAT(field(j, "bgp.ipv4.remote_as", "hint"), Catch::StartsWith("ASN mismatch: Alibaba side is 45104"));
  CHECK(field(j, "bgp.ipv4.state", "status") == "CRITICAL");
}

TEST_CASE("bgp lab: the VBR expects another AS from us", "[netns][bgp]") {
  Lab lab("wrong-asn-vbr");
  json j;
  for (int i = 0; i < 15; ++i) {  // wait until the VBR has rejected a few OPENs
    j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL", 1);
    if (field(j, "bgp.ipv4.state", "hint").find("ASN mismatch") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  CHECK(field(j, "bgp.ipv4.state", "status") == "CRITICAL");
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"), Catch::Contains("ASN mismatch"));
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"), Catch::Contains("our local AS 65010"));
  CHECK(field(j, "bgp.ipv4.remote_as", "status") == "OK");  // our config is right; theirs is not
}

TEST_CASE("bgp lab: MD5 key mismatch is named from the kernel's counters", "[netns][bgp]") {
  Lab lab("md5-mismatch");
  checkMd5Mismatch(lab);
}

TEST_CASE("bgp lab: MD5 key mismatch is named when bgpd's pid file is elsewhere (-i)", "[netns][bgp]") {
  // bgpd answers on its VTY socket but wrote its pid file outside the VTY directory: the
  // kernel's counters are found through the socket's peer credentials instead.
  setenv("LAB_BGPD_PID_FILE", "/run/linkready-lab/lrlab/edge/bgpd-elsewhere.pid", 1);
  Lab lab("md5-mismatch");
  unsetenv("LAB_BGPD_PID_FILE");
  REQUIRE(lab.exec({"test", "-s", "/run/linkready-lab/lrlab/edge/bgpd-elsewhere.pid"}).exitCode == 0);
  REQUIRE(lab.exec({"test", "-e", "/var/run/frr/lrlab/bgpd.pid"}).exitCode != 0);  // the premise
  checkMd5Mismatch(lab);
}

TEST_CASE("bgp lab: FRR in a pid namespace of its own (a container) is the bgpd of its pid file", "[netns][bgp]") {
  // bgpd's pid file holds its pid in its namespace; the VTY socket's peer credentials give
  // its pid in ours. The same process: no "two bgpd" error, and the kernel's MD5 counters
  // are read from its /proc entry in our namespace.
  setenv("LAB_BGPD_PIDNS", "1", 1);
  Lab lab("md5-mismatch");
  unsetenv("LAB_BGPD_PIDNS");
  Run pidFile = lab.exec({"cat", "/var/run/frr/lrlab/bgpd.pid"});
  REQUIRE(pidFile.exitCode == 0);
  Run bgpd = lab.exec({"pgrep", "-x", "bgpd"});
  INFO("pid file: " << pidFile.out << "; bgpd here: " << bgpd.out);
  REQUIRE(std::stoi(pidFile.out) != std::stoi(bgpd.out));  // the premise: the numbers differ
  checkMd5Mismatch(lab);  // before: CRITICAL "two bgpd instances share this pathspace"
}

TEST_CASE("bgp lab: MD5 on our side only", "[netns][bgp]") {
  Lab lab("md5-edge-only");
  json j;
  for (int i = 0; i < 15; ++i) {
    j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL", 1);
    if (field(j, "bgp.ipv4.state", "hint").find("sign") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"), Catch::StartsWith("we sign, the peer does not"));
}

TEST_CASE("bgp lab: MD5 with the same key on both sides comes up", "[netns][bgp]") {
  Lab lab("md5-ok");
  Run r = lab.check({"--json"});
  CHECK(r.exitCode == 0);
  CHECK(field(json::parse(r.out), "bgp.ipv4.state", "status") == "OK");
}

TEST_CASE("bgp lab: no route-maps on the edge (RFC 8212)", "[netns][bgp]") {
  Lab lab("no-policy");
  json j = checkUntil(lab, "bgp.ipv4.policy", "CRITICAL");
  CHECK(field(j, "bgp.ipv4.state", "status") == "OK");
  CHECK_THAT(field(j, "bgp.ipv4.policy", "hint"),
             Catch::StartsWith("FRR accepts and sends nothing without route-maps (RFC 8212"));
  CHECK(field(j, "bgp.ipv4.prefixes_received", "status") == "CRITICAL");
}

TEST_CASE("bgp lab: max-prefix exceeded", "[netns][bgp]") {
  Lab lab("max-prefix");
  Run r = lab.check({"--json"});
  json j = json::parse(r.out);
  CHECK(r.exitCode == 2);
  CHECK(field(j, "bgp.ipv4.state", "summary") == "session to 10.0.0.1 stopped by the prefix limit (Idle PfxCt)");
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"), Catch::Contains("maximum-prefix 2"));
  CHECK(field(j, "bgp.ipv6.state", "status") == "OK");
}

TEST_CASE("bgp lab: BIRD stopped on the VBR side", "[netns][bgp]") {
  Lab lab("basic");
  Run kill = lab.vbr({"sh", "-c", "kill $(cat /run/linkready-lab/lrlab/vbr/bird.pid)"});
  REQUIRE(kill.exitCode == 0);
  json j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL");
  CHECK(field(j, "bgp.ipv4.state", "status") == "CRITICAL");
  std::string hint = field(j, "bgp.ipv4.state", "hint");
  CHECK((hint.find("TCP to the peer does not come up") == 0 ||
         hint.find("the VBR closed the session with a NOTIFICATION") == 0));
  CHECK(field(j, "link.carrier", "status") == "OK");
}

TEST_CASE("bgp lab: the VBR never started", "[netns][bgp]") {
  Lab lab("vbr-down");
  json j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL");
  std::string seen = field(j, "bgp.ipv4.state", "observed");
  CHECK((seen == "Active, never established" || seen == "Connect, never established"));
  CHECK_THAT(field(j, "bgp.ipv4.state", "hint"),
             Catch::StartsWith("TCP to the peer does not come up: check the IP and VLAN layers first"));
}

TEST_CASE("bgp lab: neighbor shut down in FRR", "[netns][bgp]") {
  Lab lab("neighbor-shutdown");
  json j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL");
  CHECK(field(j, "bgp.ipv4.state", "hint") == "session shut down in FRR: 'no neighbor 10.0.0.1 shutdown' under router bgp");
}

TEST_CASE("bgp lab: bgpd killed, the check ends with UNKNOWN and a hint", "[netns][bgp]") {
  Lab lab("basic");
  REQUIRE(run({"sh", "-c", "kill -KILL $(cat /var/run/frr/lrlab/bgpd.pid)"}).exitCode == 0);
  Run r = lab.check({"--json"});
  json j = json::parse(r.out);
  CHECK(r.exitCode == 3);
  json c = findCheck(j, "primary", "bgp.frr");
  REQUIRE_FALSE(c.is_null());
  CHECK(c["status"] == "UNKNOWN");
  CHECK_THAT(c["observed"].get<std::string>(), Catch::Contains("bgpd is not running"));
  CHECK_THAT(c["hint"].get<std::string>(), Catch::StartsWith("bgpd not running"));
}

TEST_CASE("bgp lab: bgpd hung, the check keeps its deadline and says so", "[netns][bgp]") {
  Lab lab("basic");
  REQUIRE(run({"sh", "-c", "kill -STOP $(cat /var/run/frr/lrlab/bgpd.pid)"}).exitCode == 0);
  std::string cfg = writeTempFile(
      "frr: {vty_dir: /var/run/frr, pathspace: lrlab, timeout: 500ms}\n"
      "links:\n  - {name: primary, interface: eth1, bgp: {peer: 10.0.0.1}}\n");
  Run r = lab.check({"--json"}, cfg);
  run({"sh", "-c", "kill -CONT $(cat /var/run/frr/lrlab/bgpd.pid)"});
  unlink(cfg.c_str());
  json c = findCheck(json::parse(r.out), "primary", "bgp.frr");
  REQUIRE_FALSE(c.is_null());
  CHECK(c["status"] == "UNKNOWN");
  CHECK_THAT(c["observed"].get<std::string>(), Catch::Contains("within 500 ms"));
  CHECK_THAT(c["hint"].get<std::string>(), Catch::StartsWith("bgpd did not answer in time"));
}

TEST_CASE("bgp lab: a broken link makes the BGP verdict depend on it", "[netns][bgp]") {
  Lab lab("basic");
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  json j = checkUntil(lab, "bgp.ipv4.state", "CRITICAL");
  json c = findCheck(j, "primary", "bgp.ipv4.state");
  CHECK(c["depends_on"] == "link");
  CHECK(j["links"][0]["first_broken_layer"] == "link");
}

TEST_CASE("bgp lab: pipelined VTY queries answer like one query each, a refused one in the middle", "[netns][bgp]") {
  Lab lab("basic");
  const char* name = std::getenv("LAB_NAME");
  linkready::bgp::VtyOptions o;
  o.socketDir = std::string("/var/run/frr/") + (name ? name : "lrlab");
  o.allowVtyshFallback = false;
  auto one = linkready::bgp::makeVtySocketQuery(o);
  auto many = linkready::bgp::makeVtySocketQuery(o);
  std::vector<std::string> commands = {"show bgp vrf default neighbors 10.0.0.1 json",
                                       "show bgp summary json",
                                       "show bgp no-such-thing",  // FRR refuses it: that answer only
                                       "show bgp vrf default neighbors 2001:db8:ffff::1 json",
                                       "configure terminal",      // never sent
                                       "show bgp vrf default ipv4 unicast neighbors 10.0.0.1 advertised-routes json"};
  // Hundreds in flight, as a check at scale sends them: still in order, one answer each.
  for (int k = 0; k < 300; ++k) commands.push_back("show bgp vrf default neighbors 10.0.0.1 json");
  auto answers = many->showMany("bgpd", commands);
  REQUIRE(answers.size() == commands.size());
  REQUIRE(!answers[2]);
  CHECK(answers[2].error().kind == linkready::bgp::VtyError::Kind::CommandFailed);
  CHECK_THAT(answers[2].error().message, Catch::Contains("unknown command"));
  REQUIRE(!answers[4]);
  CHECK(answers[4].error().message == "refused to send a non-show command");
  for (size_t i : {size_t(0), size_t(3), size_t(5), commands.size() - 1}) {
    INFO(commands[i]);
    REQUIRE(answers[i]);
    auto alone = one->show("bgpd", commands[i]);
    REQUIRE(alone);
    // The same document as the command sent alone (timers in it may tick between the two):
    // the same top-level keys (the peer's address, or the routes' fields).
    json a = json::parse(*answers[i]), b = json::parse(*alone);
    std::vector<std::string> ka, kb;
    for (auto it = a.begin(); it != a.end(); ++it) ka.push_back(it.key());
    for (auto it = b.begin(); it != b.end(); ++it) kb.push_back(it.key());
    CHECK(ka == kb);
    if (i == 0) CHECK(a["10.0.0.1"]["bgpState"] == "Established");
  }
  // The connection is still in step after the refusal: one more query answers.
  auto after = many->show("bgpd", "show bgp summary json");
  REQUIRE(after);
  CHECK(json::parse(*after).contains("ipv4Unicast"));
}

TEST_CASE("bgp lab: a kept VTY connection that bgpd closed (a restart) is opened again, single and pipelined",
          "[netns][bgp]") {
  Lab lab("basic");
  const char* name = std::getenv("LAB_NAME");
  linkready::bgp::VtyOptions o;
  o.socketDir = std::string("/var/run/frr/") + (name ? name : "lrlab");
  o.allowVtyshFallback = false;  // the socket client alone: no vtysh to hide a failure
  auto q = linkready::bgp::makeVtySocketQuery(o);
  auto before = q->show("bgpd", "show bgp summary json");
  REQUIRE(before);
  int pidBefore = q->daemonPid("bgpd");
  CHECK(pidBefore > 0);

  Run restart = run({labScript(), "restart-bgpd"});
  INFO(restart.err);
  REQUIRE(restart.exitCode == 0);
  auto after = q->show("bgpd", "show bgp summary json");
  INFO((after ? std::string() : after.error().message));
  REQUIRE(after);
  CHECK(json::parse(*after).contains("ipv4Unicast"));
  CHECK(q->daemonPid("bgpd") != pidBefore);  // a new bgpd answered

  restart = run({labScript(), "restart-bgpd"});
  REQUIRE(restart.exitCode == 0);
  auto answers = q->showMany("bgpd", {"show bgp vrf default summary neighbor 10.0.0.1 json", "show bgp summary json"});
  REQUIRE(answers.size() == 2);
  for (const auto& a : answers) {
    INFO((a ? std::string() : a.error().message));
    REQUIRE(a);
    CHECK(json::parse(*a).contains("ipv4Unicast"));
  }
}
