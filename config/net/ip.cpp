#include "config/net/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace linkready {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

std::string IpAddress::toString() const {
  if (family == 0) return "";
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::isV4() const { return family == AF_INET; }
bool IpAddress::isV6() const { return family == AF_INET6; }

std::optional<int> maskToLength(std::string_view dottedMask) {
  auto m = IpAddress::parse(dottedMask);
  if (!m || !m->isV4()) return std::nullopt;
  uint32_t v = (uint32_t(m->bytes[0]) << 24) | (uint32_t(m->bytes[1]) << 16) |
               (uint32_t(m->bytes[2]) << 8) | m->bytes[3];
  int len = 0;
  while (len < 32 && (v & (0x80000000u >> len))) ++len;
  uint32_t expect = len == 0 ? 0 : ~uint32_t(0) << (32 - len);
  if (v != expect) return std::nullopt;
  return len;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  std::string_view lenText = text.substr(slash + 1);
  int len = -1;
  if (lenText.find('.') != std::string_view::npos) {
    if (!addr->isV4()) return std::nullopt;
    auto l = maskToLength(lenText);
    if (!l) return std::nullopt;
    len = *l;
  } else {
    auto [p, ec] = std::from_chars(lenText.data(), lenText.data() + lenText.size(), len);
    if (ec != std::errc() || p != lenText.data() + lenText.size()) return std::nullopt;
  }
  int max = addr->isV4() ? 32 : 128;
  if (len < 0 || len > max) return std::nullopt;
  return IpPrefix{*addr, len};
}

std::string IpPrefix::toString() const {
  return address.toString() + "/" + std::to_string(length);
}

bool IpPrefix::contains(const IpAddress& a) const {
  if (a.family != address.family) return false;
  int full = length / 8, rest = length % 8;
  if (std::memcmp(a.bytes.data(), address.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = uint8_t(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (address.bytes[full] & mask);
}

}  // namespace linkready
