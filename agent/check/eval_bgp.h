// Verdicts for the BGP layer: the FRR session(s) of a link against the config. Pure.
#pragma once

#include <vector>

#include "agent/check/check.h"
#include "config/config.h"
#include "probes/bgp/bgp_facts.h"

namespace linkready {

// `directLink`: the peer lies in the link's own prefix (BFD must then be single-hop).
std::vector<CheckResult> evaluateBgp(const config::Link& link, const bgp::BgpFacts& facts);

}  // namespace linkready
