// The check engine: runs the probes listed in one table, hands their facts to the
// evaluators, and assembles the report. Probes do I/O and never judge; evaluators judge
// and never do I/O.
#pragma once

#include <string>
#include <vector>

#include "agent/report.h"
#include "config/config.h"
#include "agent/eval_optics.h"
#include "agent/layer_facts.h"
#include "probes/bgp/bgp_facts.h"
#include "probes/bgp/frr_vty.h"
#include "probes/link/link_facts.h"
#include "probes/link/link_source.h"
#include "probes/optics/optics_reader.h"

namespace linkready {

// Everything the probes found about one link.
struct LinkFactSet {
  OpticsFacts optics;
  link::LinkFacts link;
  WireFacts wire;
  ReachFacts reach;
  std::shared_ptr<const bgp::BgpFacts> bgp;  // one FRR query serves every link
};

// The I/O sources the probes read from. Linux implementations in production, servers of
// captured data in unit tests.
struct Sources {
  link::LinkSource* link = nullptr;
  optics::OpticsReader* optics = nullptr;  // keeps each module's static pages between polls
  vlan::WireProbe* wire = nullptr;   // on-wire proof of the tag stack (libpcap)
  l3::Pinger* pinger = nullptr;      // ICMP echo to the gateway
  bgp::FrrQuery* frr = nullptr;
  std::string procRoot = "/proc";  // where bgpd's /proc/PID/net/netstat is read
};

// The Linux sources for a config, owned.
class LinuxSources {
 public:
  explicit LinuxSources(const config::Config& cfg);
  ~LinuxSources();
  Sources& sources() { return sources_; }

 private:
  std::unique_ptr<link::LinkSource> link_;
  std::unique_ptr<optics::EepromIo> eeprom_;
  std::unique_ptr<optics::OpticsReader> opticsReader_;
  std::unique_ptr<vlan::WireProbe> wire_;
  std::unique_ptr<l3::Pinger> pinger_;
  std::unique_ptr<bgp::FrrQuery> frr_;
  Sources sources_;
};

struct CheckOptions {
  std::vector<std::string> onlyLinks;  // empty = all
  std::vector<Layer> onlyLayers;       // empty = all (`check --watch` asks optics and link only)
};

// Runs every probe for the selected links, evaluates, and returns the report.
// `facts`, when given, receives what the probes found, one entry per report link.
Report runChecks(const config::Config& cfg, Sources& sources, const CheckOptions& options = {},
                 std::vector<LinkFactSet>* facts = nullptr);

// Pure: the verdicts for one link from its facts, finalized (`layers` empty = all).
LinkReport evaluateLinkFacts(const config::Link& link, const LinkFactSet& facts, const std::vector<Layer>& layers = {});

}  // namespace linkready
