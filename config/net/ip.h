// IPv4/IPv6 addresses and prefixes as the config and the probes speak of them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linkready {

struct IpAddress {
  int family = 0;  // AF_INET or AF_INET6; 0 = unset
  std::array<uint8_t, 16> bytes{};

  static std::optional<IpAddress> parse(std::string_view text);
  std::string toString() const;
  bool isV4() const;
  bool isV6() const;
  size_t size() const { return isV4() ? 4 : 16; }
  bool operator==(const IpAddress& o) const = default;
};

struct IpPrefix {
  IpAddress address;   // the interface address as written (host bits kept)
  int length = 0;

  // "10.0.0.2/30" or "2001:db8::2/126"; also "10.0.0.2/255.255.255.252" (dotted mask).
  static std::optional<IpPrefix> parse(std::string_view text);
  std::string toString() const;
  bool contains(const IpAddress& a) const;
  bool operator==(const IpPrefix& o) const = default;
};

// 255.255.255.252 -> 30; nullopt for a non-contiguous mask.
std::optional<int> maskToLength(std::string_view dottedMask);

}  // namespace linkready
