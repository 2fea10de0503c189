#include "agent/daemon/http_client.h"

#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <httplib.h>

extern char** environ;

namespace linkready {

namespace {

std::string envValue(const Environment& env, const char* lower, const char* upper) {
  if (auto it = env.find(lower); it != env.end() && !it->second.empty()) return it->second;
  if (upper)
    if (auto it = env.find(upper); it != env.end() && !it->second.empty()) return it->second;
  return "";
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  return s;
}

// no_proxy: comma-separated host names or addresses; "example.com" and ".example.com" both
// cover example.com and every name under it; "*" covers everything; a ":port" is ignored.
bool bypassed(const Url& target, const std::string& noProxy) {
  size_t start = 0;
  while (start <= noProxy.size()) {
    size_t comma = noProxy.find(',', start);
    std::string entry = trim(noProxy.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? noProxy.size() + 1 : comma + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '[') entry = entry.substr(1, entry.find(']') - 1);
    else if (entry.find(':') == entry.rfind(':') && entry.find(':') != std::string::npos)
      entry = entry.substr(0, entry.find(':'));  // host:port (one colon: not IPv6)
    if (!entry.empty() && entry.front() == '.') entry.erase(entry.begin());
    if (entry.empty()) continue;  // "[]", ":80", ".": no host to compare
    for (auto& c : entry) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (target.host == entry) return true;
    if (target.host.size() > entry.size() && target.host.compare(target.host.size() - entry.size(), entry.size(), entry) == 0 &&
        target.host[target.host.size() - entry.size() - 1] == '.')
      return true;
  }
  return false;
}

// `trusted`: which CAs the TLS verification trusted, for the message of a refused certificate.
std::string describeError(httplib::Error e, const httplib::SSLClient* tls, const std::string& trusted, bool timedOut,
                          std::chrono::milliseconds t) {
  if (timedOut) return "no complete answer within " + std::to_string(t.count()) + " ms";
  switch (e) {
    case httplib::Error::Connection: return "cannot connect (refused, unreachable or no such host)";
    case httplib::Error::ConnectionTimeout: return "connect timed out after " + std::to_string(t.count()) + " ms";
    case httplib::Error::Read: return "the connection closed or timed out before a full answer";
    case httplib::Error::Write: return "the connection closed while sending";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "cannot load the CA certificates";
    case httplib::Error::SSLServerVerification: {
      long v = tls ? tls->get_openssl_verify_result() : X509_V_OK;
      if (v != X509_V_OK)
        return std::string("TLS certificate not trusted: ") + X509_verify_cert_error_string(v) + " (trusted: " + trusted +
               "; a private CA goes in orchestrator.ca_file)";
      return "TLS certificate does not match the host name";
    }
    default: return "HTTP client error " + httplib::to_string(e);
  }
}

// Whether `dir` holds OpenSSL's hash links for certificates (8 hex digits, '.', digits:
// c_rehash and update-ca-certificates make them; a CRL's are named .r0 and do not count).
bool hasHashLinks(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return false;
  bool found = false;
  while (dirent* e = readdir(d)) {
    const char* name = e->d_name;
    size_t n = strlen(name);
    if (n >= 10 && std::strspn(name, "0123456789abcdef") == 8 && name[8] == '.' && std::strspn(name + 9, "0123456789") == n - 9) {
      found = true;
      break;
    }
  }
  closedir(d);
  return found;
}

// The system CA store, as a directory OpenSSL looks a CA up in by its subject's hash while
// it verifies (one or two files read), not as the bundle file it parses whole into each
// TLS context: parsing Debian's bundle (144 CAs) took 35 ms of CPU each time against under
// 3 ms for a whole POST on a new connection (tests/bench/tls-trust). OpenSSL's
// own variables keep their meaning: with SSL_CERT_FILE set, or without a hashed directory,
// OpenSSL's default paths as before (the file SSL_CERT_FILE names and SSL_CERT_DIR).
std::string hashedTrustDirs() {
  if (const char* f = std::getenv(X509_get_default_cert_file_env()); f && *f) return "";
  const char* d = std::getenv(X509_get_default_cert_dir_env());
  std::string dirs = d && *d ? d : X509_get_default_cert_dir();
  size_t start = 0;  // a list separated by ':', as OpenSSL reads it
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    std::string one = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!one.empty() && hasHashLinks(one)) return dirs;
    start = colon == std::string::npos ? dirs.size() + 1 : colon + 1;
  }
  return "";
}

}  // namespace

Environment processEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

tl::expected<std::optional<Proxy>, std::string> proxyFor(const Url& target, const Environment& env) {
  if (target.loopback()) return std::nullopt;
  std::string name = target.https() ? "https_proxy" : "http_proxy";
  std::string value = target.https() ? envValue(env, "https_proxy", "HTTPS_PROXY") : envValue(env, "http_proxy", nullptr);
  if (value.empty()) return std::nullopt;
  if (bypassed(target, envValue(env, "no_proxy", "NO_PROXY"))) return std::nullopt;
  std::string text = value.find("://") == std::string::npos ? "http://" + value : value;
  Proxy p;
  size_t authStart = text.find("://") + 3;
  size_t at = text.find('@', authStart);
  size_t slash = text.find('/', authStart);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    std::string userinfo = text.substr(authStart, at - authStart);
    size_t colon = userinfo.find(':');
    p.user = percentDecode(userinfo.substr(0, colon));
    if (colon != std::string::npos) p.password = percentDecode(userinfo.substr(colon + 1));
    text.erase(authStart, at + 1 - authStart);
  }
  auto u = parseUrl(text);
  if (!u) return tl::unexpected(name + " '" + value + "' is not a usable proxy URL: " + u.error());
  if (u->https()) return tl::unexpected(name + " '" + value + "': a proxy reached over https is not supported (use http://)");
  p.host = u->host;
  p.port = u->portGiven ? u->port : 1080;  // curl's default proxy port
  return p;
}

// Waits until `fd` is ready for `events` or `deadline` passes; false on the deadline.
bool waitReady(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, int(std::min<long>(left, 1000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

// The HTTPS client. cpp-httplib 0.11.4 (Debian 12's) makes the TLS handshake holding the
// lock that its stop() takes, under its per-wait timeout only: a server (or a middlebox)
// that trickles its handshake a byte at a time held the request, and the guard that should
// end it at its deadline, for as long as it liked. So this client keeps a duplicate of each
// connection it opens until the request ends, and cut() shuts that connection down, which
// ends the handshake at once (the duplicate keeps the number from going to another file).
//
// With a proxy, the connection to the origin goes through a CONNECT made here, not by
// cpp-httplib, which waits forever when the proxy refuses the tunnel with "Connection:
// close" or in HTTP/1.0 (it locks a mutex it already holds), sends the proxy's credentials
// on to the origin inside the tunnel with every request, and lets a proxy that trickles its
// answer hold the request past its deadline. Here the credentials go to the proxy only, and
// the connect and the CONNECT share one deadline. TLS, the host name check and the request
// are cpp-httplib's, over the tunnel.
class TlsClient final : public httplib::SSLClient {
 public:
  TlsClient(const Url& origin, std::optional<Proxy> proxy, std::chrono::milliseconds timeout)
      : httplib::SSLClient(origin.host, origin.port),
        origin_(origin.hostForUrl() + ":" + std::to_string(origin.port)),
        proxy_(std::move(proxy)),
        timeout_(timeout) {}
  ~TlsClient() override { release(); }

  // Why the last tunnel was not made ("the proxy 10.0.0.9:3128 refused the tunnel to ...");
  // empty when it was, when there is no proxy, or when the failure was cpp-httplib's.
  const std::string& tunnelError() const { return tunnelError_; }

  // From the request's guard at its deadline: ends whatever the connection opened for the
  // request is doing, the TLS handshake included.
  void cut() {
    std::lock_guard<std::mutex> lock(heldMutex_);
    if (held_ >= 0) ::shutdown(held_, SHUT_RDWR);
  }
  // When the request is over (its guard gone): the duplicate is closed, and the connection
  // is cpp-httplib's alone again (kept for the next request, or closed).
  void release() {
    std::lock_guard<std::mutex> lock(heldMutex_);
    if (held_ >= 0) ::close(held_);
    held_ = -1;
  }

 private:
  // Called by cpp-httplib (with its socket mutex held) whenever it needs a new connection;
  // the TLS handshake follows.
  bool create_and_connect_socket(Socket& socket, httplib::Error& error) override {
    bool made = proxy_ ? tunnel(socket, error) : direct(socket, error);
    if (made) {
      std::lock_guard<std::mutex> lock(heldMutex_);
      if (held_ >= 0) ::close(held_);
      held_ = fcntl(socket.sock, F_DUPFD_CLOEXEC, 0);
    }
    return made;
  }

  // What cpp-httplib's SSLClient does itself without a proxy.
  bool direct(Socket& socket, httplib::Error& error) {
    if (!is_valid()) {
      error = httplib::Error::SSLConnection;
      return false;
    }
    return httplib::ClientImpl::create_and_connect_socket(socket, error);
  }

  bool tunnel(Socket& socket, httplib::Error& error) {
    tunnelError_.clear();
    if (!is_valid()) {
      error = httplib::Error::SSLConnection;
      return false;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::string where = "the proxy " + proxy_->host + ":" + std::to_string(proxy_->port);
    int fd = connectProxy(deadline, where);
    if (fd < 0) {
      error = httplib::Error::Connection;
      return false;
    }
    std::string ask = "CONNECT " + origin_ + " HTTP/1.1\r\nHost: " + origin_ + "\r\n";
    if (!proxy_->user.empty()) {
      std::string pair = proxy_->user + ":" + proxy_->password;
      std::string b64(4 * ((pair.size() + 2) / 3) + 1, '\0');
      int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                              reinterpret_cast<const unsigned char*>(pair.data()), int(pair.size()));
      b64.resize(size_t(std::max(n, 0)));
      ask += "Proxy-Authorization: Basic " + b64 + "\r\n";
    }
    ask += "\r\n";
    std::string head;
    bool sent = sendAll(fd, ask, deadline);
    bool answered = sent && readHead(fd, head, deadline);
    if (!answered) {
      ::close(fd);
      tunnelError_ = where + (sent ? " did not answer the CONNECT to " : " closed the connection at the CONNECT to ") +
                     origin_ + (std::chrono::steady_clock::now() >= deadline
                                    ? " within " + std::to_string(timeout_.count()) + " ms"
                                    : "");
      error = std::chrono::steady_clock::now() >= deadline ? httplib::Error::ConnectionTimeout : httplib::Error::Read;
      return false;
    }
    std::string status = head.substr(0, head.find("\r\n"));
    int code = status.size() >= 12 && status.compare(0, 7, "HTTP/1.") == 0 ? std::atoi(status.c_str() + 9) : 0;
    if (code < 200 || code > 299) {
      ::close(fd);
      tunnelError_ = where + " refused the tunnel to " + origin_ + ": " + status.substr(0, 120);
      if (code == 407)
        tunnelError_ += proxy_->user.empty() ? " (https_proxy names no user and password)"
                                             : " (check the user and password in https_proxy)";
      error = httplib::Error::Connection;
      return false;
    }
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // cpp-httplib expects a blocking socket
    socket.sock = fd;
    return true;
  }

  int connectProxy(std::chrono::steady_clock::time_point deadline, const std::string& where) {
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (int rc = getaddrinfo(proxy_->host.c_str(), std::to_string(proxy_->port).c_str(), &hints, &res); rc != 0) {
      tunnelError_ = "cannot resolve " + where + ": " + gai_strerror(rc);
      return -1;
    }
    int fd = -1;
    int left = 0;
    for (addrinfo* a = res; a; a = a->ai_next) ++left;
    for (addrinfo* a = res; a && fd < 0; a = a->ai_next, --left) {
      // Each address its share of what is left: one that drops the SYN must not leave the
      // next (an A after a dead AAAA) no time at all.
      auto share = std::chrono::steady_clock::now() + (deadline - std::chrono::steady_clock::now()) / std::max(left, 1);
      fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) continue;
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
      int err = rc == 0 ? 0 : errno;
      if (err == EINPROGRESS) {
        socklen_t len = sizeof err;
        err = waitReady(fd, POLLOUT, share) && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 ? err : ETIMEDOUT;
      }
      if (err != 0) {
        tunnelError_ = "cannot connect to " + where + ": " + strerror(err);
        ::close(fd);
        fd = -1;
      }
    }
    freeaddrinfo(res);
    if (fd >= 0) tunnelError_.clear();
    return fd;
  }

  static bool sendAll(int fd, const std::string& data, std::chrono::steady_clock::time_point deadline) {
    size_t done = 0;
    while (done < data.size()) {
      if (!waitReady(fd, POLLOUT, deadline)) return false;
      ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return false;
      done += size_t(n);
    }
    return true;
  }

  // The proxy's answer up to the empty line, and not a byte more: what follows a 200 is the
  // origin's TLS. Peeks, then takes exactly the head.
  static bool readHead(int fd, std::string& head, std::chrono::steady_clock::time_point deadline) {
    char buf[4096];
    while (head.size() < 16384) {
      if (!waitReady(fd, POLLIN, deadline)) return false;
      ssize_t n = ::recv(fd, buf, sizeof buf, MSG_PEEK);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return false;
      std::string seen = head + std::string(buf, size_t(n));
      size_t end = seen.find("\r\n\r\n");
      size_t take = end == std::string::npos ? size_t(n) : end + 4 - head.size();
      n = ::recv(fd, buf, take, 0);
      if (n <= 0) return false;
      head.append(buf, size_t(n));
      if (end != std::string::npos) return true;
    }
    return false;
  }

  std::string origin_;
  std::optional<Proxy> proxy_;
  std::chrono::milliseconds timeout_;
  std::string tunnelError_;
  std::mutex heldMutex_;
  int held_ = -1;  // a duplicate of the connection opened for the request under way
};

// One client for one origin, kept between requests. The client (and its TLS context) is
// built again when the URL, CA file or deadline of a request differs from the last one.
struct HttpSession::Impl {
  bool keepAlive;
  std::string url, caFile, path;
  std::chrono::milliseconds timeout{0};
  std::unique_ptr<httplib::ClientImpl> client;
  TlsClient* tls = nullptr;  // set for https (through a proxy or not)
  std::string trusted;
  std::chrono::steady_clock::time_point lastAnswer;

  // Builds the client for `request`, or says why it cannot.
  std::string prepare(const HttpRequest& request) {
    if (client && request.url == url && request.caFile == caFile && request.timeout == timeout) return "";
    client.reset();
    tls = nullptr;
    trusted.clear();
    auto u = parseUrl(request.url);
    if (!u) return "'" + request.url + "' is not a usable URL: " + u.error();
    auto proxy = proxyFor(*u, processEnvironment());
    if (!proxy) return proxy.error();
    if (u->https()) {
      auto c = std::make_unique<TlsClient>(*u, *proxy ? std::optional<Proxy>(**proxy) : std::nullopt, request.timeout);
      static const std::string systemDirs = hashedTrustDirs();  // the environment is read once
      if (!request.caFile.empty()) {
        c->set_ca_cert_path(request.caFile.c_str());
        trusted = "the CAs in " + request.caFile;
      } else if (!systemDirs.empty()) {
        c->set_ca_cert_path("", systemDirs);
        trusted = "the system CA store in " + systemDirs + ", by hash";
      } else {
        trusted = "OpenSSL's default CA paths";
      }
      c->enable_server_certificate_verification(true);  // the chain and the host name
      tls = c.get();
      client = std::move(c);
    } else {
      client = std::make_unique<httplib::ClientImpl>(u->host, u->port);
    }
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(request.timeout);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(request.timeout - seconds);
    client->set_connection_timeout(seconds.count(), micros.count());
    client->set_read_timeout(seconds.count(), micros.count());
    client->set_write_timeout(seconds.count(), micros.count());
    client->set_tcp_nodelay(true);  // headers and body go in two writes: no Nagle wait between them
    client->set_keep_alive(keepAlive);
    if (*proxy && !tls) {  // plain http through the proxy (the https tunnel is TlsClient's)
      client->set_proxy((*proxy)->host.c_str(), (*proxy)->port);
      if (!(*proxy)->user.empty()) client->set_proxy_basic_auth((*proxy)->user.c_str(), (*proxy)->password.c_str());
    }
    url = request.url, caFile = request.caFile, timeout = request.timeout;
    path = u->path;
    return "";
  }

  // One attempt. `reused`: it went out on a connection opened by an earlier request.
  HttpResponse once(const HttpRequest& request, bool& reused) {
    HttpResponse out;
    reused = client->is_socket_open() != 0;
    httplib::Headers headers;
    for (const auto& [k, v] : request.headers) headers.emplace(k, v);
    headers.emplace("User-Agent", "linkready-agent");
    // The read timeout bounds each wait, not the exchange: a receiver that trickles its
    // answer is cut off at the deadline from here.
    std::mutex m;
    std::condition_variable cv;
    bool done = false, timedOut = false;
    auto start = std::chrono::steady_clock::now();
    std::thread guard([&] {
      std::unique_lock<std::mutex> lock(m);
      if (!cv.wait_for(lock, request.timeout, [&] { return done; })) {
        timedOut = true;
        if (tls) tls->cut();  // first: a handshake under way holds the lock stop() takes
        client->stop();
      }
    });
    httplib::Result res = request.method == "POST"
                              ? client->Post(path.c_str(), headers, request.body, request.contentType.c_str())
                              : client->Get(path.c_str(), headers);
    {
      std::lock_guard<std::mutex> lock(m);
      done = true;
    }
    cv.notify_all();
    guard.join();
    if (tls) tls->release();
    if (!res) {
      // cpp-httplib's own read timeout, as long as the deadline, may fire before the guard
      // does: a failure at the deadline is a timeout all the same (and is not sent again).
      if (std::chrono::steady_clock::now() - start >= request.timeout) timedOut = true;
      out.error = tls && !tls->tunnelError().empty() ? tls->tunnelError()
                                                            : describeError(res.error(), tls, trusted, timedOut, request.timeout);
      if (timedOut) out.status = -1;  // marks a timeout for exchange(): not tried again
      return out;
    }
    out.status = res->status;
    out.body = res->body;
    for (const auto& [k, v] : res->headers) {
      std::string key = k;
      for (auto& c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
      out.headers[key] = v;
    }
    return out;
  }
};

HttpSession::HttpSession(bool keepAlive) : impl_(std::make_unique<Impl>()) { impl_->keepAlive = keepAlive; }
HttpSession::~HttpSession() = default;

HttpResponse HttpSession::exchange(const HttpRequest& request) {
  Impl& s = *impl_;
  if (std::string error = s.prepare(request); !error.empty()) {
    HttpResponse out;
    out.error = error;
    return out;
  }
  if (s.client->is_socket_open()) {
    // Nothing is due on an idle HTTP/1.1 connection: anything readable is the server's
    // close (FIN, RST, or TLS close_notify, which cpp-httplib's own check takes for data).
    pollfd p{s.client->socket(), POLLIN, 0};
    bool closed = poll(&p, 1, 0) != 0;
    // One idle for long is closed rather than trusted: a NAT or a firewall on the way may
    // have forgotten it without a word, and a request sent into it would wait the deadline.
    if (closed || std::chrono::steady_clock::now() - s.lastAnswer > kIdleReuse) s.client->stop();
  }
  bool reused = false;
  HttpResponse out = s.once(request, reused);
  // The server closed a kept connection just as the request went out (its idle timeout):
  // sent once more on a new connection, when repeating it is harmless.
  bool repeatable = request.method == "GET" || request.headers.count("Idempotency-Key");
  if (out.status == 0 && reused && repeatable) {
    s.client->stop();
    out = s.once(request, reused);
  }
  if (out.status == -1) out.status = 0;
  if (out.status > 0) s.lastAnswer = std::chrono::steady_clock::now();
  return out;
}

HttpResponse httpExchange(const HttpRequest& request) { return HttpSession(false).exchange(request); }

}  // namespace linkready
