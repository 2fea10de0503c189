// What the reachability probe asks and finds: echoes to the gateway (small, and 1500 bytes
// with DF), and the neighbour table they filled. Plain data, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/net/ip.h"
#include "probes/link/link_facts.h"

namespace linkready::l3 {

struct PingRequest {
  IpAddress target;
  int count = 5;
  std::chrono::milliseconds interval{20};   // Alibaba asks not to rate-limit its own health-check echoes
  std::chrono::milliseconds timeout{1000};  // for the last reply (the check's deadline may cut it)
  size_t packetSize = 64;                   // the whole IP packet, header included
  bool dontFragment = false;
};

struct PingResult {
  std::string error;  // could not run (permission, no route, local MTU too small, ...)
  bool permissionDenied = false;
  bool localMtuTooSmall = false;  // EMSGSIZE on send: our own MTU is below the packet size
  int sent = 0, received = 0;
  double minRttMs = 0, avgRttMs = 0, maxRttMs = 0;
};

// One link's reachability facts as the check engine keeps them.
struct ReachFacts {
  bool ran = false;
  std::string notRun;
  PingResult ping4, big4, ping6, big6;
  bool ran6 = false;
  std::vector<link::NeighborEntry> neighbors;  // the gateways' entries
  std::string neighborsError;
};

}  // namespace linkready::l3
