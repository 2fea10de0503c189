// The agent's HTTP client (cpp-httplib with OpenSSL; see README "Delivery"): one request
// with a connect timeout and a total deadline, TLS verified against the system CA store or
// a given CA file (chain and host name), through the proxy the environment names
// (https_proxy, http_proxy, no_proxy) like curl and wget do.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "config/url.h"

namespace linkready {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string contentType;
  std::string caFile;  // empty: the system CA store
  std::chrono::milliseconds timeout{5000};  // connect timeout, and the deadline of the whole exchange
};

struct HttpResponse {
  int status = 0;  // 0: no HTTP answer at all (error says why)
  std::string error;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

struct Proxy {
  std::string host;
  uint16_t port = 0;
  std::string user, password;  // basic auth, from http://user:pass@host:port
};

// Which proxy the environment names for `target`: https_proxy (or HTTPS_PROXY) for https,
// http_proxy for http (lower case only, as curl: HTTP_PROXY can be set by a CGI request),
// none when no_proxy (or NO_PROXY) lists the host, a parent domain of it, or "*", and
// none for a loopback target. An error for a proxy URL we cannot use.
using Environment = std::map<std::string, std::string>;
tl::expected<std::optional<Proxy>, std::string> proxyFor(const Url& target, const Environment& env);
Environment processEnvironment();

// An HTTP client that keeps its connection between requests to the same URL (HTTP/1.1
// keep-alive): delivery posts a report per link and event, 64 at once at a heartbeat of 64
// links, and a new TLS connection for each cost more CPU than the agent's whole check
// (tests/bench/agent-footprint). A connection the server closed is seen before the next
// request and replaced; one idle for longer than kIdleReuse is closed, not trusted; a
// request that fails on a kept connection without an answer and can be repeated (GET, or an
// Idempotency-Key) is sent once more on a new one, with a deadline of its own. Not
// thread-safe: one user at a time.
class HttpSession {
 public:
  // As curl's default (CURLOPT_MAXAGE_CONN, 118 s): longer than the default heartbeat, so a
  // server that keeps idle connections a minute or more (nginx: 75 s) sees one connection.
  static constexpr std::chrono::seconds kIdleReuse{118};
  explicit HttpSession(bool keepAlive = true);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;
  HttpResponse exchange(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One request on a connection of its own, closed after it ("Connection: close").
HttpResponse httpExchange(const HttpRequest& request);

}  // namespace linkready
