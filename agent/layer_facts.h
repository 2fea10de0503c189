// The facts of the VLAN and IP layers that are not rtnetlink's (those are in the link
// facts): what the wire answered, and whether the gateway is reachable.
#pragma once

#include <string>
#include <vector>

#include "probes/l3/ping.h"
#include "probes/link/link_facts.h"
#include "probes/vlan/wire_probe.h"

namespace linkready {

struct WireFacts {
  bool ran = false;
  std::string notRun;                 // why the on-wire proof did not run
  std::vector<vlan::Tag> sentStack;   // what we tagged our frames with
  vlan::WireResult result;
};

struct ReachFacts {
  bool ran = false;
  std::string notRun;
  l3::PingResult ping4, big4, ping6, big6;
  bool ran6 = false;
  std::vector<link::NeighborEntry> neighbors;
  std::string neighborsError;
};

}  // namespace linkready
