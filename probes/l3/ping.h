// Reachability of the Alibaba-side gateway: ICMP echo (a handful, loss and RTT) and a
// 1500-byte don't-fragment echo (Alibaba requires MTU 1500 on the physical layer), over
// IPv4 and IPv6. Raw ICMP sockets: needs CAP_NET_RAW.
#pragma once

#include <memory>

#include "probes/l3/reach_facts.h"

namespace linkready::l3 {

class Pinger {
 public:
  virtual ~Pinger() = default;
  virtual PingResult ping(const PingRequest& request) = 0;
};

std::unique_ptr<Pinger> makeRawSocketPinger();

}  // namespace linkready::l3
