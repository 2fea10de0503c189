// Facts about a network interface as rtnetlink and ethtool netlink report them.
// No verdicts here: see agent/eval_link.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
};

// ETHTOOL_MSG_LINKMODES_GET; each field absent when the driver does not say.
struct LinkModes {
  std::optional<uint32_t> speedMbps;
  std::optional<bool> fullDuplex;
  std::optional<bool> autoneg;
};

struct LinkFacts {
  std::string probeError;                 // the probe could not run at all (netlink refused)
  std::optional<InterfaceFacts> iface;    // nullopt: no such interface
  std::vector<std::string> otherInterfaces;  // every interface name seen, for "did you mean"
  LinkModes modes;
  std::string modesError;                 // why speed/duplex/autoneg are unknown, if they are
};

}  // namespace linkready::link
