// `linkready agent` in the lab's edge namespace, reporting to a real HTTP receiver
// (tests/tools/receiver.cpp) in the same namespace: changes, heartbeats, outages of the
// receiver, errors, timeouts, resets, SIGKILL, SIGHUP, metrics.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "netns/agent_helpers.h"

using namespace linkready::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int kAgentPort = 19470;
constexpr int kReceiverPort = 19480;

struct Setup {
  std::string dir = tempDir();
  std::string config = dir + "/linkready.yaml";
  std::string token = dir + "/token";
  std::string spool = dir + "/spool";
  std::string received = dir + "/received.jsonl";
  std::string flapGuard = "5s";
  std::string interval = "3s";

  explicit Setup(const std::string& extraAgent = "", const std::string& heartbeat = "60s") {
    std::ofstream(token) << "s3cret-token\n";
    chmod(token.c_str(), 0600);
    writeConfig(extraAgent, heartbeat);
  }
  // A flap keeps a link DEGRADED for agent.flap_guard and the session's stability_window
  // (2 min and 5 min by default): 5 s here, so that the tests see READY again soon.
  void writeConfig(const std::string& extraAgent = "", const std::string& heartbeat = "60s") const {
    std::ofstream(config) << "agent: {id: lab-edge, interval: " << interval << ", flap_guard: " << flapGuard
                          << ", listen: 127.0.0.1:" << kAgentPort << extraAgent
                          << "}\n"
                             "frr: {vty_dir: /var/run/frr, pathspace: lrlab}\n"
                             "orchestrator: {url: http://127.0.0.1:"
                          << kReceiverPort << "/v1/readiness, token_file: " << token << ", spool_dir: " << spool
                          << ", heartbeat: " << heartbeat << ", timeout: 1s, backoff_max: 1s}\n"
                          << "links:\n  - name: primary\n    interface: eth1\n"
                             "    order: {port_type: 10GBASE-LR, speed_mbps: 10000}\n"
                             "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
                             "    bgp: {peer: 10.0.0.1, local_as: 65010, bfd: true, stability_window: 5s}\n";
  }
  std::vector<json> events() const {
    std::vector<json> out;
    std::ifstream in(received);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(json::parse(line));
    return out;
  }
  std::vector<std::string> spooled() const {
    std::vector<std::string> out;
    Run r = run({"ls", spool});
    std::istringstream ss(r.out);
    std::string f;
    while (ss >> f)
      if (f.find(".json") != std::string::npos) out.push_back(f);
    return out;
  }
  // The readiness in the newest report waiting in the spool ("" when none).
  std::string newestSpooledReadiness() const {
    auto files = spooled();  // names start with the zero-padded sequence: ls sorts them
    if (files.empty()) return "";
    std::ifstream in(spool + "/" + files.back());
    json body = json::parse(in, nullptr, false);
    if (body.is_discarded() || !body.contains("data")) return "";
    return body["data"]["links"][0].value("readiness", "");
  }
};

std::unique_ptr<Background> startReceiver(const Setup& s, const std::string& mode = "ok") {
  auto r = std::make_unique<Background>(
      std::vector<std::string>{LINKREADY_RECEIVER, std::to_string(kReceiverPort), s.received, mode}, s.dir + "/receiver.log");
  std::this_thread::sleep_for(200ms);
  return r;
}

std::unique_ptr<Background> startAgent(const Setup& s) {
  return std::make_unique<Background>(std::vector<std::string>{binary(), "agent", "--config", s.config},
                                      s.dir + "/agent.log");
}

Run http(Lab& lab, const std::string& path) {
  return lab.exec({"curl", "-s", "-o", "-", "-w", "\n%{http_code}", "http://127.0.0.1:" + std::to_string(kAgentPort) + path});
}

std::string readinessOf(const json& event) { return event["body"]["data"]["links"][0]["readiness"]; }

// The summaries of the checks that are not OK in an event (for a failure's message).
std::string notOk(const json& event) {
  std::string out;
  for (const auto& c : event["body"]["data"]["links"][0]["checks"])
    if (c.value("status", "") != "OK") out += "[" + c.value("id", "") + ": " + c.value("summary", "") + "] ";
  return out;
}

}  // namespace

TEST_CASE("agent: a report for each change in the lab (link down, link up), as CloudEvents", "[netns][agent]") {
  Lab lab("basic");
  Setup s;
  auto receiver = startReceiver(s);
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return !s.events().empty(); }));
  auto first = s.events().front();
  CHECK(first["authorization"] == "Bearer s3cret-token");
  CHECK_THAT(first["content_type"].get<std::string>(), Catch::StartsWith("application/cloudevents+json"));
  const json& e = first["body"];
  CHECK(e["specversion"] == "1.0");
  CHECK(e["type"] == "com.linkready.readiness.v1");
  CHECK(e["subject"] == "primary");
  CHECK(e["data"]["schema"] == "linkready.report/v1");
  CHECK(e["data"]["agent_id"] == "lab-edge");
  CHECK(e["data"]["reason"] == "change");
  CHECK(first["idempotency_key"] == e["id"]);  // "<agent id>/<spool id>/<sequence>"
  CHECK(readinessOf(first) == "READY");

  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(waitFor([&] { return readinessOf(s.events().back()) == "NOT_READY"; }));
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode == 0);
  REQUIRE(waitFor([&] { return readinessOf(s.events().back()) == "READY"; }, 40s));
  auto all = s.events();
  uint64_t last = 0;
  for (const auto& ev : all) {  // in order, no sequence number twice
    uint64_t seq = ev["body"]["data"]["sequence"];
    CHECK(seq > last);
    last = seq;
  }
  INFO(agent->output());
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("agent: the receiver down for a while, then up: every report arrives, in order, none lost",
          "[netns][agent]") {
  Lab lab("basic");
  Setup s;
  auto agent = startAgent(s);
  // Three changes while nobody listens: start, link down, link up.
  REQUIRE(waitFor([&] { return s.spooled().size() >= 1; }));
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(waitFor([&] { return s.spooled().size() >= 2; }));
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode == 0);
  // Up is one change at the link and another when BGP is back: wait for the READY report.
  REQUIRE(waitFor([&] { return s.spooled().size() >= 3 && s.newestSpooledReadiness() == "READY"; }, 40s));
  size_t spooled = s.spooled().size();
  auto receiver = startReceiver(s);
  REQUIRE(waitFor([&] { return s.spooled().empty(); }));
  auto events = s.events();
  REQUIRE(events.size() >= spooled);
  uint64_t prev = 0;
  for (const auto& ev : events) {
    UNSCOPED_INFO("event " << ev["body"]["data"]["sequence"] << " " << readinessOf(ev) << " " << notOk(ev));
    uint64_t seq = ev["body"]["data"]["sequence"];
    if (prev) CHECK(seq == prev + 1);  // none lost, none reordered
    prev = seq;
  }
  CHECK(readinessOf(events.back()) == "READY");
}

TEST_CASE("agent: after a flap the link stays DEGRADED for the guard, the change carries the window, "
          "/v1/history and `linkready history` show it",
          "[netns][agent][window]") {
  Lab lab("basic");
  Setup s;
  s.flapGuard = "12s";  // the guard under test (the other agent tests use 5 s)
  s.writeConfig(", history: 2m");
  auto receiver = startReceiver(s);
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return !s.events().empty() && readinessOf(s.events().back()) == "READY"; }));
  std::this_thread::sleep_for(3s);  // a few samples before the flap
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(waitFor([&] { return readinessOf(s.events().back()) == "NOT_READY"; }));
  std::this_thread::sleep_for(1500ms);  // down for more than a sample
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode == 0);
  auto upAt = std::chrono::steady_clock::now();

  // Back up, but flapped: DEGRADED with when, until 12 s pass without a flap; then READY.
  REQUIRE(waitFor([&] {
    const json ev = s.events().back();
    return readinessOf(ev) == "DEGRADED" && notOk(ev).find("link.flaps: eth1 flapped") != std::string::npos;
  }, 30s));
  const json degraded = s.events().back();
  INFO(notOk(degraded));
  CHECK(notOk(degraded).find("DEGRADED until 12 s pass without a flap") != std::string::npos);
  // The change carries the minute before it: the flap is in it.
  const json& w = degraded["body"]["data"]["window"];
  INFO("window: " << w.dump());
  REQUIRE(w.is_object());
  CHECK(w["carrier_changes"].get<int>() >= 2);
  CHECK(w["samples_without_carrier"].get<int>() >= 1);
  CHECK(w["samples"].get<int>() >= 4);
  REQUIRE(waitFor([&] { return readinessOf(s.events().back()) == "READY"; }, 40s));
  CHECK(std::chrono::steady_clock::now() - upAt >= 12s);  // not before the guard passed

  // The flight recorder: a value a second per series, the flap in the carrier series.
  Run h = http(lab, "/v1/history/primary");
  REQUIRE(h.out.size() > 4);
  REQUIRE(h.out.substr(h.out.size() - 3) == "200");
  json doc = json::parse(h.out.substr(0, h.out.rfind('\n')));
  CHECK(doc["schema"] == "linkready.history/v1");
  const json& link = doc["links"][0];
  CHECK(link["link"] == "primary");
  size_t samples = link["time_ms"].size();
  CHECK(samples >= 15);
  std::map<std::string, json> series;
  for (const auto& x : link["series"]) series[x["name"]] = x["values"];
  REQUIRE(series.count("carrier"));
  REQUIRE(series.count("echo_rtt_ms"));
  REQUIRE(series.count("bgp_ipv4_established"));
  int down = 0;
  for (const auto& v : series["carrier"]) down += v.is_number() && v.get<int>() == 0;
  CHECK(down >= 1);
  int flaps = 0;
  for (const auto& v : series["carrier_changes"]) flaps += v.is_number() ? v.get<int>() : 0;
  CHECK(flaps >= 2);
  CHECK(http(lab, "/v1/history/nosuchlink").out.find("no link named 'nosuchlink'") != std::string::npos);

  // The same for the engineer: a sparkline per series.
  Run text = lab.exec({binary(), "history", "primary", "--config", s.config, "--width", "40"});
  INFO(text.out << text.err);
  CHECK(text.exitCode == 0);
  CHECK(text.out.find("primary (eth1): ") == 0);
  CHECK(text.out.find("  carrier_changes ") != std::string::npos);
  CHECK(text.out.find("in the window") != std::string::npos);
  CHECK(text.out.find("▁") != std::string::npos);
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("agent: a receiver answering 500, too slowly, or with a reset gets the report again until it accepts",
          "[netns][agent]") {
  Lab lab("basic");
  for (const char* mode : {"500", "slow", "reset"}) {
    INFO("receiver mode " << mode);
    Setup s;
    auto receiver = startReceiver(s, mode);
    auto agent = startAgent(s);
    REQUIRE(waitFor([&] {
      Run m = http(lab, "/metrics");
      return m.out.find("linkready_reports_failed_total 2") != std::string::npos ||
             m.out.find("linkready_reports_failed_total 3") != std::string::npos;
    }));
    CHECK(s.spooled().size() >= 1);  // kept until accepted
    lab.exec({"curl", "-s", "-X", "POST", "http://127.0.0.1:" + std::to_string(kReceiverPort) + "/control/ok"});
    REQUIRE(waitFor([&] { return s.spooled().empty(); }));
    CHECK(s.events().size() >= 1);
    agent->stop(SIGTERM);
    receiver->stop(SIGTERM);
  }
}

TEST_CASE("agent: SIGKILLed with reports spooled, restarted: they are delivered", "[netns][agent]") {
  Lab lab("basic");
  Setup s;
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return s.spooled().size() >= 1; }));
  agent->stop(SIGKILL);
  auto left = s.spooled();
  REQUIRE(left.size() >= 1);
  uint64_t firstSeq = std::stoull(left.front().substr(0, 20));
  auto receiver = startReceiver(s);
  auto again = startAgent(s);
  REQUIRE(waitFor([&] { return s.spooled().empty() && s.events().size() >= left.size(); }));
  auto events = s.events();
  CHECK(events.front()["body"]["data"]["sequence"] == firstSeq);  // what the killed agent spooled
  // The restarted agent numbers on after what it found.
  CHECK(events.back()["body"]["data"]["sequence"].get<uint64_t>() >= firstSeq + left.size() - 1);
  CHECK_THAT(again->output(), Catch::Contains("left in the spool by an earlier run"));
}

TEST_CASE("agent: a broken config on SIGHUP keeps the old one, a changed one takes effect (a link added, the interval)",
          "[netns][agent]") {
  Lab lab("pair");
  Setup s("", "60s");
  // Checks once a minute, one link: within this test only the first check runs.
  auto writeConfig = [&](const std::string& interval, bool secondLink) {
    std::ofstream(s.config) << "agent: {id: lab-edge, interval: " << interval << ", listen: 127.0.0.1:" << kAgentPort
                            << "}\nfrr: {vty_dir: /var/run/frr, pathspace: lrlab}\n"
                            << "links:\n  - name: primary\n    interface: eth1\n"
                               "    order: {port_type: 10GBASE-LR, speed_mbps: 10000}\n"
                               "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
                               "    bgp: {peer: 10.0.0.1, local_as: 65010, bfd: true}\n"
                            << (secondLink ? "  - name: secondary\n    interface: eth2\n"
                                             "    order: {port_type: 10GBASE-LR, speed_mbps: 10000}\n"
                                             "    ip: {local: 10.0.1.2/30, gateway: 10.0.1.1}\n"
                                             "    redundant_with: primary\n"
                                           : "");
  };
  writeConfig("60s", false);
  auto agent = startAgent(s);
  auto status = [&] {  // the agent's /v1/status document (the config file may be broken meanwhile)
    Run st = http(lab, "/v1/status");
    json j = json::parse(st.out.substr(0, st.out.rfind('\n')), nullptr, false);
    return j.is_discarded() ? json::object() : j;
  };
  REQUIRE(waitFor([&] { return status().contains("links"); }));
  json before = status();
  CHECK(before["links"].size() == 1);

  std::ofstream(s.config) << "links:\n  - name: primary\n    interface: eth1\n    vlan: {mode: dot1q, id: 5000}\n";
  agent->signal(SIGHUP);
  REQUIRE(waitFor([&] { return agent->output().find("the running config stays") != std::string::npos; }));
  CHECK_THAT(agent->output(), Catch::Contains("links[0].vlan.id: 5000 is out of range 1-4094"));
  CHECK(agent->running());
  CHECK_THAT(http(lab, "/healthz").out, Catch::EndsWith("200"));
  CHECK(status()["generated_at"] == before["generated_at"]);  // nothing re-checked: still once a minute

  writeConfig("1s", true);
  agent->signal(SIGHUP);
  REQUIRE(waitFor([&] { return agent->output().find("reload: " + s.config + " loaded, 2 link(s)") != std::string::npos; }));
  // The added link is checked.
  REQUIRE(waitFor([&] { return status()["links"].size() == 2; }));
  json after = status();
  CHECK(after["links"][1]["name"] == "secondary");
  CHECK(after["links"][1]["readiness"] == "READY");
  // The new interval: the report is renewed again and again, where 60 s allowed none.
  std::set<std::string> seen;
  CHECK(waitFor([&] {
    seen.insert(status()["generated_at"].get<std::string>());
    return seen.size() >= 4;
  }, 15s));
  Run text = lab.exec({binary(), "status", "--config", s.config});
  CHECK_THAT(text.out, Catch::Contains("LINK secondary (eth2): READY"));
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("agent: /metrics parses as Prometheus text (promtool), /v1/status is the check document", "[netns][agent]") {
  Lab lab("basic");
  Setup s;
  auto receiver = startReceiver(s);
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return http(lab, "/v1/status").out.find("\n200") != std::string::npos; }));
  Run metrics = lab.exec({"curl", "-s", "http://127.0.0.1:" + std::to_string(kAgentPort) + "/metrics"});
  REQUIRE(metrics.exitCode == 0);
  Run promtool = run({"promtool", "check", "metrics"}, metrics.out);
  INFO(metrics.out << promtool.out << promtool.err);
  CHECK(promtool.exitCode == 0);
  CHECK_THAT(metrics.out, Catch::Contains("linkready_link_up{link=\"primary\",interface=\"eth1\"} 1"));
  CHECK_THAT(metrics.out, Catch::Contains("linkready_bgp_peer_state{link=\"primary\",peer=\"10.0.0.1\",vrf=\"default\"} 1"));
  CHECK_THAT(metrics.out, Catch::Contains("linkready_check_status{link=\"primary\",check=\"link.carrier\"} 0"));
  CHECK_THAT(metrics.out, Catch::Contains("linkready_probe_success{probe=\"bgp\"} 1"));
  CHECK_THAT(metrics.out, Catch::Contains("linkready_reports_sent_total"));
  Run status = lab.exec({"curl", "-s", "http://127.0.0.1:" + std::to_string(kAgentPort) + "/v1/status"});
  Run v = run({sourceDir() + "/tests/tools/validate-json", sourceDir() + "/agent/schema/report-v1.schema.json"}, status.out);
  CHECK(v.exitCode == 0);
}

TEST_CASE("agent: a steady link's on-wire proof and echoes are taken again until reprove, a silent gateway is "
          "proved again at once, well before the next interval",
          "[netns][agent][reprove]") {
  Lab lab("basic");
  Setup s;
  s.interval = "20s";
  s.writeConfig(", reprove: 1h");
  auto receiver = startReceiver(s);
  auto agent = startAgent(s);
  auto status = [&] {
    Run st = http(lab, "/v1/status");
    json j = json::parse(st.out.substr(0, st.out.rfind('\n')), nullptr, false);
    return j.is_discarded() || !j.contains("links") ? json() : j;
  };
  // The first check proves; the second (an interval later) takes that proof: its time is in
  // the report, and the verdicts stay READY.
  json first;
  REQUIRE(waitFor([&] {
    first = status();
    return !first.is_null();
  }, 30s));
  CHECK_FALSE(first["links"][0].contains("proof_from"));
  json second;
  bool taken = waitFor([&] {
    second = status();
    return !second.is_null() && second["generated_at"] != first["generated_at"];
  }, 30s);
  INFO(agent->output());
  REQUIRE(taken);
  CHECK(second["links"][0]["readiness"] == "READY");
  REQUIRE(second["links"][0].contains("proof_from"));
  CHECK(second["links"][0]["proof_from"] <= first["generated_at"]);
  Run v = run({sourceDir() + "/tests/tools/validate-json", sourceDir() + "/agent/schema/report-v1.schema.json"},
              second.dump());
  CHECK(v.exitCode == 0);

  // The gateway goes silent (its address removed: ARP unanswered). The recorder's first
  // unanswered echo asks for a check of the link, which proves again: NOT_READY long before
  // the next 20-s interval, on fresh verdicts.
  auto silentFrom = std::chrono::steady_clock::now();
  REQUIRE(lab.vbr({"ip", "addr", "flush", "dev", "eth0"}).exitCode == 0);
  json down;
  bool seen = waitFor([&] {
    down = status();
    return !down.is_null() && down["links"][0]["readiness"] == "NOT_READY";
  }, 30s);
  REQUIRE(seen);
  auto after = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - silentFrom);
  INFO("NOT_READY after " << after.count() << " s; " << down.dump());
  CHECK(after < 12s);  // the interval is 20 s: only the recorder's request explains it
  CHECK_FALSE(down["links"][0].contains("proof_from"));
  CHECK(waitFor([&] {
    auto e = s.events();
    return !e.empty() && readinessOf(e.back()) == "NOT_READY";
  }, 10s));
}

TEST_CASE("agent: a token file others can read is refused at start", "[netns][agent]") {
  Lab lab("basic");
  Setup s;
  chmod(s.token.c_str(), 0644);
  auto agent = startAgent(s);
  int rc = agent->stop(0);  // signal 0: just wait for it to exit by itself
  CHECK(rc == 3);
  CHECK_THAT(agent->output(), Catch::Contains("is readable by others (mode 0644): chmod 600"));
}

TEST_CASE("agent: a token file its user cannot open is refused at start, saying so (not 'empty')",
          "[netns][agent]") {
  // As under systemd's DynamicUser= with a root-only token file: the agent as nobody.
  Lab lab("basic");
  Setup s;
  chmod(s.dir.c_str(), 0755);
  chmod(s.config.c_str(), 0644);
  Background agent({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary(), "agent", "--config",
                    s.config},
                   s.dir + "/agent.log");
  int rc = agent.stop(0);
  CHECK(rc == 3);
  CHECK_THAT(agent.output(), Catch::Contains("cannot read the token file " + s.token + ": Permission denied (as uid "
                                             "65534; under systemd use token_file: credential:token)"));
}

TEST_CASE("agent: heartbeats between changes", "[netns][agent]") {
  Lab lab("basic");
  Setup s("", "2s");
  auto receiver = startReceiver(s);
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] {
    for (const auto& e : s.events())
      if (e["body"]["data"]["reason"] == "heartbeat") return true;
    return false;
  }));
}
