// The agent's HTTP client (cpp-httplib with OpenSSL; see README "Delivery"): one request
// with a connect timeout and a total deadline, TLS verified against the system CA store or
// a given CA file (chain and host name), through the proxy the environment names
// (https_proxy, http_proxy, no_proxy) like curl and wget do.
#pragma once

#include <chrono>
#include <map>
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

HttpResponse httpExchange(const HttpRequest& request);

}  // namespace linkready
