// Verdicts for the VLAN layer: the tag stack configured in the kernel against the VBR,
// and the on-wire proof that the far end answers on that stack. Pure.
#pragma once

#include <vector>

#include "agent/check/check.h"
#include "probes/vlan/wire_facts.h"
#include "config/config.h"
#include "probes/link/link_facts.h"

namespace linkready {

std::vector<CheckResult> evaluateVlan(const config::Link& link, const link::LinkFacts& facts, const vlan::WireFacts& wire);

}  // namespace linkready
