// A real HTTP receiver for the agent's tests, standing in for the orchestrator: a small
// HTTP/1.1 server (plain, or TLS with --tls) on a TCP port of 127.0.0.1 that behaves like a
// strict idempotent API: it stores a report (headers and body, one JSON line) once per
// Idempotency-Key and answers a repeat 200 without storing it; and it misbehaves on demand.
// Connections are kept between requests (keep-alive, a thread each) until the client asks
// to close, or until idle for --idle seconds (default 75, as nginx's keepalive_timeout).
//
//   linkready_test_receiver [--tls CERT KEY] [--idle S] PORT OUT.jsonl [MODE]
//   MODE: ok (202, 200 for a repeat), 500, slow (answers after 3 s), reset (RST, no answer),
//         429 or 503 (with Retry-After: 2), close (ok, but each connection closed after its
//         answer, as a server without keep-alive), stale (ok for a connection's first request;
//         a second one on it is closed unanswered, as by a server whose idle timeout ends the
//         connection just as the request comes)
// While running:
//   POST /control/MODE             changes the mode
//   POST /control/refuse/REPORT-ID answers that report 400 (with a JSON error) from now on
// Every request's outcome is also appended to OUT.jsonl.log (one line: key, status, and the
// number of the connection it came on, counted from 1).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace {

std::mutex mutex;  // guards what follows, and the files written
std::string mode = "ok";
std::set<std::string> stored, refused;
int idleSeconds = 75;

// One accepted connection, plain or TLS.
struct Conn {
  int fd = -1;
  SSL* ssl = nullptr;
  ssize_t recv(char* buf, size_t n) { return ssl ? SSL_read(ssl, buf, int(n)) : ::recv(fd, buf, n, 0); }
  void send(const std::string& s) {
    if (ssl) SSL_write(ssl, s.data(), int(s.size()));
    else ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
  }
  void close() {
    if (ssl) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    ::close(fd);
  }
};

// The next request on the connection; false when the client closed it, or sent nothing for
// idleSeconds (then the server closes it).
bool readRequest(Conn& c, std::string& head, std::string& body) {
  std::string buf;
  char tmp[8192];
  size_t headerEnd = std::string::npos;
  pollfd p{c.fd, POLLIN, 0};
  if ((!c.ssl || SSL_pending(c.ssl) == 0) && poll(&p, 1, idleSeconds * 1000) != 1) return false;
  while (headerEnd == std::string::npos) {
    ssize_t n = c.recv(tmp, sizeof tmp);
    if (n <= 0) return false;
    buf.append(tmp, size_t(n));
    headerEnd = buf.find("\r\n\r\n");
  }
  head = buf.substr(0, headerEnd);
  body = buf.substr(headerEnd + 4);
  size_t length = 0;
  std::string lower = head;
  for (auto& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (size_t p = lower.find("content-length:"); p != std::string::npos) length = std::stoul(head.substr(p + 15));
  while (body.size() < length) {
    ssize_t n = c.recv(tmp, sizeof tmp);
    if (n <= 0) return false;
    body.append(tmp, size_t(n));
  }
  return true;
}

std::string header(const std::string& head, const std::string& name) {
  std::string lower = head, key = name + ":";
  for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
  size_t p = lower.find("\r\n" + key);
  if (p == std::string::npos) return "";
  size_t start = p + 2 + key.size();
  size_t end = head.find("\r\n", start);
  std::string v = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  return v;
}

void answer(Conn& c, bool keep, int status, const std::string& text, const std::string& extra = "",
            const std::string& body = "") {
  c.send("HTTP/1.1 " + std::to_string(status) + " " + text + "\r\n" + extra + "Content-Length: " +
         std::to_string(body.size()) + "\r\nConnection: " + (keep ? "keep-alive" : "close") + "\r\n\r\n" + body);
}

void note(const std::string& out, const std::string& key, int status, int connection) {
  std::ofstream(out + ".log", std::ios::app)
      << nlohmann::json{{"idempotency_key", key}, {"status", status}, {"connection", connection}}.dump() << "\n";
}

// One connection: its requests in turn until either side closes it.
void serve(Conn c, SSL_CTX* tls, int id, std::string out) {
  int served = 0;
  if (tls) {
    c.ssl = SSL_new(tls);
    SSL_set_fd(c.ssl, c.fd);
    if (SSL_accept(c.ssl) != 1) {  // a client that did not trust us, or a port scan
      std::fprintf(stderr, "receiver: TLS handshake failed\n");
      SSL_free(c.ssl);
      ::close(c.fd);
      return;
    }
  }
  for (;;) {
    std::string head, body;
    if (!readRequest(c, head, body)) break;
    std::string lowerHead = head;
    for (auto& ch : lowerHead) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    std::unique_lock<std::mutex> lock(mutex);
    bool keep = mode != "close" && lowerHead.find("\r\nconnection: close") == std::string::npos;
    std::string requestLine = head.substr(0, head.find("\r\n"));
    if (requestLine.rfind("POST /control/refuse/", 0) == 0) {
      std::string id = requestLine.substr(21, requestLine.find(' ', 21) - 21);
      refused.insert(id);
      std::fprintf(stderr, "receiver: refusing %s\n", id.c_str());
      answer(c, keep, 200, "OK");
      if (!keep) break;
      continue;
    }
    if (requestLine.rfind("POST /control/", 0) == 0) {
      mode = requestLine.substr(14, requestLine.find(' ', 14) - 14);
      std::fprintf(stderr, "receiver: mode %s\n", mode.c_str());
      answer(c, keep, 200, "OK");
      if (!keep) break;
      continue;
    }
    std::string key = header(head, "Idempotency-Key");
    if (mode == "stale" && served > 0) {  // closed, unanswered
      note(out, key, 0, id);
      break;
    }
    ++served;
    if (mode == "reset") {  // no answer: RST
      linger l{1, 0};
      setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      if (c.ssl) SSL_free(c.ssl);
      ::close(c.fd);
      note(out, key, 0, id);
      return;
    }
    int status = 202;
    std::string text = "Accepted", extra, answerBody;
    if (mode == "500") status = 500, text = "Internal Server Error";
    else if (mode == "429") status = 429, text = "Too Many Requests", extra = "Retry-After: 2\r\n";
    else if (mode == "503") status = 503, text = "Service Unavailable", extra = "Retry-After: 2\r\n";
    else if (refused.count(key))
      status = 400, text = "Bad Request", extra = "Content-Type: application/json\r\n",
      answerBody = "{\"error\":\"report " + key + " does not match the schema this orchestrator knows\"}";
    else if (!key.empty() && stored.count(key)) status = 200, text = "OK";  // a repeat: not stored again
    if (status == 202 && mode == "slow") {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::seconds(3));
      lock.lock();
    }
    // A repeat that came on another connection meanwhile (the client gave up on a slow answer).
    if (status == 202 && !key.empty() && stored.count(key)) status = 200, text = "OK";
    if (status == 202) {
      // Record what was accepted, then answer: a report counts once it is on disk.
      nlohmann::json rec = {
          {"received_at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count()},
          {"request", requestLine},
          {"authorization", header(head, "Authorization")},
          {"proxy_authorization", header(head, "Proxy-Authorization")},  // must never reach the origin
          {"idempotency_key", key},
          {"content_type", header(head, "Content-Type")},
          {"body", nlohmann::json::parse(body, nullptr, false)},
      };
      std::ofstream(out, std::ios::app) << rec.dump() << "\n";
      if (!key.empty()) stored.insert(key);
    }
    note(out, key, status, id);
    answer(c, keep, status, text, extra, answerBody);
    if (!keep) break;
  }
  c.close();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string cert, key;
  if (args.size() >= 3 && args[0] == "--tls") {
    cert = args[1], key = args[2];
    args.erase(args.begin(), args.begin() + 3);
  }
  if (args.size() >= 2 && args[0] == "--idle") {
    idleSeconds = std::stoi(args[1]);
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.size() < 2) {
    std::fprintf(stderr, "usage: %s [--tls CERT KEY] [--idle S] PORT OUT.jsonl [ok|500|slow|reset|429|503|close]\n",
                 argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int port = std::stoi(args[0]);
  std::string out = args[1];
  if (args.size() > 2) mode = args[2];
  SSL_CTX* tls = nullptr;
  if (!cert.empty()) {
    tls = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(tls, cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      std::fprintf(stderr, "receiver: cannot load %s / %s\n", cert.c_str(), key.c_str());
      return 1;
    }
  }
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 16) != 0) {
    std::perror("receiver: bind/listen");
    return 1;
  }
  std::fprintf(stderr, "receiver: listening on 127.0.0.1:%d%s, mode %s\n", port, tls ? " (TLS)" : "", mode.c_str());
  for (;;) {
    Conn c;
    c.fd = accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    if (c.fd < 0) continue;
    static int connections = 0;
    std::thread(serve, c, tls, ++connections, out).detach();
  }
}