// A real HTTP receiver for the agent's tests, standing in for the orchestrator: a small
// HTTP/1.1 server on a TCP port that records every POST (headers and body) as a JSON
// line, and misbehaves on demand.
//
//   linkready_test_receiver PORT OUT.jsonl [MODE]
//   MODE: ok (200), 500, slow (answers after 3 s), reset (closes with RST, no answer)
// The mode can be changed while running: POST /control/MODE.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace {

std::string mode = "ok";

bool readRequest(int fd, std::string& head, std::string& body) {
  std::string buf;
  char tmp[8192];
  size_t headerEnd = std::string::npos;
  while (headerEnd == std::string::npos) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, size_t(n));
    headerEnd = buf.find("\r\n\r\n");
  }
  head = buf.substr(0, headerEnd);
  body = buf.substr(headerEnd + 4);
  size_t length = 0;
  std::string lower = head;
  for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (size_t p = lower.find("content-length:"); p != std::string::npos) length = std::stoul(head.substr(p + 15));
  while (body.size() < length) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
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

void answer(int fd, int status, const std::string& text) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " " + text + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  send(fd, r.data(), r.size(), MSG_NOSIGNAL);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT OUT.jsonl [ok|500|slow|reset]\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int port = std::stoi(argv[1]);
  std::string out = argv[2];
  if (argc > 3) mode = argv[3];
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
  std::fprintf(stderr, "receiver: listening on 127.0.0.1:%d, mode %s\n", port, mode.c_str());
  for (;;) {
    int c = accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::string head, body;
    if (!readRequest(c, head, body)) {
      close(c);
      continue;
    }
    std::string requestLine = head.substr(0, head.find("\r\n"));
    if (requestLine.rfind("POST /control/", 0) == 0) {
      mode = requestLine.substr(14, requestLine.find(' ', 14) - 14);
      std::fprintf(stderr, "receiver: mode %s\n", mode.c_str());
      answer(c, 200, "OK");
      close(c);
      continue;
    }
    if (mode == "reset") {  // no answer: RST
      linger l{1, 0};
      setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      close(c);
      continue;
    }
    if (mode == "500") {
      answer(c, 500, "Internal Server Error");
      close(c);
      continue;
    }
    if (mode == "slow") std::this_thread::sleep_for(std::chrono::seconds(3));
    // Record what was accepted, then answer: a report counts once it is on disk.
    nlohmann::json rec = {
        {"received_at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count()},
        {"request", requestLine},
        {"authorization", header(head, "Authorization")},
        {"idempotency_key", header(head, "Idempotency-Key")},
        {"content_type", header(head, "Content-Type")},
        {"body", nlohmann::json::parse(body, nullptr, false)},
    };
    {
      std::ofstream f(out, std::ios::app);
      f << rec.dump() << "\n";
    }
    answer(c, mode == "slow" ? 200 : 202, "Accepted");
    close(c);
  }
}
