// Verdicts for the link layer (carrier, speed, duplex, autoneg, MTU, errors). Pure.
#pragma once

#include <string>
#include <vector>

#include "agent/check/check.h"
#include "config/config.h"
#include "probes/link/link_facts.h"

namespace linkready {

std::vector<CheckResult> evaluateLinkLayer(const config::Link& link, const link::LinkFacts& facts);

// Names among `candidates` that look like `name` (edit distance, shared stem), best first.
std::vector<std::string> similarNames(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace linkready
