// Delivery without root: which answers are final, Retry-After, backoff, and a refused report
// that goes to the dead-letter directory while the rest is delivered (a fake Poster behind
// the I/O interface; the real HTTP exchange is tested in tests/netns/delivery_lab_test.cpp).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "agent/daemon/delivery.h"
#include "agent/daemon/http_client.h"

using namespace linkready;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

PostResult answer(long status, std::string retryAfter = "") {
  PostResult r;
  r.httpStatus = status;
  r.retryAfter = std::move(retryAfter);
  return r;
}

// Answers from a script, per report id; 200 once the script is exhausted.
class ScriptedPoster final : public Poster {
 public:
  std::map<std::string, std::vector<PostResult>> script;
  std::vector<std::string> keys;
  std::mutex mutex;
  PostResult post(const std::string&, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mutex);
    keys.push_back(key);
    auto& s = script[key];
    if (s.empty()) return answer(200);
    PostResult r = s.front();
    s.erase(s.begin());
    return r;
  }
};

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/linkready-delivery-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

// A report as the agent renders it, as far as delivery reads it (its id).
std::string renderReport(const std::string& spoolId, uint64_t seq) {
  return "{\"id\":\"edge/" + spoolId + "/" + std::to_string(seq) + "\",\"data\":{}}";
}

// A spool holding a state change of each of `links`, numbered 1, 2, ... in that order.
std::unique_ptr<Spool> spoolWith(const TempDir& t, std::initializer_list<const char*> links) {
  auto spool = Spool::open(t.path + "/spool", 1 << 20);
  for (const char* link : links) REQUIRE(spool->add(link, EventKind::Change, renderReport));
  return spool;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool waitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

}  // namespace

// A sender over `spool`, its poster answering each report number from `script` (200 once a
// script runs out), run until the spool is empty: the report ids it posted, in order, and
// its counters.
struct Delivery {
  std::vector<std::string> keys;
  uint64_t sent = 0, rejected = 0, failed = 0;
};
Delivery deliverAll(Spool& spool, std::map<uint64_t, std::vector<PostResult>> script, std::chrono::milliseconds cap) {
  auto poster = std::make_unique<ScriptedPoster>();
  ScriptedPoster& p = *poster;
  for (auto& [seq, answers] : script) p.script["edge/" + spool.spoolId() + "/" + std::to_string(seq)] = answers;
  Sender sender(spool, std::move(poster), cap);
  sender.start();
  REQUIRE(waitFor([&] { return spool.entries().empty(); }));
  sender.stop();
  return {p.keys, sender.counters().sent, sender.counters().rejected, sender.counters().failed};
}

TEST_CASE("delivery: 2xx delivered, 4xx refused for good but 407 (the proxy) 408 409 (the same key in progress) 425 "
          "429, the rest retried",
          "[delivery]") {
  for (long s : {200, 201, 202, 204}) CHECK(classify(answer(s)) == Outcome::Delivered);
  for (long s : {400, 401, 403, 404, 413, 415, 422}) CHECK(classify(answer(s)) == Outcome::Rejected);
  for (long s : {0, 301, 307, 407, 408, 409, 425, 429, 500, 502, 503, 504}) CHECK(classify(answer(s)) == Outcome::Retry);
}

TEST_CASE("delivery: Retry-After in seconds or as an HTTP date, bounded", "[delivery]") {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parseRetryAfter("120", now) == 120s);
  CHECK(parseRetryAfter(" 0 ", now) == 0s);
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:50:07 GMT", now) == 30s);
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now) == 0s);  // in the past: now
  CHECK(parseRetryAfter("99999999999", now) == 86400s);
  CHECK_FALSE(parseRetryAfter("", now));
  CHECK_FALSE(parseRetryAfter("-5", now));
  CHECK_FALSE(parseRetryAfter("soon", now));
  CHECK_FALSE(parseRetryAfter("Sun, 06 Nov 1994 08:50:07", now));
}

TEST_CASE("delivery: backoff doubles from the base up to the cap, half of it random", "[delivery]") {
  CHECK(backoffDelay(1, 250ms, 60s, 0.0) == 125ms);
  CHECK(backoffDelay(1, 250ms, 60s, 1.0) == 250ms);
  CHECK(backoffDelay(2, 250ms, 60s, 1.0) == 500ms);
  CHECK(backoffDelay(5, 250ms, 60s, 1.0) == 4000ms);
  CHECK(backoffDelay(5, 250ms, 60s, 0.5) == 3000ms);
  CHECK(backoffDelay(9, 250ms, 60s, 1.0) == 60000ms);
  CHECK(backoffDelay(1000, 250ms, 60s, 0.0) == 30000ms);
  CHECK(backoffDelay(3, 250ms, 700ms, 1.0) == 700ms);
}

TEST_CASE("delivery: a refused report goes to the dead-letter directory and the next one is delivered",
          "[delivery]") {
  TempDir t;
  auto spool = spoolWith(t, {"a", "b", "c"});
  std::string prefix = "edge/" + spool->spoolId() + "/";
  PostResult refused = answer(422);
  refused.answerHead = "{\"error\":\"unknown schema\"}";
  // 1 transient: retried in order.
  auto d = deliverAll(*spool, {{1, {answer(503, "1"), answer(500)}}, {2, {refused}}}, 100ms);
  // 1 three times (503 with Retry-After: 1 s, then 500, then 200), 2 once, 3 once: in order.
  CHECK(d.keys == std::vector<std::string>{prefix + "1", prefix + "1", prefix + "1", prefix + "2", prefix + "3"});
  CHECK(d.sent == 2);
  CHECK(d.rejected == 1);
  CHECK(d.failed == 3);
  CHECK(spool->counters().rejected == 1);
  std::string dead = t.path + "/spool-dead-letter/00000000000000000002-b-change.json";
  CHECK(slurp(dead) == renderReport(spool->spoolId(), 2));
  CHECK(slurp(dead + ".reason") == "refused by the orchestrator: HTTP 422\n{\"error\":\"unknown schema\"}\n");
}

TEST_CASE("delivery: a 409 is asked again (the same id still in progress there), but one that keeps coming is "
          "given up so the reports after it go on",
          "[delivery]") {
  TempDir t;
  auto spool = spoolWith(t, {"a", "b", "c"});
  std::string prefix = "edge/" + spool->spoolId() + "/";
  auto d = deliverAll(*spool,
                      {{1, {answer(409), answer(409)}},                  // in progress, then done: 200
                       {2, std::vector<PostResult>(50, answer(409))}},  // "exists", for ever
                      20ms);
  CHECK(std::count(d.keys.begin(), d.keys.end(), prefix + "1") == 3);
  CHECK(std::count(d.keys.begin(), d.keys.end(), prefix + "2") == 8);
  CHECK(d.keys.back() == prefix + "3");
  CHECK(d.sent == 2);
  CHECK(d.rejected == 1);
  CHECK(fs::exists(t.path + "/spool-dead-letter/00000000000000000002-b-change.json"));
}

TEST_CASE("delivery: a report gone from the spool since it was named (superseded, evicted) is passed over, not "
          "quarantined",
          "[delivery]") {
  TempDir t;
  auto spool = spoolWith(t, {"a", "b"});
  REQUIRE(std::remove(spool->oldest()->path.c_str()) == 0);  // as coalesce() or the cap would
  auto d = deliverAll(*spool, {}, 100ms);
  CHECK(d.keys == std::vector<std::string>{"edge/" + spool->spoolId() + "/2"});
  CHECK(spool->counters().quarantined == 0);
  CHECK_FALSE(std::filesystem::exists(t.path + "/spool-dead-letter"));
}

TEST_CASE("proxy from the environment: https_proxy, http_proxy, no_proxy, never for loopback", "[delivery]") {
  auto target = *parseUrl("https://orchestrator.example.com/v1");
  auto p = proxyFor(target, {{"https_proxy", "http://proxy.corp:3128"}});
  REQUIRE(p);
  REQUIRE(*p);
  CHECK((*p)->host == "proxy.corp");
  CHECK((*p)->port == 3128);
  p = proxyFor(target, {{"HTTPS_PROXY", "proxy.corp"}});
  CHECK((*p)->port == 1080);
  p = proxyFor(target, {{"https_proxy", "http://u%40x:p%3Aw@10.1.1.1:8080/"}});
  CHECK((*p)->host == "10.1.1.1");
  CHECK((*p)->user == "u@x");
  CHECK((*p)->password == "p:w");
  CHECK_FALSE(*proxyFor(target, {{"http_proxy", "http://proxy.corp:3128"}}));  // not for https
  for (const char* np : {"example.com", ".example.com", "orchestrator.example.com:443", "x, *", "a.b,EXAMPLE.COM"})
    CHECK_FALSE(*proxyFor(target, {{"https_proxy", "http://proxy.corp:3128"}, {"no_proxy", np}}));
  CHECK(*proxyFor(target, {{"https_proxy", "http://proxy.corp:3128"}, {"no_proxy", "ample.com,other.example.com"}}));
  // Entries with no host left once the brackets, the port or the dot are taken off.
  CHECK(*proxyFor(target, {{"https_proxy", "http://proxy.corp:3128"}, {"no_proxy", "[],:80,.,[:443"}}));
  auto loop = *parseUrl("http://127.0.0.1:19480/");
  CHECK_FALSE(*proxyFor(loop, {{"http_proxy", "http://proxy.corp:3128"}}));
  auto plain = *parseUrl("http://o.example/");
  CHECK_FALSE(*proxyFor(plain, {{"HTTP_PROXY", "http://proxy.corp:3128"}}));  // upper case: httpoxy
  CHECK((*proxyFor(plain, {{"http_proxy", "http://proxy.corp:3128"}}))->host == "proxy.corp");
  auto bad = proxyFor(target, {{"https_proxy", "https://proxy.corp:3128"}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error() ==
        "https_proxy 'https://proxy.corp:3128': a proxy reached over https is not supported (use http://)");
}
