// The link probe's gathering for the check engine: one rtnetlink dump for every
// interface asked, then the ethtool link modes of each that exists.
#pragma once

#include <string>
#include <vector>

#include "probes/link/link_source.h"

namespace linkready::link {

struct LinkGather {
  std::vector<LinkFacts> facts;  // one per interface asked, in order
  bool success = true;           // the dump itself worked
};

LinkGather gatherLinks(LinkSource& source, const std::vector<std::string>& interfaces);

// Software interfaces (veth, bridge, VLAN devices, tunnels...): no cage, no module.
bool isVirtualKind(const std::string& kind);

}  // namespace linkready::link
