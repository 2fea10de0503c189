// The I/O interface behind the link probe: rtnetlink and ethtool netlink.
// The Linux implementation is link_source_linux.cpp; tests may serve captured facts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "probes/link/link_facts.h"

namespace linkready::link {

class LinkSource {
 public:
  virtual ~LinkSource() = default;
  // Every interface of the current network namespace.
  virtual tl::expected<std::vector<InterfaceFacts>, std::string> interfaces() = 0;
  // The same without addresses and bus addresses: what a sampler of carrier and counters
  // needs, once a second. The Linux source dumps the links at its first read and then
  // follows rtnetlink's link events, reading only the counters (RTM_GETSTATS) each time.
  virtual tl::expected<std::vector<InterfaceFacts>, std::string> counters() { return interfaces(); }
  virtual tl::expected<LinkModes, std::string> linkModes(const std::string& ifname) = 0;
  // FEC block counters; an error when the driver has none (veth, most 1G/10G NICs).
  virtual tl::expected<FecStats, std::string> fecStats(const std::string& ifname) {
    return tl::unexpected("no FEC statistics from " + ifname);
  }
  // The neighbour table (ARP and ND) of the current namespace.
  virtual tl::expected<std::vector<NeighborEntry>, std::string> neighbors() { return std::vector<NeighborEntry>{}; }
};

std::unique_ptr<LinkSource> makeLinuxLinkSource();

// Facts for one interface out of a dump (pure). `all` keeps only the devices that matter to
// this link: the port, the VLAN devices stacked on it (four deep), and any interface
// holding one of `addresses` (our address on the wrong device is a finding). The names of
// the others are kept only when the port is missing ("did you mean"). A copy of the whole
// dump per link would cost N x N at hundreds of links.
LinkFacts factsFor(const std::string& ifname, const tl::expected<std::vector<InterfaceFacts>, std::string>& dump,
                   const std::vector<IpAddress>& addresses = {});

}  // namespace linkready::link
