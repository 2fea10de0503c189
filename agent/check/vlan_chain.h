// Which devices carry a link's traffic in the kernel: the physical port and the VLAN
// devices stacked on it as the config says, or the mismatch that breaks the chain. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "probes/link/link_facts.h"
#include "probes/vlan/frame.h"

namespace linkready {

struct VlanChain {
  std::vector<const link::InterfaceFacts*> devices;  // physical port first, innermost last
  bool complete = false;    // every device the config asks for exists with the right tag
  std::string mismatch;     // what was found instead ("eth1.101 has VLAN 101, the VBR says 100")
  std::string fix;          // the command that builds what is missing
  const link::InterfaceFacts* innermost() const { return devices.empty() ? nullptr : devices.back(); }
};

VlanChain findVlanChain(const config::Link& link, const link::LinkFacts& facts);

// The stack the config asks for on the wire, outermost first (empty: untagged, or
// terminated outside the kernel).
std::vector<vlan::Tag> configuredStack(const config::Vlan& v);

std::string tpidText(uint16_t tpid);  // "0x88a8"
std::string expectedStackText(const config::Vlan& v);  // "VLAN 100 (0x8100)", "S-VLAN 200 (0x88a8) + C-VLAN 300"

}  // namespace linkready
