// `linkready check --soak` against the real lab, with the faults a real link has: the VBR
// side flaps its port, drops a share of echo requests (nftables: this kernel has no netem),
// resets the BGP session. Error counters and FEC cannot be produced on veth: see
// tests/unit/window_test.cpp.
#include <catch2/catch.hpp>

#include <future>
#include <regex>
#include <thread>

#include "netns/lab_helpers.h"

using namespace linkready::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json soak(Lab& lab, const std::string& seconds, Run& r) {
  r = lab.check({"--json", "--soak", seconds});
  INFO(r.out << r.err);
  Run v = run({sourceDir() + "/tests/tools/validate-json", sourceDir() + "/agent/schema/report-v1.schema.json"}, r.out);
  INFO("schema validation: " << v.err);
  CHECK(v.exitCode == 0);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

std::string field(const json& check, const char* name) {
  return check.is_object() && check.contains(name) ? check[name].get<std::string>() : "";
}

// The lab's BIRD control socket (tests/lab/lab: $STATE/vbr/bird.ctl).
std::string birdSocket() {
  const char* name = getenv("LAB_NAME");
  return std::string("/run/linkready-lab/") + (name ? name : "lrlab") + "/vbr/bird.ctl";
}

}  // namespace

TEST_CASE("soak on a steady link: READY, a sample a second, every window verdict OK", "[netns][soak]") {
  Lab lab("basic");
  Run r;
  json j = soak(lab, "5s", r);
  INFO(r.out << r.err);
  CHECK(r.exitCode == 0);
  CHECK(j["links"][0]["readiness"] == "READY");
  for (const char* id : {"link.flaps", "link.errors_rising", "ip.echo_loss", "bgp.ipv4.resets"}) {
    json c = findCheck(j, "primary", id);
    INFO(id << ": " << c.dump());
    CHECK(field(c, "status") == "OK");
  }
  // A sample a second for 5 s: 6 echoes, none lost, with round trips.
  CHECK_THAT(field(findCheck(j, "primary", "ip.echo_loss"), "observed"),
             Catch::StartsWith("0 of 6 echoes lost (0.0%), RTT "));
  CHECK(field(findCheck(j, "primary", "link.flaps"), "observed") == "0 carrier changes in 5 s");
  // The instant checks are all still there, before the window's.
  CHECK(findCheck(j, "primary", "link.carrier")["status"] == "OK");
  CHECK(findCheck(j, "primary", "bgp.ipv4.state")["status"] == "OK");
}

TEST_CASE("soak while the VBR side flaps its port: link.flaps says when, and the link is not READY",
          "[netns][soak]") {
  Lab lab("basic");
  auto flap = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(4s);  // the instant checks (about 1 s), then a few samples
    lab.vbr({"ip", "link", "set", "eth0", "down"});
    std::this_thread::sleep_for(1500ms);
    return lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode;
  });
  Run r;
  json j = soak(lab, "10s", r);
  REQUIRE(flap.get() == 0);
  INFO(r.out << r.err);
  CHECK(r.exitCode >= 1);
  CHECK(j["links"][0]["readiness"] != "READY");
  json f = findCheck(j, "primary", "link.flaps");
  CHECK(field(f, "status") == "WARNING");
  CHECK_THAT(field(f, "summary"), Catch::StartsWith("eth1 flapped ") && Catch::Contains(" s ago"));
  CHECK_THAT(field(f, "observed"), Catch::StartsWith("2 carrier changes in 10 s, carrier down in "));
  CHECK_THAT(field(f, "observed"), Catch::Contains(", last at "));
  // Echoes sent while the port was down are the flap's news, not loss on a working link;
  // the session went down with the port (BFD).
  CHECK_THAT(field(findCheck(j, "primary", "ip.echo_loss"), "observed"),
             Catch::Contains("more sent without carrier: see link.flaps"));
  CHECK(field(findCheck(j, "primary", "bgp.ipv4.resets"), "status") == "WARNING");
}

TEST_CASE("soak while the VBR drops half of the echo requests (nftables numgen): ip.echo_loss with the share",
          "[netns][soak]") {
  Lab lab("basic");
  for (const std::vector<std::string>& nft :
       {std::vector<std::string>{"nft", "add", "table", "inet", "lrloss"},
        {"nft", "add", "chain", "inet", "lrloss", "in", "{ type filter hook input priority 0 ; }"},
        {"nft", "add", "rule", "inet", "lrloss", "in", "icmp", "type", "echo-request", "numgen", "random", "mod",
         "100", "<", "50", "drop"}}) {
    Run n = lab.vbr(nft);
    INFO(n.err);
    REQUIRE(n.exitCode == 0);
  }
  Run r;
  json j = soak(lab, "15s", r);  // 16 echoes: all 16 answered at 50% loss is 1 in 65536
  INFO(r.out << r.err);
  CHECK(r.exitCode == 2);
  json e = findCheck(j, "primary", "ip.echo_loss");
  CHECK(field(e, "status") == "CRITICAL");
  std::smatch m;
  std::string observed = field(e, "observed");
  REQUIRE(std::regex_search(observed, m, std::regex(R"(^(\d+) of 16 echoes lost \(([0-9.]+)%\))")));
  int lost = std::stoi(m[1]);
  CHECK(lost >= 1);
  CHECK(lost <= 15);
  // The port and the session held: only the loss is reported.
  CHECK(field(findCheck(j, "primary", "link.flaps"), "status") == "OK");
  CHECK(field(findCheck(j, "primary", "bgp.ipv4.resets"), "status") == "OK");
}

TEST_CASE("soak while the VBR resets the BGP session: bgp.ipv4.resets counts it", "[netns][soak]") {
  Lab lab("basic");
  auto reset = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(3s);
    return lab.vbr({"birdc", "-s", birdSocket(), "restart", "edge4"});
  });
  Run r;
  json j = soak(lab, "8s", r);
  Run b = reset.get();
  INFO(b.out << b.err);
  REQUIRE(b.exitCode == 0);
  INFO(r.out << r.err);
  json s = findCheck(j, "primary", "bgp.ipv4.resets");
  CHECK(field(s, "status") == "WARNING");
  CHECK_THAT(field(s, "summary"), Catch::StartsWith("session with 10.0.0.1 reset 1 time(s) in "));
  CHECK(field(findCheck(j, "primary", "link.flaps"), "status") == "OK");  // the port held
  CHECK(j["links"][0]["readiness"] != "READY");
}

TEST_CASE("soak on a terminal: a progress line while the window runs, then the table", "[netns][soak]") {
  Lab lab("basic");
  // script(1) gives the check a terminal, as an engineer's shell does.
  std::string cmd = binary() + " check --no-color --soak 3s --config " + sourceDir() + "/config/examples/lab.yaml";
  Run r = lab.exec({"script", "-qec", cmd, "/dev/null"});
  INFO(r.out << r.err);
  CHECK(r.exitCode == 0);
  CHECK_THAT(r.out, Catch::Contains("soak 1/3 s: 1 link(s), 0 carrier changes, 0 errors, 0/2 echoes lost"));
  CHECK_THAT(r.out, Catch::Contains("soak 3/3 s: "));
  CHECK_THAT(r.out, Catch::Contains("LINK primary (eth1): READY"));
  CHECK_THAT(r.out, Catch::Contains("ip.echo_loss"));
}
