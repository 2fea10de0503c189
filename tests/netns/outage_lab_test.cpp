// The agent through an outage of every link: 32 links (tests/lab/scenarios/many.sh) whose
// far ends all go silent at once (the VBR side's addresses removed: ARP goes unanswered).
// The agent stays alive (/healthz 200 all along), its status shows every link NOT_READY,
// and the receiver standing in for the orchestrator gets a NOT_READY report for each.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <atomic>
#include <mutex>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "netns/background.h"
#include "netns/lab_helpers.h"
#include "probes/bgp/bgp_probe.h"

using namespace linkready::test;
using nlohmann::json;

namespace {

constexpr int kLinks = 32;  // the many scenario's default
constexpr int kAgentPort = 19471;
constexpr int kReceiverPort = 19481;

// Extra link K's address in the many scenario (tests/lab/lab extra_link_ip): side 1 the VBR, 2 us.
std::string extraIp(int k, int side) {
  int n = k * 4;
  return "10." + std::to_string(64 + n / 65536) + "." + std::to_string(n / 256 % 256) + "." +
         std::to_string(n % 256 + side);
}

std::string linksYaml() {
  std::string y =
      "links:\n"
      "  - {name: l0, interface: eth1, order: {speed_mbps: 10000}, optics: {check: false},\n"
      "     ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}, bgp: {peer: 10.0.0.1, local_as: 65010, bfd: true}}\n";
  for (int k = 1; k < kLinks; ++k)
    y += "  - {name: l" + std::to_string(k) + ", interface: lk" + std::to_string(k) +
         ", order: {speed_mbps: 10000}, optics: {check: false},\n     ip: {local: " + extraIp(k, 2) +
         "/30, gateway: " + extraIp(k, 1) + "}, bgp: {peer: " + extraIp(k, 1) + ", local_as: 65010, bfd: true}}\n";
  return y;
}

std::string labName() {
  const char* name = getenv("LAB_NAME");  // as tests/lab/lab
  return name && *name ? name : "lrlab";
}

Run http(Lab& lab, const std::string& path) {
  return lab.exec({"curl", "-s", "-m", "5", "-o", "-", "-w", "\n%{http_code}",
                   "http://127.0.0.1:" + std::to_string(kAgentPort) + path});
}

std::string statusCode(const Run& r) { return r.out.substr(r.out.rfind('\n') + 1); }

std::vector<json> received(const std::string& file) {
  std::vector<json> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// The last readiness the receiver heard for each link.
std::map<std::string, std::string> lastReported(const std::string& file) {
  std::map<std::string, std::string> last;
  for (const json& e : received(file)) last[e["body"]["subject"]] = e["body"]["data"]["links"][0]["readiness"];
  return last;
}

size_t countReadiness(const std::map<std::string, std::string>& m, const std::string& readiness) {
  size_t n = 0;
  for (const auto& [link, r] : m) n += r == readiness;
  return n;
}

// What systemd would hear from the agent: a datagram socket at NOTIFY_SOCKET, every message
// with the time it came.
class NotifyListener {
 public:
  explicit NotifyListener(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    thread_ = std::thread([this] {
      char buf[4096];
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) continue;
        std::lock_guard<std::mutex> lock(mutex_);
        heard_.push_back({std::chrono::steady_clock::now(), std::string(buf, size_t(n))});
      }
    });
  }
  ~NotifyListener() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  // When each message containing `text` came.
  std::vector<std::chrono::steady_clock::time_point> times(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::chrono::steady_clock::time_point> out;
    for (const auto& [at, m] : heard_)
      if (m.find(text) != std::string::npos) out.push_back(at);
    return out;
  }

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> heard_;
  std::thread thread_;
};

// The longest wait between two watchdog pings from `from` on (and until now after the last).
std::chrono::milliseconds longestWatchdogGap(NotifyListener& n, std::chrono::steady_clock::time_point from) {
  auto last = from;
  std::chrono::milliseconds longest{0};
  auto gap = [&](std::chrono::steady_clock::time_point t) {
    longest = std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(t - last));
    last = t;
  };
  for (auto t : n.times("WATCHDOG=1"))
    if (t > from) gap(t);
  gap(std::chrono::steady_clock::now());
  return longest;
}

}  // namespace

TEST_CASE("agent: every far end silent on 32 links: alive all along, all NOT_READY, each reported",
          "[netns][agent][outage]") {
  Lab lab("many");
  char tmpl[] = "/tmp/linkready-outage-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string token = dir + "/token", config = dir + "/linkready.yaml", log = dir + "/received.jsonl";
  std::ofstream(token) << "s3cret-token\n";
  chmod(token.c_str(), 0600);
  std::ofstream(config) << "agent: {id: lab-edge, interval: 5s, listen: 127.0.0.1:" << kAgentPort << "}\n"
                        << "frr: {vty_dir: /var/run/frr, pathspace: " << labName() << "}\n"
                        << "orchestrator: {url: http://127.0.0.1:" << kReceiverPort << "/v1/readiness, token_file: "
                        << token << ", spool_dir: " << dir << "/spool, heartbeat: 60s, timeout: 1s, backoff_max: 1s}\n"
                        << linksYaml();
  Background receiver({LINKREADY_RECEIVER, std::to_string(kReceiverPort), log, "ok"}, dir + "/receiver.log");
  // As systemd runs it (systemd/linkready.service: Type=notify): a watchdog of 4 s, so the
  // agent must ping at least every 4 s all through the outage or be restarted.
  NotifyListener notify(dir + "/notify");
  setenv("NOTIFY_SOCKET", (dir + "/notify").c_str(), 1);
  setenv("WATCHDOG_USEC", "4000000", 1);
  Background agent({binary(), "agent", "--config", config}, dir + "/agent.log");
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");

  // Up first: READY, or DEGRADED where a session of the fresh lab has reset once (a warning).
  bool allUp = waitFor([&] {
    auto last = lastReported(log);
    return countReadiness(last, "READY") + countReadiness(last, "DEGRADED") == kLinks;
  }, 60s);
  INFO(agent.output());
  REQUIRE(allUp);
  REQUIRE(statusCode(http(lab, "/healthz")) == "200");
  CHECK(waitFor([&] { return notify.times("READY=1").size() == 1; }, 5s));
  auto outageFrom = std::chrono::steady_clock::now();

  std::string flush = "addr flush dev eth0\n";
  for (int k = 1; k < kLinks; ++k) flush += "addr flush dev vk" + std::to_string(k) + "\n";
  REQUIRE(lab.vbr({"ip", "-batch", writeTempFile(flush, ".batch")}).exitCode == 0);

  // Until every link shows NOT_READY, the agent must answer healthy at every look.
  int unhealthy = 0, looks = 0;
  bool allDown = waitFor([&] {
    ++looks;
    if (statusCode(http(lab, "/healthz")) != "200") ++unhealthy;
    Run st = http(lab, "/v1/status");
    json j = json::parse(st.out.substr(0, st.out.rfind('\n')), nullptr, false);
    if (j.is_discarded() || !j.contains("links")) return false;
    int down = 0;
    for (const json& l : j["links"]) down += l["readiness"] == "NOT_READY";
    return down == kLinks;
  }, 60s);
  CHECK(allDown);
  CHECK(unhealthy == 0);
  CHECK(looks > 0);
  // The receiver heard NOT_READY for every link (the spool delivers in order).
  CHECK(waitFor([&] { return countReadiness(lastReported(log), "NOT_READY") == kLinks; }, 30s));
  CHECK(statusCode(http(lab, "/healthz")) == "200");
  // The watchdog was fed all through the outage: systemd would not have restarted the agent.
  auto gap = longestWatchdogGap(notify, outageFrom);
  INFO("longest wait between watchdog pings: " << gap.count() << " ms");
  CHECK(gap < 4000ms);
  CHECK(agent.running());
  CHECK(agent.stop(SIGTERM) == 0);
}

// The flight recorder reads FRR's short list of sessions that are not Established each
// second and the full state only every tenth second or when that list moves: a session the
// far end takes down must still show in the very next samples, not up to ten seconds late.
TEST_CASE("agent on 32 links: a session the far end takes down shows in the flight recorder within seconds, "
          "its reset counted, the other sessions untouched",
          "[netns][agent][recorder]") {
  Lab lab("many");
  char tmpl[] = "/tmp/linkready-recorder-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string config = dir + "/linkready.yaml";
  std::ofstream(config) << "agent: {id: lab-edge, interval: 60s, listen: 127.0.0.1:" << kAgentPort << "}\n"
                        << "frr: {vty_dir: /var/run/frr, pathspace: " << labName() << "}\n"
                        << linksYaml();
  Background agent({binary(), "agent", "--config", config}, dir + "/agent.log");
  // The newest value of a series in the recorder of link `name` (null while nothing is known).
  auto newest = [&](const std::string& name, const std::string& series) -> json {
    Run h = http(lab, "/v1/history/" + name);
    json doc = json::parse(h.out.substr(0, h.out.rfind('\n')), nullptr, false);
    if (doc.is_discarded() || !doc.contains("links")) return nullptr;
    for (const json& s : doc["links"][0]["series"])
      if (s["name"] == series && !s["values"].empty()) return s["values"].back();
    return nullptr;
  };
  auto established = [&](int k) { return newest("l" + std::to_string(k), "bgp_ipv4_established") == json(1); };
  bool allUp = waitFor([&] {
    for (int k = 0; k < kLinks; ++k)
      if (!established(k)) return false;
    return true;
  }, 60s);
  INFO(agent.output());
  REQUIRE(allUp);

  std::string bird = "/run/linkready-lab/" + labName() + "/vbr/bird.ctl";
  auto epochMs = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  int64_t disabledAt = epochMs();
  REQUIRE(lab.vbr({"birdc", "-s", bird, "disable", "edge4x5"}).exitCode == 0);
  REQUIRE(waitFor([&] { return newest("l5", "bgp_ipv4_established") == json(0); }, 15s));
  // Judged by the recorder's own sample times (not by how fast this test looks): the first
  // sample that has the session down.
  Run h5 = http(lab, "/v1/history/l5");
  json d5 = json::parse(h5.out.substr(0, h5.out.rfind('\n')));
  const json& times = d5["links"][0]["time_ms"];
  int64_t firstDown = 0;
  for (const json& x : d5["links"][0]["series"])
    if (x["name"] == "bgp_ipv4_established")
      for (size_t k = 0; k < x["values"].size() && k < times.size(); ++k)
        if (x["values"][k] == json(0) && times[k].get<int64_t>() >= disabledAt) {
          firstDown = times[k].get<int64_t>();
          break;
        }
  INFO("the recorder's first sample with the session down came " << firstDown - disabledAt << " ms after the disable");
  REQUIRE(firstDown > 0);
  CHECK(firstDown - disabledAt < 4000);  // a sample a second; the full read alone comes up to 10 s late
  for (int k : {1, 4, 6, 31}) CHECK(established(k));

  REQUIRE(lab.vbr({"birdc", "-s", bird, "enable", "edge4x5"}).exitCode == 0);
  CHECK(waitFor([&] { return established(5); }, 30s));
  // The reset is in the series of resets.
  Run h = http(lab, "/v1/history/l5");
  json doc = json::parse(h.out.substr(0, h.out.rfind('\n')));
  int resets = 0;
  for (const json& s : doc["links"][0]["series"])
    if (s["name"] == "bgp_ipv4_resets")
      for (const json& v : s["values"]) resets += v.is_number() ? v.get<int>() : 0;
  CHECK(resets >= 1);
  CHECK(agent.stop(SIGTERM) == 0);
}

namespace {

// FRR's VTY socket, every command it is sent written down.
class Recording final : public linkready::bgp::FrrQuery {
 public:
  explicit Recording(std::unique_ptr<linkready::bgp::FrrQuery> q) : q_(std::move(q)) {}
  std::vector<std::string> asked;
  tl::expected<std::string, linkready::bgp::VtyError> show(const std::string& daemon, const std::string& c) override {
    asked.push_back(c);
    return q_->show(daemon, c);
  }
  std::vector<tl::expected<std::string, linkready::bgp::VtyError>> showMany(const std::string& daemon,
                                                                          const std::vector<std::string>& cs) override {
    asked.insert(asked.end(), cs.begin(), cs.end());
    return q_->showMany(daemon, cs);
  }
  std::string via() const override { return q_->via(); }
  int daemonPid(const std::string& daemon) const override { return q_->daemonPid(daemon); }

 private:
  std::unique_ptr<linkready::bgp::FrrQuery> q_;
};

}  // namespace

// The agent's check keeps a steady session's neighbor document between intervals (README
// "The BGP layer"): against the real bgpd, the summary line it goes by must move when the
// far end resets a session, and must not move while nothing happens.
TEST_CASE("BGP layer on 32 sessions, as the agent's check reads it: steady sessions' documents kept, a session "
          "the far end resets read again with its reset",
          "[netns][bgp][memo]") {
  using namespace linkready::bgp;
  Lab lab("many");
  VtyOptions o;
  o.socketDir = "/var/run/frr/" + labName();
  o.allowVtyshFallback = false;
  Recording frr(makeVtySocketQuery(o));
  std::vector<WantedSession> sessions = {{"default", "10.0.0.1", false, 45104, true}};
  for (int k = 1; k < kLinks; ++k) sessions.push_back({"default", extraIp(k, 1), false, 45104, true});
  auto neighbor = [](const BgpFacts& f, const std::string& peer) -> const Neighbor* {
    for (const Neighbor& n : f.neighbors)
      if (n.address == peer) return &n;
    return nullptr;
  };
  auto allUp = [&](const BgpFacts& f) {
    for (const WantedSession& s : sessions) {
      const Neighbor* n = neighbor(f, s.peer);
      if (!n || n->state != "Established" || !n->bfd || n->bfd->status != "Up") return false;
    }
    return true;
  };
  auto documents = [&] {
    std::set<std::string> read;
    for (const std::string& c : frr.asked)
      if (c.rfind("show bgp vrf default neighbors ", 0) == 0) read.insert(c.substr(31, c.find(' ', 31) - 31));
    return read;
  };
  REQUIRE(waitFor([&] { return allUp(gatherBgp(frr, sessions, true)); }, 90s));

  NeighborMemo memo;
  frr.asked.clear();
  BgpFacts first = gatherBgp(frr, sessions, true, "/proc", &memo);
  REQUIRE(first.queryError.empty());
  CHECK(documents().size() == size_t(kLinks));
  REQUIRE(allUp(first));

  frr.asked.clear();
  BgpFacts second = gatherBgp(frr, sessions, true, "/proc", &memo);
  REQUIRE(second.queryError.empty());
  INFO("documents read: " << documents().size());
  CHECK(documents().empty());
  CHECK(allUp(second));
  CHECK(second.advertised.size() == first.advertised.size());

  const std::string reset = extraIp(5, 1);
  uint32_t droppedBefore = neighbor(first, reset)->connectionsDropped;
  std::string bird = "/run/linkready-lab/" + labName() + "/vbr/bird.ctl";
  REQUIRE(lab.vbr({"birdc", "-s", bird, "restart", "edge4x5"}).exitCode == 0);
  // Back up with the routes of before, as bgpd says (asked apart from the memo's reads): only
  // the counts of connections tell this session from the one whose document was read.
  const AddressFamilyInfo routesBefore = neighbor(first, reset)->families.at("ipv4Unicast");
  Recording watch(makeVtySocketQuery(o));
  REQUIRE(waitFor([&] {
    BgpFacts now = gatherBgp(watch, sessions, true);
    const Neighbor* n = neighbor(now, reset);
    if (!n || n->state != "Established" || n->connectionsDropped <= droppedBefore || !n->families.count("ipv4Unicast"))
      return false;
    const AddressFamilyInfo& routes = n->families.at("ipv4Unicast");
    return routes.acceptedPrefixes == routesBefore.acceptedPrefixes && routes.sentPrefixes == routesBefore.sentPrefixes;
  }, 60s));

  frr.asked.clear();
  BgpFacts third = gatherBgp(frr, sessions, true, "/proc", &memo);
  REQUIRE(third.queryError.empty());
  CHECK(documents() == std::set<std::string>{reset});  // that one alone
  const Neighbor* again = neighbor(third, reset);
  REQUIRE(again);
  CHECK(again->connectionsDropped > droppedBefore);
  CHECK(again->state == "Established");
}

// The echoes of every link leave together (sendmmsg): one link whose own MTU is too small
// for the 1500-byte echo fails that echo alone; the others' echoes, small and big, go out
// and are judged as usual.
TEST_CASE("check on 32 links: one link's own MTU below 1500 fails its big echo only, every other link's echoes pass",
          "[netns][check][mtu]") {
  Lab lab("many");
  std::string config = writeTempFile("frr: {vty_dir: /var/run/frr, pathspace: " + labName() + "}\n" + linksYaml(), ".yaml");
  REQUIRE(lab.exec({"ip", "link", "set", "lk7", "mtu", "1400"}).exitCode == 0);
  Run r = lab.check({"--json"}, config);
  INFO(r.err);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE(!j.is_discarded());
  REQUIRE(j["links"].size() == size_t(kLinks));
  for (const json& l : j["links"]) {
    INFO(l["name"]);
    std::map<std::string, json> checks;
    for (const json& c : l["checks"]) checks[c["id"]] = c;
    REQUIRE(checks.count("ip.ping"));
    REQUIRE(checks.count("ip.mtu"));
    CHECK(checks["ip.ping"]["status"] == "OK");
    if (l["name"] == "l7") {
      CHECK(checks["ip.mtu"]["status"] == "CRITICAL");
      CHECK(checks["ip.mtu"]["summary"] == "our own MTU on the way to " + extraIp(7, 1) + " is below 1500");
      CHECK(checks["ip.mtu"]["observed"] == "the packet does not fit our own MTU (EMSGSIZE)");
    } else {
      CHECK(checks["ip.mtu"]["status"] == "OK");
    }
  }
}
