// The HTTP client against servers on loopback that misbehave in ways a real network can:
// what it must not do is wait past the request's deadline.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "agent/daemon/http_client.h"

using namespace linkready;
using namespace std::chrono_literals;

namespace {

// A TLS server that never finishes its handshake: it announces a 16 KiB handshake record
// and sends it a byte every 200 ms, each byte well within the client's wait for the next
// one (as a middlebox that trickles, or a server under attack, can). It gives up after 20 s.
class TrickleServer {
 public:
  TrickleServer() {
    listen_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(listen_, 4) == 0);
    REQUIRE(getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TrickleServer() {
    stop_ = true;
    thread_.join();
    close(listen_);
  }
  uint16_t port = 0;

 private:
  void serve() {
    pollfd p{listen_, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    int c = accept(listen_, nullptr, nullptr);
    if (c < 0) return;
    const unsigned char record[] = {0x16, 0x03, 0x03, 0x40, 0x00};  // handshake, TLS 1.2, 16384 bytes
    bool ok = send(c, record, sizeof record, MSG_NOSIGNAL) == sizeof record;
    auto end = std::chrono::steady_clock::now() + 20s;
    while (ok && !stop_ && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(200ms);
      char drain[4096];
      while (recv(c, drain, sizeof drain, MSG_DONTWAIT) > 0) {
      }
      ok = send(c, "\x02", 1, MSG_NOSIGNAL) == 1;
    }
    close(c);
  }
  int listen_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("http client: a server that trickles its TLS handshake is cut off at the request's deadline",
          "[delivery][http]") {
  // As in the agent (daemon.cpp): OpenSSL writes to a connection that was shut down without
  // MSG_NOSIGNAL.
  auto before = signal(SIGPIPE, SIG_IGN);
  TrickleServer server;
  HttpRequest rq;
  rq.method = "POST";
  rq.url = "https://127.0.0.1:" + std::to_string(server.port) + "/v1/readiness";
  rq.body = "{}";
  rq.contentType = "application/json";
  rq.timeout = 1000ms;
  auto start = std::chrono::steady_clock::now();
  HttpSession session(true);
  HttpResponse r = session.exchange(rq);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.status == 0);
  CHECK(r.error == "no complete answer within 1000 ms");
  // Before: cpp-httplib held the handshake (and the lock its stop() needs) for as long as
  // the bytes kept coming, here the server's 20 s.
  CHECK(took < 5s);
  signal(SIGPIPE, before);
}
