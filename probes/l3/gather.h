// Reachability's gathering for the check engine: echoes to every link's gateway at once
// (small, and 1500 bytes with DF), then the neighbour table the echoes filled.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "probes/l3/ping.h"
#include "probes/link/link_source.h"

namespace linkready::l3 {

struct ReachJob {
  bool skip = false;  // the port is missing (the link layer says so)
  std::optional<IpAddress> gateway4, gateway6;
  bool echo = true;  // false: no echoes (the caller has recent ones); the neighbour entries only
};

struct ReachGather {
  std::vector<ReachFacts> facts;  // one per job, in order
  bool success = true;
};

// Every gateway's echoes in flight together, none waiting past `deadline`.
// `neighbors` may be null (no neighbour table read).
ReachGather gatherReach(Pinger& pinger, link::LinkSource* neighbors, const std::vector<ReachJob>& jobs,
                        std::chrono::steady_clock::time_point deadline);

}  // namespace linkready::l3
