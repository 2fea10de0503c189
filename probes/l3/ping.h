// Reachability of the Alibaba-side gateway: ICMP echo (a handful, loss and RTT) and a
// 1500-byte don't-fragment echo (Alibaba requires MTU 1500 on the physical layer), over
// IPv4 and IPv6. Raw ICMP sockets: needs CAP_NET_RAW.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "config/ip.h"

namespace linkready::l3 {

struct PingRequest {
  IpAddress target;
  int count = 3;
  std::chrono::milliseconds interval{200};
  std::chrono::milliseconds timeout{1000};  // for the last reply
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

class Pinger {
 public:
  virtual ~Pinger() = default;
  virtual PingResult ping(const PingRequest& request) = 0;
};

std::unique_ptr<Pinger> makeRawSocketPinger();

}  // namespace linkready::l3
