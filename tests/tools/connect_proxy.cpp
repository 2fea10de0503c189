// A tiny HTTP CONNECT proxy for the agent's tests (what https_proxy names in a data centre):
// it tunnels CONNECT HOST:PORT to HOST, resolved through the NAME=ADDRESS pairs given
// (a name only the proxy knows proves the agent went through it), and logs each tunnel.
// With --auth USER:PASSWORD it answers 407 to a CONNECT without those credentials (Basic).
//
//   linkready_test_proxy PORT LOG [--auth USER:PASSWORD] [NAME=ADDRESS ...]
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>

namespace {

std::map<std::string, std::string> names;
std::string logPath;
std::string wantAuth;  // "Proxy-Authorization: Basic ..." line expected, empty: none

std::string base64(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    if (i + 2 < in.size()) v |= uint8_t(in[i + 2]);
    out += a[v >> 18 & 63];
    out += a[v >> 12 & 63];
    out += i + 1 < in.size() ? a[v >> 6 & 63] : '=';
    out += i + 2 < in.size() ? a[v & 63] : '=';
  }
  return out;
}

int connectTo(const std::string& host, const std::string& port) {
  std::string address = names.count(host) ? names[host] : host;
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(address.c_str(), port.c_str(), &hints, &res) != 0) return -1;
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

void tunnel(int client) {
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192 && recv(client, &c, 1, 0) == 1) head += c;
  std::string line = head.substr(0, head.find("\r\n"));
  if (!wantAuth.empty() && head.find("\r\n" + wantAuth + "\r\n") == std::string::npos) {
    std::ofstream(logPath, std::ios::app) << line << " -> 407\n";
    // With "Connection: close", as tinyproxy and others refuse (cpp-httplib 0.11.4's own
    // CONNECT hung for good on that answer; the agent makes its CONNECT itself).
    std::string r = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"lab\"\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n";
    send(client, r.data(), r.size(), MSG_NOSIGNAL);
    close(client);
    return;
  }
  std::string target = line.rfind("CONNECT ", 0) == 0 ? line.substr(8, line.find(' ', 8) - 8) : "";
  size_t colon = target.rfind(':');
  int upstream = colon == std::string::npos ? -1 : connectTo(target.substr(0, colon), target.substr(colon + 1));
  std::ofstream(logPath, std::ios::app) << line << (upstream >= 0 ? " -> tunnel" : " -> 502") << "\n";
  if (upstream < 0) {
    std::string r = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
    send(client, r.data(), r.size(), MSG_NOSIGNAL);
    close(client);
    return;
  }
  std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
  send(client, ok.data(), ok.size(), MSG_NOSIGNAL);
  pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  char buf[16384];
  for (bool open = true; open && poll(fds, 2, 30000) > 0;) {
    for (int i = 0; i < 2 && open; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = recv(fds[i].fd, buf, sizeof buf, 0);
      open = n > 0 && send(fds[1 - i].fd, buf, size_t(n), MSG_NOSIGNAL) == n;
    }
  }
  close(upstream);
  close(client);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT LOG [--auth USER:PASSWORD] [NAME=ADDRESS ...]\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  logPath = argv[2];
  for (int i = 3; i < argc; ++i) {
    std::string kv = argv[i];
    if (kv == "--auth" && i + 1 < argc) {
      wantAuth = "Proxy-Authorization: Basic " + base64(argv[++i]);
      continue;
    }
    if (size_t eq = kv.find('='); eq != std::string::npos) names[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(std::stoi(argv[1])));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 16) != 0) {
    std::perror("proxy: bind/listen");
    return 1;
  }
  for (;;) {
    int c = accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    if (c >= 0) std::thread(tunnel, c).detach();
  }
}
