// linkready in the monitoring operators already run, on the real lab: `check --format
// nagios` as a plugin, Debian's Prometheus scraping the agent with the shipped alerting
// rules, and the fleet path (Prometheus in agent mode remote-writing to a central one).
// Everything listens on 127.0.0.1 inside the lab's edge namespace.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "netns/lab_helpers.h"
#include "unit/plugin_format.h"

using namespace linkready::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int kAgentPort = 19471;
constexpr int kPrometheusPort = 19090;
constexpr int kFleetAgentPort = 19091;
constexpr int kCentralPort = 19092;

std::string tempDir() {
  char tmpl[] = "/tmp/linkready-prom-XXXXXX";
  return mkdtemp(tmpl);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A server started in the edge namespace in the background; stopped (SIGTERM, then waited
// for) by its pid at scope exit. Its output goes to `log`.
class LabServer {
 public:
  LabServer(Lab& lab, const std::string& command, std::string log) : lab_(lab), log_(std::move(log)) {
    Run r = lab.exec({"sh", "-c", "exec " + command + " >" + log_ + " 2>&1 & echo $!"});
    REQUIRE(r.exitCode == 0);
    pid_ = r.out.substr(0, r.out.find('\n'));
  }
  ~LabServer() {
    lab_.exec({"kill", pid_});
    lab_.exec({"timeout", "10", "sh", "-c", "while kill -0 " + pid_ + " 2>/dev/null; do sleep 0.1; done"});
  }
  std::string log() const { return slurp(log_); }

 private:
  Lab& lab_;
  std::string pid_, log_;
};

// Bounded wait for a condition; the condition, not the time, is what is tested.
template <typename Pred>
bool eventually(Pred pred, std::chrono::seconds limit = 60s) {
  for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(250ms))
    if (pred()) return true;
  return pred();
}

// The lab's config with the agent's endpoint on a port of its own.
std::string agentConfig(const std::string& dir) {
  std::string cfg = slurp(sourceDir() + "/config/examples/lab.yaml");
  std::string from = "agent: {id: lab-edge}";
  REQUIRE(cfg.find(from) != std::string::npos);
  cfg.replace(cfg.find(from), from.size(),
              "agent: {id: lab-edge, interval: 2s, listen: 127.0.0.1:" + std::to_string(kAgentPort) + "}");
  std::ofstream(dir + "/linkready.yaml") << cfg;
  return dir + "/linkready.yaml";
}

std::string scrapeJob() {
  return "scrape_configs:\n"
         "  - job_name: linkready\n"
         "    static_configs: [{targets: ['127.0.0.1:" + std::to_string(kAgentPort) + "']}]\n";
}

json api(Lab& lab, int port, const std::string& path, const std::string& query = "") {
  std::vector<std::string> argv = {"curl", "-s", "--get"};
  if (!query.empty()) argv.insert(argv.end(), {"--data-urlencode", "query=" + query});
  argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
  Run r = lab.exec(argv);
  return json::parse(r.out, nullptr, false);
}

// The instant vector of `query`, empty while there is none (or the server is not up yet).
json vectorOf(Lab& lab, int port, const std::string& query) {
  json j = api(lab, port, "/api/v1/query", query);
  if (j.is_discarded() || j.value("status", "") != "success") return json::array();
  return j["data"]["result"];
}

}  // namespace

TEST_CASE("check --format nagios on the lab: OK with perfdata, CRITICAL naming the layer when the far end is gone",
          "[netns][nagios]") {
  Lab lab("basic");
  Run ok = lab.check({"--format", "nagios"});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exitCode == 0);
  PluginOutput p = parsePlugin(ok.out);
  CHECK(p.statusLine == "LINKREADY OK - primary READY ");
  CHECK(p.longText.empty());
  for (const char* family : {"ping", "ping6"}) {
    const Perf* rtt = p.find(std::string("primary_") + family + "_rtt");
    REQUIRE(rtt);
    CHECK(rtt->uom == "ms");
    CHECK(*rtt->value > 0);
    CHECK(*p.find(std::string("primary_") + family + "_loss")->value == 0);
  }
  CHECK(*p.find("primary_bgp_ipv4_prefixes_received")->value == 3);  // BIRD announces 3 and 2
  CHECK(*p.find("primary_bgp_ipv6_prefixes_received")->value == 2);
  CHECK_FALSE(p.find("primary_rx_power_lane1"));  // veth: no transceiver, no light to report

  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  Run down = lab.check({"--format", "nagios"});
  INFO(down.out << down.err);
  CHECK(down.exitCode == 2);
  PluginOutput d = parsePlugin(down.out);
  CHECK_THAT(d.statusLine, Catch::StartsWith("LINKREADY CRITICAL - primary NOT_READY at link: "));
  CHECK(*d.find("primary_ping_loss")->value == 100);
  CHECK_FALSE(d.find("primary_ping_rtt")->value);  // 'U': no answer, no round trip
  REQUIRE_FALSE(d.longText.empty());
  CHECK_THAT(d.longText[0], Catch::StartsWith("CRITICAL primary link."));

  // --json stays a synonym of --format json.
  Run j1 = lab.check({"--json"}), j2 = lab.check({"--format", "json"});
  CHECK(j1.exitCode == 2);
  CHECK(j2.exitCode == 2);
  CHECK(json::parse(j1.out)["schema"] == "linkready.report/v1");
  CHECK(json::parse(j2.out)["links"][0]["readiness"] == "NOT_READY");
}

TEST_CASE("prometheus: Debian's server scrapes the agent in the lab, readiness arrives with its labels, rules load",
          "[netns][prometheus]") {
  Lab lab("basic");
  std::string dir = tempDir();
  LabServer agent(lab, binary() + " agent --config " + agentConfig(dir), dir + "/agent.log");
  std::ofstream(dir + "/prometheus.yml")
      << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
      << "rule_files: ['" << sourceDir() << "/dist/prometheus/linkready.rules.yml']\n"
      << scrapeJob();
  LabServer prometheus(lab,
                       "prometheus --config.file=" + dir + "/prometheus.yml --storage.tsdb.path=" + dir +
                           "/tsdb --web.listen-address=127.0.0.1:" + std::to_string(kPrometheusPort),
                       dir + "/prometheus.log");
  INFO("agent: " << agent.log() << "\nprometheus: " << prometheus.log());

  json readiness;
  REQUIRE(eventually([&] { return !(readiness = vectorOf(lab, kPrometheusPort, "linkready_link_readiness")).empty(); }));
  REQUIRE(readiness.size() == 1);
  CHECK(readiness[0]["metric"] == json({{"__name__", "linkready_link_readiness"},
                                        {"instance", "127.0.0.1:" + std::to_string(kAgentPort)},
                                        {"job", "linkready"},
                                        {"link", "primary"}}));
  REQUIRE(eventually([&] { return vectorOf(lab, kPrometheusPort, "linkready_link_readiness == 0").size() == 1; }));
  json peers = vectorOf(lab, kPrometheusPort, "linkready_bgp_peer_state == 1");
  CHECK(peers.size() == 2);  // the IPv4 and the IPv6 session, both established

  // Every label bounded: per link, the series are the link's checks and a fixed handful.
  json perLink = vectorOf(lab, kPrometheusPort, R"(count({job="linkready",link="primary"}))");
  json checks = vectorOf(lab, kPrometheusPort, R"(count(linkready_check_status{link="primary"}))");
  json all = vectorOf(lab, kPrometheusPort, R"(count({job="linkready"}))");
  REQUIRE(perLink.size() == 1);
  REQUIRE(checks.size() == 1);
  REQUIRE(all.size() == 1);
  WARN("series: " << perLink[0]["value"][1].get<std::string>() << " with link=\"primary\" (of them "
                  << checks[0]["value"][1].get<std::string>() << " check statuses), "
                  << all[0]["value"][1].get<std::string>() << " in the job with up and scrape series");

  json rules = api(lab, kPrometheusPort, "/api/v1/rules");
  REQUIRE(rules["data"]["groups"].size() == 1);
  CHECK(rules["data"]["groups"][0]["name"] == "linkready");
  CHECK(rules["data"]["groups"][0]["rules"].size() == 9);
  for (const auto& r : rules["data"]["groups"][0]["rules"]) CHECK(r["health"] != "err");

  // The far end goes away: the series follows and the alert is on its way (pending for 5m).
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(eventually([&] { return vectorOf(lab, kPrometheusPort, "linkready_link_readiness == 2").size() == 1; }));
  REQUIRE(eventually([&] {
    json alerts = api(lab, kPrometheusPort, "/api/v1/alerts");
    for (const auto& a : alerts["data"]["alerts"])
      if (a["labels"]["alertname"] == "LinkreadyLinkNotReady" && a["labels"]["link"] == "primary" && a["state"] == "pending")
        return true;
    return false;
  }));
  REQUIRE(eventually([&] { return !vectorOf(lab, kPrometheusPort, "linkready_bgp_peer_state == 0").empty(); }));
}

TEST_CASE("fleet: Prometheus in agent mode scrapes the agent and remote-writes to a central Prometheus",
          "[netns][prometheus][fleet]") {
  Lab lab("basic");
  std::string dir = tempDir();
  LabServer agent(lab, binary() + " agent --config " + agentConfig(dir), dir + "/agent.log");
  // The central store (Mimir, Thanos or Cortex in a real fleet): a Prometheus that accepts remote write.
  std::ofstream(dir + "/central.yml") << "global: {scrape_interval: 1m}\n";
  LabServer central(lab,
                    "prometheus --web.enable-remote-write-receiver --config.file=" + dir +
                        "/central.yml --storage.tsdb.path=" + dir + "/central --web.listen-address=127.0.0.1:" +
                        std::to_string(kCentralPort),
                    dir + "/central.log");
  // On the router: Prometheus in agent mode, no local storage or queries, only forwarding.
  std::ofstream(dir + "/agent-mode.yml")
      << "global: {scrape_interval: 1s, external_labels: {site: hk1, router: lab-edge}}\n"
      << scrapeJob()
      << "remote_write:\n"
         "  - url: http://127.0.0.1:" << kCentralPort << "/api/v1/write\n"
      << "    queue_config: {batch_send_deadline: 1s}\n";
  LabServer forwarder(lab,
                      "prometheus --enable-feature=agent --config.file=" + dir + "/agent-mode.yml --storage.agent.path=" +
                          dir + "/wal --web.listen-address=127.0.0.1:" + std::to_string(kFleetAgentPort),
                      dir + "/agent-mode.log");
  INFO("agent: " << agent.log() << "\ncentral: " << central.log() << "\nagent mode: " << forwarder.log());

  json readiness;
  REQUIRE(eventually([&] {
    return !(readiness = vectorOf(lab, kCentralPort, R"(linkready_link_readiness{router="lab-edge"})")).empty();
  }));
  REQUIRE(readiness.size() == 1);
  CHECK(readiness[0]["metric"] == json({{"__name__", "linkready_link_readiness"},
                                        {"instance", "127.0.0.1:" + std::to_string(kAgentPort)},
                                        {"job", "linkready"},
                                        {"link", "primary"},
                                        {"router", "lab-edge"},
                                        {"site", "hk1"}}));
  REQUIRE(eventually([&] { return vectorOf(lab, kCentralPort, "linkready_link_readiness == 0").size() == 1; }));
  CHECK(vectorOf(lab, kCentralPort, R"(linkready_bgp_peer_state{router="lab-edge"} == 1)").size() == 2);
  // It is really agent mode: the forwarder answers no queries.
  json q = api(lab, kFleetAgentPort, "/api/v1/query", "up");
  CHECK((q.is_discarded() || q.value("status", "") != "success"));
  // A change on the router reaches the centre.
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(eventually([&] {
    return vectorOf(lab, kCentralPort, R"(linkready_link_readiness{router="lab-edge"} == 2)").size() == 1;
  }));
}
