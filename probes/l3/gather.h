// Reachability's gathering for the check engine: echoes to each link's gateway (small,
// then 1500 bytes with DF), then the neighbour table the echoes filled.
#pragma once

#include <optional>
#include <vector>

#include "probes/l3/ping.h"
#include "probes/link/link_source.h"

namespace linkready::l3 {

struct ReachJob {
  bool skip = false;  // the port is missing (the link layer says so)
  std::optional<IpAddress> gateway4, gateway6;
};

struct ReachGather {
  std::vector<ReachFacts> facts;  // one per job, in order
  bool success = true;
};

// `neighbors` may be null (no neighbour table read).
ReachGather gatherReach(Pinger& pinger, link::LinkSource* neighbors, const std::vector<ReachJob>& jobs);

}  // namespace linkready::l3
