// The on-wire proof of the tag stack: send ARP requests and neighbour solicitations for
// the Alibaba-side gateway on the physical port, tagged exactly as configured, and listen
// (libpcap, BPF filter) for the answers and for whatever the far end sends meanwhile.
// Bounded: a few frames sent, a short wait, a cap on frames read; all links together.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "probes/vlan/wire_facts.h"

namespace linkready::vlan {

class WireProbe {
 public:
  virtual ~WireProbe() = default;
  // Every link's proof at once; one result per request, in order. Nothing waits past
  // `deadline` (nor past a request's own `wait`); a link that cannot be probed gets its
  // error without holding up the others.
  virtual std::vector<WireResult> probeAll(const std::vector<WireRequest>& requests,
                                           std::chrono::steady_clock::time_point deadline) = 0;
};

std::unique_ptr<WireProbe> makePcapWireProbe();

// The BPF filter the probe captures with: ARP, ICMPv6 (neighbour discovery) and the far
// end's BGP and BFD (who it speaks as: a far end that has our MAC sends no ARP, but BFD
// every second), untagged or under one or two tags. Nothing else: on a busy
// trunk every tagged data frame would otherwise fill the ring and the frame cap before the
// gateway's answer. Each `vlan` shifts, in libpcap, the offsets of every test after it, so
// the tagged alternatives come last and nest (the outer tag may be in the frame or, as
// the kernel keeps it, in the packet's metadata: libpcap's first `vlan` handles both).
#define LINKREADY_WIRE_FRAMES "(arp or (ip6 and icmp6) or (ip and (tcp port 179 or udp port 3784 or udp port 4784)))"
inline constexpr const char* kWireFilter =
    LINKREADY_WIRE_FRAMES " or (vlan and (" LINKREADY_WIRE_FRAMES " or (vlan and " LINKREADY_WIRE_FRAMES ")))";
#undef LINKREADY_WIRE_FRAMES

}  // namespace linkready::vlan
