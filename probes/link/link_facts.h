// Facts about a network interface as rtnetlink and ethtool netlink report them.
// No verdicts here: see agent/eval_link.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/net/ip.h"

namespace linkready::link {

struct InterfaceFacts {
  std::string name;
  int ifindex = 0;
  int parentIfindex = 0;      // IFLA_LINK: the lower device of a VLAN/veth, 0 if none
  std::string kind;           // IFLA_INFO_KIND: "veth", "vlan", "" for a physical NIC
  bool adminUp = false;       // IFF_UP
  std::string operState;      // "up", "down", "lowerlayerdown", "unknown", ...
  bool carrier = false;       // IFF_LOWER_UP
  uint32_t carrierChanges = 0;
  uint32_t mtu = 0;
  uint64_t rxPackets = 0, txPackets = 0;
  uint64_t rxErrors = 0, txErrors = 0, rxCrcErrors = 0, rxFrameErrors = 0;
  uint64_t rxDropped = 0, txDropped = 0;
  std::string mac;                  // "aa:bb:cc:dd:ee:ff"
  std::string busInfo;              // PCI function of a physical port ("0000:3b:00.1"); empty when none
  std::optional<uint16_t> vlanId;   // a VLAN device: its tag
  uint16_t vlanProtocol = 0;        // and its TPID (0x8100 802.1Q, 0x88a8 802.1ad)
  std::vector<IpPrefix> addresses;  // IPv4 and IPv6 (link-local included)
};

// One entry of the kernel's neighbour table (ARP / ND).
struct NeighborEntry {
  int ifindex = 0;
  IpAddress address;
  std::string mac;
  std::string state;  // "REACHABLE", "STALE", "INCOMPLETE", "FAILED", ...
  bool resolved() const { return state != "INCOMPLETE" && state != "FAILED" && !mac.empty(); }
};

// ETHTOOL_MSG_LINKMODES_GET; each field absent when the driver does not say.
struct LinkModes {
  std::optional<uint32_t> speedMbps;
  std::optional<bool> fullDuplex;
  std::optional<bool> autoneg;
};

// ETHTOOL_MSG_FEC_GET with statistics: blocks since the driver started counting (totals
// over the lanes).
struct FecStats {
  std::optional<uint64_t> corrected, uncorrectable;
};

// The error counters at two moments: link.errors judges what rose between them, never the
// count since boot.
struct ErrorCounters {
  uint64_t rxErrors = 0, txErrors = 0, rxCrcErrors = 0, rxFrameErrors = 0;
};
ErrorCounters errorCountersOf(const InterfaceFacts& i);

struct CounterWindow {
  ErrorCounters first, last;
  double seconds = 0;
};

struct LinkFacts {
  std::string probeError;                 // the probe could not run at all (netlink refused)
  std::optional<InterfaceFacts> iface;    // nullopt: no such interface
  std::vector<std::string> otherInterfaces;  // when iface is missing: every name seen, for "did you mean"
  std::vector<InterfaceFacts> all;           // the port, what is stacked on it, holders of our addresses
  LinkModes modes;
  std::string modesError;                 // why speed/duplex/autoneg are unknown, if they are
  std::optional<CounterWindow> counters;  // nullopt: one reading only (nothing to judge a rise by)
};

}  // namespace linkready::link
