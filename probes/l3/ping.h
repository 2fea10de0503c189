// Reachability of the Alibaba-side gateways: ICMP echo (a few dozen, loss and RTT) and
// 1500-byte don't-fragment echoes (Alibaba requires MTU 1500 on the physical layer), over
// IPv4 and IPv6, to every gateway at once under one deadline. Raw ICMP sockets: needs
// CAP_NET_RAW.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "probes/l3/reach_facts.h"

namespace linkready::l3 {

class Pinger {
 public:
  virtual ~Pinger() = default;
  // All requests in flight together; one result per request, in order. Nothing waits past
  // `deadline`: echoes not answered by then count as lost; none is sent at or after it
  // (a request cut short there has sent < count, none at all: sent == 0 without an error).
  virtual std::vector<PingResult> pingAll(const std::vector<PingRequest>& requests,
                                          std::chrono::steady_clock::time_point deadline) = 0;
};

// keepSockets: the two raw sockets stay open between calls (the recorder's echo a second);
// otherwise each call opens its own and closes them (a check every interval: sockets kept
// open would queue every other echo reply in the namespace until the next call).
std::unique_ptr<Pinger> makeRawSocketPinger(bool keepSockets = false);

}  // namespace linkready::l3
