// Delivery a fleet can trust, against the real receiver (tests/tools/receiver.cpp, a strict
// idempotent API), in the lab's edge namespace: report identity across agents and spools,
// permanent refusals, Retry-After, the spool under stress (disk full, corrupt file,
// read-only directory), TLS with a private CA, a proxy from the environment, and reloads
// that add or remove the orchestrator.
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include "netns/agent_helpers.h"

using namespace linkready::test;
using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr int kReceiverPort = 19482;
constexpr int kProxyPort = 19483;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<json> jsonLines(const std::string& path) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// One agent's files and config; the receiver's files are shared by the agents of a test.
struct AgentSetup {
  std::string dir = tempDir();
  std::string id = "lab-edge";
  int port = 19472;
  std::string url = "http://127.0.0.1:" + std::to_string(kReceiverPort) + "/v1/readiness";
  std::string orchestratorExtra;  // more keys, each with a leading ", "
  std::string heartbeat = "60s";
  bool orchestrator = true;
  std::string config = dir + "/linkready.yaml";
  std::string token = dir + "/token";
  std::string spool = dir + "/spool";

  AgentSetup() {
    std::ofstream(token) << "s3cret-token\n";
    chmod(token.c_str(), 0600);
  }
  void write() const {
    std::ofstream out(config);
    out << "agent: {id: " << id << ", interval: 3s, listen: 127.0.0.1:" << port << "}\n"
        << "frr: {vty_dir: /var/run/frr, pathspace: lrlab}\n";
    if (orchestrator)
      out << "orchestrator: {url: '" << url << "', token_file: " << token << ", spool_dir: " << spool
          << ", heartbeat: " << heartbeat << ", timeout: 1s, backoff_max: 1s" << orchestratorExtra << "}\n";
    out << "links:\n  - name: primary\n    interface: eth1\n"
           "    order: {port_type: 10GBASE-LR, speed_mbps: 10000}\n"
           "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
           "    bgp: {peer: 10.0.0.1, local_as: 65010, bfd: true}\n";
  }
  std::vector<std::string> spooled() const {
    std::vector<std::string> out;
    if (!fs::exists(spool)) return out;
    for (const auto& e : fs::directory_iterator(spool))
      if (e.path().extension() == ".json") out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string spoolId() const {
    std::string s = slurp(spool + "/spool-id");
    return s.substr(0, s.find('\n'));
  }
};

struct Receiver {
  std::string dir = tempDir();
  std::string received = dir + "/received.jsonl";
  std::unique_ptr<Background> process;
  // idleSeconds: how long the receiver keeps an idle connection (0: its default, 75 s).
  void start(const std::string& mode = "ok", const std::vector<std::string>& tls = {}, int idleSeconds = 0) {
    std::vector<std::string> argv = {LINKREADY_RECEIVER};
    if (!tls.empty()) argv.insert(argv.end(), {"--tls", tls[0], tls[1]});
    if (idleSeconds) argv.insert(argv.end(), {"--idle", std::to_string(idleSeconds)});
    argv.insert(argv.end(), {std::to_string(kReceiverPort), received, mode});
    process = std::make_unique<Background>(argv, dir + "/receiver.log");
    std::this_thread::sleep_for(200ms);
  }
  std::vector<json> stored() const { return jsonLines(received); }
  std::vector<json> answers() const { return jsonLines(received + ".log"); }
  void control(Lab& lab, const std::string& what) {
    lab.exec({"curl", "-s", "-X", "POST", "http://127.0.0.1:" + std::to_string(kReceiverPort) + "/control/" + what});
  }
};

std::unique_ptr<Background> startAgent(const AgentSetup& s, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv;
  if (!env.empty()) {
    argv.push_back("env");
    argv.insert(argv.end(), env.begin(), env.end());
  }
  argv.insert(argv.end(), {binary(), "agent", "--config", s.config});
  return std::make_unique<Background>(argv, s.dir + "/agent.log");
}

Run get(Lab& lab, int port, const std::string& path) {
  return lab.exec({"curl", "-s", "-o", "-", "-w", "\n%{http_code}", "http://127.0.0.1:" + std::to_string(port) + path});
}

// The value of an unlabelled sample in Prometheus text, or -1.
double metric(Lab& lab, int port, const std::string& name) {
  std::istringstream in(get(lab, port, "/metrics").out);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// A small tmpfs mounted for one test (a disk that fills, a file system made read-only).
struct SmallFs {
  std::string dir;
  SmallFs(std::string d, const char* options) : dir(std::move(d)) {
    fs::create_directories(dir);
    REQUIRE(mount("tmpfs", dir.c_str(), "tmpfs", 0, options) == 0);
  }
  ~SmallFs() { umount2(dir.c_str(), MNT_DETACH); }
};

// A private CA and a server certificate for `names` (subjectAltName), with the openssl CLI.
struct Pki {
  std::string dir = tempDir();
  std::string ca(const std::string& name) {
    std::string key = dir + "/" + name + ".key", pem = dir + "/" + name + ".pem";
    Run r = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", key, "-out", pem, "-days", "2", "-subj", "/CN=linkready test " + name});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return pem;
  }
  // Returns {cert, key} for a server signed by CA `caName`.
  std::vector<std::string> server(const std::string& caName, const std::string& name, const std::string& san) {
    std::string key = dir + "/" + name + ".key", csr = dir + "/" + name + ".csr", pem = dir + "/" + name + ".pem";
    std::string ext = dir + "/" + name + ".ext";
    std::ofstream(ext) << "subjectAltName=" << san << "\n";
    Run r = run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                 key, "-out", csr, "-subj", "/CN=" + name});
    REQUIRE(r.exitCode == 0);
    r = run({"openssl", "x509", "-req", "-in", csr, "-CA", dir + "/" + caName + ".pem", "-CAkey",
             dir + "/" + caName + ".key", "-CAcreateserial", "-out", pem, "-days", "2", "-extfile", ext});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return {pem, key};
  }
};

}  // namespace

TEST_CASE("delivery: two agents and a wiped spool against an idempotent receiver: every report is stored",
          "[netns][delivery]") {
  Lab lab("basic");
  Receiver receiver;
  receiver.start();
  AgentSetup a, b;
  a.id = "edge-a", b.id = "edge-b", b.port = 19473;
  a.heartbeat = b.heartbeat = "1s";
  a.write(), b.write();
  auto agentA = startAgent(a);
  auto agentB = startAgent(b);
  // Both watch the one link through two flaps.
  for (int flap = 0; flap < 2; ++flap) {
    REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
    std::this_thread::sleep_for(1500ms);
    REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode == 0);
    std::this_thread::sleep_for(1500ms);
  }
  std::string firstSpoolB = b.spoolId();
  REQUIRE(waitFor([&] { return b.spooled().empty() && metric(lab, b.port, "linkready_reports_sent_total") >= 4; }));
  // Agent B reinstalled: its state directory is gone; it numbers from 1 again.
  CHECK(agentB->stop(SIGTERM) == 0);
  fs::remove_all(b.spool);
  agentB = startAgent(b);
  REQUIRE(waitFor([&] { return metric(lab, b.port, "linkready_reports_sent_total") >= 3; }));
  std::string secondSpoolB = b.spoolId();
  CHECK(secondSpoolB.size() == 32);
  CHECK(secondSpoolB != firstSpoolB);
  CHECK(agentA->stop(SIGTERM) == 0);
  CHECK(agentB->stop(SIGTERM) == 0);
  // Everything spooled was delivered (a stop waits for the POST in flight).
  REQUIRE(waitFor([&] { return a.spooled().empty() && b.spooled().empty(); }, 5s));

  std::map<std::string, int> storedBySource;
  std::set<std::string> ids;
  for (const auto& r : receiver.stored()) {
    const json& e = r["body"];
    CHECK(r["idempotency_key"] == e["id"]);
    CHECK(ids.insert(e["id"].get<std::string>()).second);
    storedBySource[e["source"]]++;
    std::string agent = e["data"]["agent_id"];
    CHECK(e["source"] == "urn:linkready:agent:" + agent);
    CHECK(e["id"] == agent + "/" + e["data"]["spool_id"].get<std::string>() + "/" +
                         std::to_string(e["data"]["sequence"].get<uint64_t>()));
  }
  // Nothing the agents sent was taken for a repeat of another agent's or another spool's:
  // every POST was stored (202), none answered as a repeat (200).
  auto answers = receiver.answers();
  for (const auto& ans : answers) CHECK(ans["status"] == 202);
  CHECK(answers.size() == receiver.stored().size());
  CHECK(storedBySource["urn:linkready:agent:edge-a"] >= 5);
  CHECK(storedBySource["urn:linkready:agent:edge-b"] >= 8);
  int afterWipe = 0;
  for (const auto& r : receiver.stored()) {
    if (r["body"]["data"]["spool_id"] != secondSpoolB) continue;
    ++afterWipe;
    CHECK(r["body"]["data"]["agent_id"] == "edge-b");
  }
  CHECK(afterWipe >= 3);
  // The document matches its published schema.
  std::string doc = writeTempFile(receiver.stored().back()["body"].dump(), ".json");
  Run v = run({sourceDir() + "/tests/tools/validate-json", sourceDir() + "/agent/schema/readiness-event-v1.schema.json",
               doc});
  INFO(v.err);
  CHECK(v.exitCode == 0);
}

TEST_CASE("delivery: a report refused with 400 goes to the dead-letter directory, the next ones are delivered",
          "[netns][delivery]") {
  Lab lab("basic");
  Receiver receiver;
  receiver.start();
  AgentSetup s;
  s.heartbeat = "1s";
  s.write();
  // A known spool id, so the receiver can be told which report to refuse before it comes.
  fs::create_directories(s.spool);
  std::string spoolId = "0123456789abcdef0123456789abcdef";
  std::ofstream(s.spool + "/spool-id") << spoolId << "\n";
  receiver.control(lab, "refuse/lab-edge/" + spoolId + "/1");
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 3; }));
  std::string dead = s.spool + "-dead-letter/00000000000000000001-primary-change.json";
  REQUIRE(fs::exists(dead));
  CHECK(json::parse(slurp(dead))["id"] == "lab-edge/" + spoolId + "/1");
  CHECK(slurp(dead + ".reason") == "refused by the orchestrator: HTTP 400\n{\"error\":\"report lab-edge/" + spoolId +
                                       "/1 does not match the schema this orchestrator knows\"}\n");
  CHECK(metric(lab, s.port, "linkready_reports_rejected_total") == 1);
  for (const auto& r : receiver.stored()) CHECK(r["body"]["data"]["sequence"] > 1);
  // Delivery goes on: the next change arrives too.
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "down"}).exitCode == 0);
  REQUIRE(waitFor([&] {
    for (const auto& r : receiver.stored())
      if (r["body"]["data"]["links"][0]["readiness"] == "NOT_READY") return true;
    return false;
  }));
  REQUIRE(lab.vbr({"ip", "link", "set", "eth0", "up"}).exitCode == 0);
  CHECK(count(agent->output(), "refused for good") == 1);  // logged once
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("delivery: 429 and 503 are retried after their Retry-After, in order", "[netns][delivery]") {
  Lab lab("basic");
  for (const char* mode : {"429", "503"}) {
    INFO("receiver mode " << mode);
    Receiver receiver;
    receiver.start(mode);  // Retry-After: 2; the agent's own backoff is at most 1 s
    AgentSetup s;
    s.write();
    auto start = std::chrono::steady_clock::now();
    auto agent = startAgent(s);
    REQUIRE(waitFor([&] { return receiver.answers().size() >= 3; }, 30s));
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed >= 4s);  // three attempts, two waits of 2 s between them
    CHECK_THAT(agent->output(), Catch::Contains("(Retry-After: 2); retry 1 in 2000 ms"));
    CHECK_THAT(agent->output(), Catch::Contains("(Retry-After: 2); retry 2 in 2000 ms"));
    receiver.control(lab, "ok");
    REQUIRE(waitFor([&] { return s.spooled().empty(); }));
    REQUIRE(receiver.stored().size() >= 1);
    CHECK(receiver.stored().front()["body"]["data"]["sequence"] == 1);
    agent->stop(SIGTERM);
  }
}

TEST_CASE("spool: the disk full while spooling: the agent runs on, says so, and loses nothing it had stored",
          "[netns][delivery][spool]") {
  Lab lab("basic");
  AgentSetup s;
  std::string fsDir = s.dir + "/small";
  SmallFs small(fsDir, "size=256k");
  s.spool = fsDir + "/spool";
  s.heartbeat = "1s";
  s.write();
  auto agent = startAgent(s);  // no receiver yet: reports stay in the spool
  REQUIRE(waitFor([&] { return s.spooled().size() >= 2; }));
  std::string change = s.spooled().front();
  CHECK_THAT(change, Catch::EndsWith("-primary-change.json"));
  // Fill the file system.
  Run fill = run({"dd", "if=/dev/zero", "of=" + fsDir + "/filler", "bs=4k"});
  REQUIRE(waitFor([&] { return get(lab, s.port, "/healthz").out.find("No space left on device") != std::string::npos; }));
  Run health = get(lab, s.port, "/healthz");
  CHECK_THAT(health.out, Catch::EndsWith("503"));
  CHECK(metric(lab, s.port, "linkready_spool_writable") == 0);
  CHECK(metric(lab, s.port, "linkready_spool_write_errors_total") >= 1);
  CHECK_THAT(agent->output(), Catch::Contains("reports are not being saved until this is fixed"));
  CHECK(agent->running());
  CHECK_THAT(get(lab, s.port, "/v1/status").out, Catch::EndsWith("200"));
  // Space again: the spool recovers by itself, and what it held is delivered.
  fs::remove(fsDir + "/filler");
  REQUIRE(waitFor([&] { return get(lab, s.port, "/healthz").out.find("\n200") != std::string::npos; }));
  CHECK(metric(lab, s.port, "linkready_spool_writable") == 1);
  Receiver receiver;
  receiver.start();
  REQUIRE(waitFor([&] { return s.spooled().empty(); }));
  std::set<uint64_t> seqs;
  for (const auto& r : receiver.stored()) seqs.insert(r["body"]["data"]["sequence"].get<uint64_t>());
  CHECK(seqs.count(std::stoull(change.substr(0, 20))));  // the change spooled before the disk filled
  CHECK_THAT(agent->output(), Catch::Contains("writable again"));
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("spool: a truncated report found at start is quarantined, the rest is delivered", "[netns][delivery][spool]") {
  Lab lab("basic");
  AgentSetup s;
  s.write();
  fs::create_directories(s.spool);
  std::string spoolId = "00000000000000000000000000000abc";
  std::ofstream(s.spool + "/spool-id") << spoolId << "\n";
  std::string good = "{\"specversion\":\"1.0\",\"id\":\"lab-edge/" + spoolId +
                     "/1\",\"source\":\"urn:linkready:agent:lab-edge\",\"data\":{\"sequence\":1}}";
  std::ofstream(s.spool + "/00000000000000000001-primary-change.json") << good;
  std::ofstream(s.spool + "/00000000000000000002-primary-change.json") << good.substr(0, 40);  // a crash mid-write
  std::ofstream(s.spool + "/sequence") << "2\n";
  Receiver receiver;
  receiver.start();
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 2; }));
  auto stored = receiver.stored();
  CHECK(stored[0]["idempotency_key"] == "lab-edge/" + spoolId + "/1");  // the good one, first
  CHECK(stored[1]["body"]["data"]["sequence"] == 3);                   // numbering goes on
  std::string dead = s.spool + "-dead-letter/00000000000000000002-primary-change.json";
  CHECK(slurp(dead) == good.substr(0, 40));
  CHECK(slurp(dead + ".reason") == "not a readable report: not JSON (truncated or corrupt)\n");
  CHECK(metric(lab, s.port, "linkready_spool_quarantined_total") == 1);
  CHECK_THAT(agent->output(), Catch::Contains("00000000000000000002-primary-change.json) moved to " + s.spool +
                                              "-dead-letter: not a readable report"));
  Run health = get(lab, s.port, "/healthz");
  CHECK_THAT(health.out, Catch::Contains("1 unreadable spool file(s) quarantined in " + s.spool + "-dead-letter"));
  CHECK_THAT(health.out, Catch::EndsWith("200"));
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("spool: a spool directory that is not writable: the agent runs, says so, and recovers",
          "[netns][delivery][spool]") {
  Lab lab("basic");
  AgentSetup s;
  std::string fsDir = s.dir + "/ro";
  SmallFs small(fsDir, "size=1m");
  s.spool = fsDir + "/spool";
  fs::create_directories(s.spool);
  s.heartbeat = "1s";
  s.write();
  Receiver receiver;
  receiver.start();
  // The agent starts on a writable spool and the file system turns read-only under it: a
  // read-only mount made before the agent's own mount namespace is copied would stay
  // read-only in that copy (a per-mount flag), so the remount comes after the start.
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 1; }));
  REQUIRE(mount(nullptr, fsDir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, "size=1m") == 0);
  REQUIRE(waitFor([&] { return get(lab, s.port, "/healthz").out.find("not writable") != std::string::npos ||
                               get(lab, s.port, "/healthz").out.find("Read-only file system") != std::string::npos; }));
  CHECK(agent->running());
  CHECK_THAT(get(lab, s.port, "/healthz").out, Catch::EndsWith("503"));
  CHECK(metric(lab, s.port, "linkready_spool_writable") == 0);
  CHECK_THAT(agent->output(), Catch::Contains("Read-only file system"));
  CHECK_THAT(get(lab, s.port, "/v1/status").out, Catch::EndsWith("200"));
  size_t before = receiver.stored().size();
  REQUIRE(mount(nullptr, fsDir.c_str(), nullptr, MS_REMOUNT, "size=1m") == 0);
  REQUIRE(waitFor([&] { return receiver.stored().size() > before; }));
  REQUIRE(waitFor([&] { return get(lab, s.port, "/healthz").out.find("200") != std::string::npos; }));
  CHECK_THAT(get(lab, s.port, "/healthz").out, Catch::EndsWith("200"));
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("delivery over TLS: a private CA in ca_file is trusted, a wrong CA and a wrong host name are refused",
          "[netns][delivery][tls]") {
  Lab lab("basic");
  Pki pki;
  std::string ca = pki.ca("ca"), otherCa = pki.ca("other-ca");
  auto good = pki.server("ca", "localhost", "DNS:localhost,IP:127.0.0.1");
  auto misnamed = pki.server("ca", "elsewhere", "DNS:orchestrator.elsewhere.example");
  struct Case {
    const char* what;
    std::vector<std::string> cert;
    std::string caFile;
    const char* expectedLog;  // empty: delivered
  };
  for (const Case& c : {Case{"ca_file trusted", good, ca, ""},
                        Case{"wrong CA", good, otherCa, "TLS certificate not trusted: unable to get local issuer certificate (trusted: the CAs in "},
                        Case{"host name mismatch", misnamed, ca, "TLS certificate does not match the host name"}}) {
    INFO(c.what);
    Receiver receiver;
    receiver.start("ok", c.cert);
    AgentSetup s;
    s.url = "https://localhost:" + std::to_string(kReceiverPort) + "/v1/readiness";
    s.orchestratorExtra = ", ca_file: " + c.caFile;
    s.write();
    auto agent = startAgent(s);
    if (std::string(c.expectedLog).empty()) {
      REQUIRE(waitFor([&] { return receiver.stored().size() >= 1; }));
      CHECK(receiver.stored().front()["authorization"] == "Bearer s3cret-token");
    } else {
      REQUIRE(waitFor([&] { return agent->output().find(c.expectedLog) != std::string::npos; }));
      CHECK(receiver.stored().empty());  // nothing, and no token, went to that server
      CHECK(s.spooled().size() >= 1);    // kept for when TLS is fixed
    }
    INFO(agent->output());
    CHECK(agent->stop(SIGTERM) == 0);
  }
}

TEST_CASE("delivery over TLS keeps its connection: reports in a row share one, and servers that close theirs lose "
          "nothing and cost no failed attempt",
          "[netns][delivery][tls]") {
  Lab lab("basic");
  Pki pki;
  std::string ca = pki.ca("ca");
  auto cert = pki.server("ca", "localhost", "DNS:localhost,IP:127.0.0.1");
  struct Case {
    const char* what;
    const char* mode;
    int idleSeconds;  // the receiver's keep-alive timeout (0: 75 s)
    const char* heartbeat;
    size_t reports;  // waited for
  };
  for (const Case& c : {Case{"a server that keeps connections", "ok", 0, "1s", 5},
                        Case{"a server that closes a connection idle for 1 s", "ok", 1, "2s", 4},
                        Case{"a server that ends a kept connection as a request comes", "stale", 0, "1s", 4},
                        Case{"a server without keep-alive", "close", 0, "1s", 4}}) {
    INFO(c.what);
    Receiver receiver;
    receiver.start(c.mode, cert, c.idleSeconds);
    AgentSetup s;
    s.url = "https://localhost:" + std::to_string(kReceiverPort) + "/v1/readiness";
    s.heartbeat = c.heartbeat;
    s.orchestratorExtra = ", ca_file: " + ca;
    s.write();
    auto agent = startAgent(s);
    REQUIRE(waitFor([&] { return receiver.stored().size() >= c.reports; }, 30s));
    std::set<int> connections;
    size_t dropped = 0;
    for (const auto& a : receiver.answers()) {
      if (a["status"] == 0) ++dropped;
      else connections.insert(a["connection"].get<int>());
    }
    INFO(receiver.answers().size() << " answers over " << connections.size() << " connections, " << dropped
                                   << " requests dropped by the receiver");
    INFO(agent->output());
    std::string mode = c.mode;
    if (mode == "ok" && c.idleSeconds == 0) CHECK(connections.size() == 1);  // one TLS handshake for them all
    if (mode == "ok" && c.idleSeconds) CHECK(connections.size() >= 2);  // heartbeats 2 s apart: closed between
    if (mode == "stale") CHECK(dropped >= 1);
    if (mode == "close") CHECK(connections.size() == receiver.answers().size());
    // A closed connection is seen before a report goes out, or the report is sent again at
    // once on a new one: never an attempt that counts as failed, never a report lost.
    CHECK(metric(lab, s.port, "linkready_reports_failed_total") == 0);
    // Delivery is in order: every number up to the last one stored reached the receiver,
    // but for heartbeats a newer one replaced in the spool.
    auto stored = receiver.stored();
    std::set<uint64_t> numbers;
    for (const auto& r : stored) numbers.insert(r["body"]["data"]["sequence"].get<uint64_t>());
    double coalesced = metric(lab, s.port, "linkready_reports_coalesced_total");
    CHECK(double(*numbers.rbegin() - numbers.size()) <= coalesced);
    // And none was sent twice: each answer stored a report (202), none was a repeat (200).
    for (const auto& a : receiver.answers())
      if (a["status"] != 0) CHECK(a["status"] == 202);
    CHECK(agent->stop(SIGTERM) == 0);
  }
}

TEST_CASE("delivery over TLS with the system CA store: found by its hash in SSL_CERT_DIR, or in the bundle SSL_CERT_FILE names",
          "[netns][delivery][tls]") {
  Lab lab("basic");
  Pki pki;
  std::string ca = pki.ca("ca"), otherCa = pki.ca("other-ca");
  auto good = pki.server("ca", "localhost", "DNS:localhost,IP:127.0.0.1");
  // Hashed directories as update-ca-certificates keeps /etc/ssl/certs: one with the test
  // CA, one with another CA only, one with no hash links at all (OpenSSL's default paths
  // then, which do not know the test CA).
  auto hashedDir = [&](const std::string& name, const std::string& pem) {
    std::string d = pki.dir + "/" + name;
    fs::create_directories(d);
    if (pem.empty()) return d;
    fs::copy_file(pem, d + "/ca.pem");
    Run r = run({"openssl", "rehash", d});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return d;
  };
  std::string trusted = hashedDir("trusted", ca), other = hashedDir("other", otherCa), empty = hashedDir("empty", "");
  // SSL_CERT_FILE and SSL_CERT_DIR are OpenSSL's own: set, they name the store; a file set
  // makes the agent use OpenSSL's default paths (that file and the directories).
  struct Case {
    const char* what;
    std::vector<std::string> env;
    std::string refusal;  // empty: delivered; else what the log says was trusted
  };
  for (const Case& c :
       {Case{"SSL_CERT_DIR with the CA", {"-u", "SSL_CERT_FILE", "SSL_CERT_DIR=" + trusted}, ""},
        Case{"SSL_CERT_DIR list, the CA in its second directory", {"-u", "SSL_CERT_FILE", "SSL_CERT_DIR=" + other + ":" + trusted}, ""},
        Case{"SSL_CERT_FILE, a bundle with the CA", {"SSL_CERT_DIR=" + other, "SSL_CERT_FILE=" + ca}, ""},
        Case{"SSL_CERT_DIR without the CA", {"-u", "SSL_CERT_FILE", "SSL_CERT_DIR=" + other},
             "(trusted: the system CA store in " + other + ", by hash; a private CA goes in orchestrator.ca_file)"},
        Case{"SSL_CERT_DIR without hash links", {"-u", "SSL_CERT_FILE", "SSL_CERT_DIR=" + empty},
             "(trusted: OpenSSL's default CA paths;"}}) {
    INFO(c.what);
    Receiver receiver;
    receiver.start("ok", good);
    AgentSetup s;
    s.url = "https://localhost:" + std::to_string(kReceiverPort) + "/v1/readiness";
    s.write();
    auto agent = startAgent(s, c.env);
    if (c.refusal.empty()) {
      bool stored = waitFor([&] { return receiver.stored().size() >= 1; });
      INFO(agent->output());
      REQUIRE(stored);
      CHECK(receiver.stored().front()["authorization"] == "Bearer s3cret-token");
    } else {
      REQUIRE(waitFor([&] { return agent->output().find("TLS certificate not trusted") != std::string::npos; }));
      CHECK_THAT(agent->output(), Catch::Contains(c.refusal));
      CHECK(receiver.stored().empty());
    }
    INFO(agent->output());
    CHECK(agent->stop(SIGTERM) == 0);
  }
}

// An orchestrator over TLS (a private CA) whose name only the test proxy resolves (a
// delivery proves the agent went through the proxy), the proxy started with `proxyArgs`,
// and the agent's config for it.
struct BehindProxy {
  Pki pki;
  Receiver receiver;
  std::string proxyLog;
  std::unique_ptr<Background> proxy;
  AgentSetup s;
  explicit BehindProxy(const std::vector<std::string>& proxyArgs = {}) {
    std::string ca = pki.ca("ca");
    receiver.start("ok", pki.server("ca", "orchestrator.lab.example", "DNS:orchestrator.lab.example"));
    proxyLog = receiver.dir + "/proxy.log";
    std::vector<std::string> argv{LINKREADY_PROXY, std::to_string(kProxyPort), proxyLog};
    argv.insert(argv.end(), proxyArgs.begin(), proxyArgs.end());
    argv.push_back("orchestrator.lab.example=127.0.0.1");
    proxy = std::make_unique<Background>(argv, receiver.dir + "/proxy.out");
    std::this_thread::sleep_for(200ms);
    s.url = "https://orchestrator.lab.example:" + std::to_string(kReceiverPort) + "/v1/readiness";
    s.orchestratorExtra = ", ca_file: " + ca;
    s.write();
  }
};

TEST_CASE("delivery through the HTTP proxy named in https_proxy", "[netns][delivery][tls]") {
  Lab lab("basic");
  BehindProxy b;
  auto& [pki, receiver, proxyLog, proxy, s] = b;
  auto agent = startAgent(s, {"https_proxy=http://127.0.0.1:" + std::to_string(kProxyPort)});
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 1; }));
  CHECK_THAT(slurp(proxyLog),
             Catch::Contains("CONNECT orchestrator.lab.example:" + std::to_string(kReceiverPort) + " HTTP/1.1 -> tunnel"));
  CHECK(receiver.stored().front()["authorization"] == "Bearer s3cret-token");
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("delivery: a proxy that wants credentials (407) holds the reports back, and gets them alone",
          "[netns][delivery][tls]") {
  Lab lab("basic");
  BehindProxy b({"--auth", "alice:s3cret"});
  auto& [pki, receiver, proxyLog, proxy, s] = b;
  // No credentials: the proxy refuses the tunnel; the report waits in the spool.
  auto agent = startAgent(s, {"https_proxy=http://127.0.0.1:" + std::to_string(kProxyPort)});
  std::string refusal = "the proxy 127.0.0.1:" + std::to_string(kProxyPort) +
                        " refused the tunnel to orchestrator.lab.example:" + std::to_string(kReceiverPort) +
                        ": HTTP/1.1 407 Proxy Authentication Required (https_proxy names no user and password)";
  // Tried again and again (the proxy closes each refused connection), not hung on the first.
  bool held = waitFor([&] {
    std::string out = agent->output();
    size_t first = out.find(refusal);
    return first != std::string::npos && out.find(refusal, first + 1) != std::string::npos;
  });
  INFO(agent->output());
  REQUIRE(held);
  CHECK_THAT(slurp(proxyLog), Catch::Contains(" -> 407"));
  CHECK(metric(lab, s.port, "linkready_reports_rejected_total") == 0);
  CHECK_FALSE(std::filesystem::exists(s.spool + "-dead-letter/00000000000000000001-primary-change.json"));
  CHECK(receiver.stored().empty());
  INFO(agent->output());
  CHECK(agent->stop(SIGTERM) == 0);
  // The credentials fixed: the report that waited is delivered through the tunnel.
  agent = startAgent(s, {"https_proxy=http://alice:s3cret@127.0.0.1:" + std::to_string(kProxyPort)});
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 1; }));
  CHECK(receiver.stored().front()["body"]["data"]["sequence"] == 1);
  CHECK_THAT(slurp(proxyLog), Catch::Contains(" -> tunnel"));
  for (const auto& r : receiver.stored()) CHECK(r["proxy_authorization"] == "");  // the proxy's, not the origin's
  CHECK(agent->stop(SIGTERM) == 0);
}

TEST_CASE("reload: adding the orchestrator starts delivery, removing it stops it, each said in the log",
          "[netns][delivery][reload]") {
  Lab lab("basic");
  Receiver receiver;
  receiver.start();
  AgentSetup s;
  s.orchestrator = false;
  s.write();
  auto agent = startAgent(s);
  REQUIRE(waitFor([&] { return get(lab, s.port, "/healthz").out.find("\n200") != std::string::npos; }));
  CHECK(metric(lab, s.port, "linkready_reports_sent_total") == -1);
  s.orchestrator = true;
  s.heartbeat = "1s";
  s.write();
  agent->signal(SIGHUP);
  REQUIRE(waitFor([&] { return receiver.stored().size() >= 1; }));
  CHECK_THAT(agent->output(), Catch::Contains("reload: reporting to http://127.0.0.1:" + std::to_string(kReceiverPort)));
  CHECK(metric(lab, s.port, "linkready_reports_sent_total") >= 1);
  s.orchestrator = false;
  s.write();
  agent->signal(SIGHUP);
  REQUIRE(waitFor([&] { return agent->output().find("reload: no orchestrator any more") != std::string::npos; }));
  size_t before = receiver.stored().size();
  std::this_thread::sleep_for(2500ms);  // heartbeats were every second
  CHECK(receiver.stored().size() == before);
  CHECK(metric(lab, s.port, "linkready_reports_sent_total") == -1);
  CHECK(agent->running());
  CHECK(agent->stop(SIGTERM) == 0);
}
