// The I/O sources the probes read from: the Linux implementations in production, servers
// of captured data in unit tests.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "probes/bgp/frr_vty.h"
#include "probes/l3/ping.h"
#include "probes/link/link_source.h"
#include "probes/optics/optics_reader.h"
#include "probes/vlan/wire_probe.h"

namespace linkready {

namespace bgp {
struct NeighborMemo;  // probes/bgp/bgp_probe.h
}

struct ProbeSources {
  link::LinkSource* link = nullptr;
  optics::OpticsReader* optics = nullptr;  // keeps each module's static pages between polls
  vlan::WireProbe* wire = nullptr;         // on-wire proof of the tag stack (libpcap)
  l3::Pinger* pinger = nullptr;            // ICMP echo to the gateway
  bgp::FrrQuery* frr = nullptr;
  std::string procRoot = "/proc";          // where bgpd's /proc/PID/net/netstat is read
  bgp::NeighborMemo* bgpMemo = nullptr;    // the agent's, kept between its checks; none: read all
};

// The Linux sources for a config, owned.
class LinuxProbeSources {
 public:
  // sampling: for a sampler asking once a second (the recorder, --soak): sockets kept open.
  explicit LinuxProbeSources(const config::Config& cfg, bool sampling = false);
  ~LinuxProbeSources();
  ProbeSources& sources() { return sources_; }

 private:
  std::unique_ptr<link::LinkSource> link_;
  std::unique_ptr<optics::EepromIo> eeprom_;
  std::unique_ptr<optics::OpticsReader> opticsReader_;
  std::unique_ptr<vlan::WireProbe> wire_;
  std::unique_ptr<l3::Pinger> pinger_;
  std::unique_ptr<bgp::FrrQuery> frr_;
  ProbeSources sources_;
};

}  // namespace linkready
