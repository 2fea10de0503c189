// Verdicts for the IP layer: the customer-side address and mask on the right device, the
// gateway resolved and answering, 1500-byte packets through. IPv4 and IPv6. Pure.
#pragma once

#include <vector>

#include "agent/check/check.h"
#include "probes/l3/reach_facts.h"
#include "config/config.h"
#include "probes/link/link_facts.h"

namespace linkready {

std::vector<CheckResult> evaluateIp(const config::Link& link, const link::LinkFacts& facts, const l3::ReachFacts& reach);

}  // namespace linkready
