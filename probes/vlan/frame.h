// Ethernet frames with 802.1Q / 802.1ad / 0x9100 tag stacks, carrying ARP or IPv6
// neighbour discovery: the encoder of our probes and the decoder of what comes back.
// Pure: bytes in, struct out; no I/O, no throwing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/net/ip.h"

namespace linkready::vlan {

using Mac = std::array<uint8_t, 6>;

std::optional<Mac> parseMac(const std::string& text);  // "aa:bb:cc:dd:ee:ff"
std::string macText(const Mac& mac);

struct Tag {
  uint16_t tpid = 0x8100;
  uint16_t vid = 0;
  uint8_t pcp = 0;
  bool operator==(const Tag&) const = default;
};

// The same TPIDs and VLAN ids, outermost first: the priority bits aside (a far end may mark
// its ARP or ND answers as network control, PCP 6 or 7, on the right VLAN).
bool sameStack(const std::vector<Tag>& a, const std::vector<Tag>& b);

// "0x88a8/200 0x8100/300"; "untagged" for none.
std::string stackText(const std::vector<Tag>& tags);
bool isTagTpid(uint16_t ethertype);  // 0x8100, 0x88a8, 0x9100, 0x9200

struct Arp {
  uint16_t op = 0;  // 1 request, 2 reply
  Mac senderMac{};
  IpAddress senderIp;
  Mac targetMac{};
  IpAddress targetIp;
};

struct NeighborDiscovery {
  uint8_t type = 0;  // 135 solicitation, 136 advertisement
  IpAddress source, destination, target;
  std::optional<Mac> linkLayerAddress;  // source (NS) or target (NA) link-layer option
};

struct Frame {
  Mac destination{}, source{};
  std::vector<Tag> tags;  // outermost first
  uint16_t ethertype = 0;
  std::optional<Arp> arp;
  std::optional<NeighborDiscovery> nd;
  std::optional<IpAddress> ipv4Source;  // any IPv4 packet's source address
};

std::optional<Frame> decodeFrame(const uint8_t* data, size_t size);

std::vector<uint8_t> encodeArpRequest(const Mac& source, const IpAddress& sourceIp, const IpAddress& target,
                                      const std::vector<Tag>& tags);
std::vector<uint8_t> encodeArpReply(const Mac& source, const IpAddress& sourceIp, const Mac& target,
                                    const IpAddress& targetIp, const std::vector<Tag>& tags);
// To the target's solicited-node multicast address, with our link-layer address option.
std::vector<uint8_t> encodeNeighborSolicitation(const Mac& source, const IpAddress& sourceIp,
                                                const IpAddress& target, const std::vector<Tag>& tags);

}  // namespace linkready::vlan
