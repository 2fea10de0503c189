// The on-wire proof's gathering for the check engine: a few tagged ARP requests and
// neighbour solicitations from our address on every link at once, and what comes back.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "probes/vlan/wire_probe.h"

namespace linkready::vlan {

struct WireJob {
  std::vector<Tag> sentStack;  // the tags as configured, outermost first
  bool skip = false;           // nothing to prove here (the port is missing: the link layer says so)
  std::string notRun;          // non-empty: cannot run, and why
  WireRequest request;         // when neither
};

struct WireGather {
  std::vector<WireFacts> facts;  // one per job, in order
  bool success = true;
};

// Every link's proof at once, none waiting past `deadline`.
WireGather gatherWire(WireProbe& probe, const std::vector<WireJob>& jobs, std::chrono::steady_clock::time_point deadline);

}  // namespace linkready::vlan
