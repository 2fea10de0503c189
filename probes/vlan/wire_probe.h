// The on-wire proof of the tag stack: send ARP requests and neighbour solicitations for
// the Alibaba-side gateway on the physical port, tagged exactly as configured, and listen
// (libpcap, BPF filter) for the answers and for whatever the far end sends meanwhile.
// Bounded: a few frames sent, a short wait, a cap on frames read.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/vlan/frame.h"

namespace linkready::vlan {

struct WireRequest {
  std::string interface;  // the physical port
  Mac ourMac{};
  std::vector<Tag> tags;  // outermost first, as configured
  std::optional<IpAddress> ourIp4, gateway4, ourIp6, gateway6;
  int sends = 3;                                  // per address family, 300 ms apart, until answered
  std::chrono::milliseconds wait{2000};           // at most, after the first send
  size_t maxFrames = 5000;                        // never read more than this
};

struct WireResult {
  std::string error;   // the probe could not run
  bool permissionDenied = false;
  int framesSent = 0;
  int framesSeen = 0;
  double seconds = 0;
  std::optional<std::vector<Tag>> arpAnswerStack;  // the tags the ARP reply carried
  std::string gatewayMac;
  std::optional<std::vector<Tag>> ndAnswerStack;
  std::map<std::string, int> farEndStacks;  // frames from other MACs, by tag stack
  std::map<std::string, std::string> farEndArpSenders;  // far-end IPv4 addresses seen (ARP, IP) -> tag stack
};

class WireProbe {
 public:
  virtual ~WireProbe() = default;
  virtual WireResult probe(const WireRequest& request) = 0;
};

std::unique_ptr<WireProbe> makePcapWireProbe();

// Pure: folds one captured frame into the result (answers, far-end stacks).
void accountFrame(const WireRequest& request, const Frame& frame, WireResult& result);

// The BPF filter the probe captures with. `vlan` comes last: in libpcap it shifts the
// offsets of every test after it.
inline constexpr const char* kWireFilter = "arp or (ip6 and icmp6) or vlan";

}  // namespace linkready::vlan
