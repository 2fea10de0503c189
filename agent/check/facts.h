// Everything the probes observed about one configured link, layer by layer: the input of
// the evaluators. Fact types only: no probe's I/O interface is pulled in here.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "probes/bgp/bgp_facts.h"
#include "probes/l3/reach_facts.h"
#include "probes/link/link_facts.h"
#include "probes/optics/module_facts.h"
#include "probes/vlan/wire_facts.h"

namespace linkready {

struct Observation {
  optics::OpticsFacts optics;
  link::LinkFacts link;
  vlan::WireFacts wire;
  l3::ReachFacts reach;
  std::shared_ptr<const bgp::BgpFacts> bgp;  // one FRR query serves every link
  // Set when `wire` and the echoes in `reach` are an earlier check's, not this one's: when
  // they were made (the agent re-proves a steady link only now and then).
  std::optional<std::chrono::system_clock::time_point> proofFrom;
};

}  // namespace linkready
