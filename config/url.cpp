#include "config/url.h"

#include <algorithm>
#include <charconv>
#include <cctype>

#include "config/net/ip.h"

namespace linkready {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 3986 reg-name, narrowed to what DNS names use: letters, digits, '-' and '.' in labels
// that are neither empty nor start or end with '-'; one final dot allowed.
bool validHostName(std::string_view h) {
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);  // an absolute name: "o.example."
  if (h.empty() || h.size() > 253) return false;
  size_t start = 0;
  for (;;) {
    size_t dot = h.find('.', start);
    std::string_view label = h.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

tl::unexpected<std::string> fail(std::string why) { return tl::unexpected<std::string>(std::move(why)); }

bool allDigitsAndDots(std::string_view h) {
  return std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

}  // namespace

bool Url::loopback() const {
  if (host == "localhost") return true;
  auto ip = IpAddress::parse(host);
  if (!ip) return false;
  if (ip->isV4()) return ip->bytes[0] == 127;
  static const IpAddress kV6Loopback = *IpAddress::parse("::1");
  return *ip == kV6Loopback;
}

tl::expected<Url, std::string> parseUrl(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return fail("it holds a space, a control or a non-ASCII character");
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return fail("it has no scheme (https://...)");
  Url u;
  u.scheme = lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return fail("the scheme is not http or https");
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return fail("it has a fragment ('#')");
  size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  std::string_view path = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (authority.find('@') != std::string_view::npos)
    return fail("it has a user name or password before '@' (userinfo is not allowed)");
  if (authority.find('%') != std::string_view::npos) return fail("the host is percent-encoded");
  std::string_view hostPart = authority, portPart;
  bool hasPort = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address without its closing ']'");
    hostPart = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("something other than ':PORT' after the IPv6 address");
      hasPort = true;
      portPart = after.substr(1);
    }
    auto ip = IpAddress::parse(hostPart);
    if (!ip || !ip->isV6()) return fail("'" + std::string(hostPart) + "' is not an IPv6 address");
    u.host = ip->toString();
  } else {
    if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
      hostPart = authority.substr(0, colon);
      hasPort = true;
      portPart = authority.substr(colon + 1);
    }
    if (hostPart.empty()) return fail("it has no host");
    if (allDigitsAndDots(hostPart)) {  // all digits: an IPv4 literal in its one strict form
      auto ip = IpAddress::parse(hostPart);
      if (!ip || !ip->isV4()) return fail("'" + std::string(hostPart) + "' is not an IPv4 address");
      u.host = ip->toString();
    } else {
      if (!validHostName(hostPart)) return fail("'" + std::string(hostPart) + "' is not a valid host name");
      u.host = lower(hostPart);
    }
  }
  if (hasPort) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(portPart.data(), portPart.data() + portPart.size(), port);
    if (portPart.empty() || ec != std::errc() || p != portPart.data() + portPart.size() || port == 0 || port > 65535)
      return fail("the port '" + std::string(portPart) + "' is not a number from 1 to 65535");
    u.port = uint16_t(port);
    u.portGiven = true;
  } else {
    u.port = u.https() ? 443 : 80;
  }
  u.path = path.empty() ? "/" : path.front() == '?' ? "/" + std::string(path) : std::string(path);
  return u;
}

std::string percentDecode(std::string_view s) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  auto value = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) && hex(s[i + 2])) {
      out.push_back(char(value(s[i + 1]) * 16 + value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace linkready
