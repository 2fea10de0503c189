// A strict parser for the orchestrator's URL (and proxy URLs): scheme, host, port, path,
// nothing clever. Refuses what a prefix test would let through: userinfo
// ("http://localhost@evil.example/"), hosts that only start like a loopback name
// ("http://localhost.evil.example/", "http://127.0.0.1.nip.io/"), fragments, spaces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace linkready {

struct Url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // a name in lower case, an IPv4 literal, or an IPv6 literal without brackets
  uint16_t port = 0;   // the explicit port, or 80/443 from the scheme
  bool portGiven = false;
  std::string path;    // "/..." with the query, if any; "/" when empty

  bool https() const { return scheme == "https"; }
  bool ipv6Literal() const { return host.find(':') != std::string::npos; }
  // The host as it goes into a URL or a Host header: IPv6 literals in brackets.
  std::string hostForUrl() const { return ipv6Literal() ? "[" + host + "]" : host; }
  // A loopback address literal (127.0.0.0/8, ::1) or exactly "localhost".
  bool loopback() const;
};

// "http://HOST[:PORT][/PATH[?QUERY]]" or https; the error says what is wrong, for a person.
tl::expected<Url, std::string> parseUrl(std::string_view text);

// %XX escapes as URLs write them ("u%40x" -> "u@x"); a '%' not followed by two hex digits
// stays as it is. Never throws.
std::string percentDecode(std::string_view s);

}  // namespace linkready
