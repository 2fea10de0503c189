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

struct LinkJob {
  std::string interface;
  std::vector<IpAddress> addresses;  // ours on this link: where they are held is a fact too
};

LinkGather gatherLinks(LinkSource& source, const std::vector<LinkJob>& jobs);

// Software interfaces (veth, bridge, VLAN devices, tunnels...): no cage, no module.
bool isVirtualKind(const std::string& kind);

}  // namespace linkready::link
