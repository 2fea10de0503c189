// The orchestrator URL: parsed, not prefix-tested. Plain http only to a loopback address
// literal or exactly "localhost"; userinfo refused (issue 12 item 5).
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config/url.h"

using linkready::parseUrl;

namespace {

std::string configError(const std::string& url) {
  auto r = linkready::config::fromString("orchestrator: {url: '" + url + "'}\nlinks: [{name: p, interface: eth1}]\n",
                                         "t.yaml");
  if (r) return "no error";
  return r.error().front().toString();
}

}  // namespace

TEST_CASE("URL parts: scheme, host, port and path", "[url]") {
  auto u = parseUrl("HTTPS://Orchestrator.Example:8443/v1/readiness?x=1");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "orchestrator.example");
  CHECK(u->port == 8443);
  CHECK(u->path == "/v1/readiness?x=1");
  CHECK_FALSE(u->loopback());

  auto v6 = parseUrl("http://[0:0:0:0:0:0:0:1]:19480");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->hostForUrl() == "[::1]");
  CHECK(v6->port == 19480);
  CHECK(v6->path == "/");
  CHECK(v6->loopback());

  CHECK(parseUrl("https://o.example")->port == 443);
  CHECK(parseUrl("http://127.0.0.1")->port == 80);
  CHECK(parseUrl("http://127.9.8.7/x")->loopback());
  CHECK(parseUrl("http://LOCALHOST:1/")->loopback());
}

TEST_CASE("URL: what a prefix test let through is not loopback, or not a URL", "[url]") {
  auto userinfo = parseUrl("http://localhost@evil.example/");
  REQUIRE_FALSE(userinfo);
  CHECK(userinfo.error() == "it has a user name or password before '@' (userinfo is not allowed)");
  auto suffix = parseUrl("http://localhost.evil.example/");
  REQUIRE(suffix);
  CHECK(suffix->host == "localhost.evil.example");
  CHECK_FALSE(suffix->loopback());
  auto nip = parseUrl("http://127.0.0.1.nip.io/");
  REQUIRE(nip);
  CHECK_FALSE(nip->loopback());
  CHECK_FALSE(parseUrl("http://localhost./")->loopback());
  CHECK_FALSE(parseUrl("http://[::2]/")->loopback());
  CHECK_FALSE(parseUrl("http://[::ffff:127.0.0.1]/")->loopback());
}

TEST_CASE("URL: malformed ones are refused with the reason", "[url]") {
  CHECK(parseUrl("ftp://o.example/").error() == "the scheme is not http or https");
  CHECK(parseUrl("o.example/x").error() == "it has no scheme (https://...)");
  CHECK(parseUrl("https://o.example/x#frag").error() == "it has a fragment ('#')");
  CHECK(parseUrl("https://o.example:0/").error() == "the port '0' is not a number from 1 to 65535");
  CHECK(parseUrl("https://o.example:65536/").error() == "the port '65536' is not a number from 1 to 65535");
  CHECK(parseUrl("https://o.example:/").error() == "the port '' is not a number from 1 to 65535");
  CHECK(parseUrl("https://o.example:80x/").error() == "the port '80x' is not a number from 1 to 65535");
  CHECK(parseUrl("https:///x").error() == "it has no host");
  CHECK(parseUrl("https://o example/").error() == "it holds a space, a control or a non-ASCII character");
  CHECK(parseUrl("http://127.1/").error() == "'127.1' is not an IPv4 address");
  CHECK(parseUrl("http://127.0.0.01/").error() == "'127.0.0.01' is not an IPv4 address");
  CHECK(parseUrl("http://%6cocalhost/").error() == "the host is percent-encoded");
  CHECK(parseUrl("http://[::1/").error() == "an IPv6 address without its closing ']'");
  CHECK(parseUrl("http://[127.0.0.1]/").error() == "'127.0.0.1' is not an IPv6 address");
  CHECK(parseUrl("http://[::1]x/").error() == "something other than ':PORT' after the IPv6 address");
  CHECK(parseUrl("https://-bad.example/").error() == "'-bad.example' is not a valid host name");
  CHECK(parseUrl("https://a..example/").error() == "'a..example' is not a valid host name");
  CHECK(parseUrl("https://a_b.example/").error() == "'a_b.example' is not a valid host name");
}

TEST_CASE("config: the token goes in clear only to this host", "[url][config]") {
  CHECK(configError("http://127.0.0.1:19480/v1/readiness") == "no error");
  CHECK(configError("http://[::1]:19480/") == "no error");
  CHECK(configError("http://localhost:19480/") == "no error");
  CHECK(configError("https://localhost.evil.example/") == "no error");
  CHECK(configError("http://localhost@evil.example/") ==
        "t.yaml:1:21: orchestrator.url: 'http://localhost@evil.example/' is not a usable URL: it has a user name or "
        "password before '@' (userinfo is not allowed)");
  CHECK(configError("https://user:pw@o.example/") ==
        "t.yaml:1:21: orchestrator.url: 'https://user:pw@o.example/' is not a usable URL: it has a user name or "
        "password before '@' (userinfo is not allowed)");
  for (const char* bad : {"http://localhost.evil.example/", "http://127.0.0.1.nip.io/", "http://localhost./"})
    CHECK(configError(bad) == "t.yaml:1:21: orchestrator.url: '" + std::string(bad) +
                                  "' is not https:// (plain http is allowed to a loopback address only)");
}

TEST_CASE("percent-decoding as URLs write it: %XX in either case, a stray '%' kept", "[url]") {
  CHECK(linkready::percentDecode("u%40x:p%3aw") == "u@x:p:w");
  CHECK(linkready::percentDecode("%E4%B8%8A-1") == "\xe4\xb8\x8a-1");
  CHECK(linkready::percentDecode("100%") == "100%");
  CHECK(linkready::percentDecode("%zz%4") == "%zz%4");
}
