// IEEE 802.3 optical power limits per PMD (per lane for multi-lane PMDs), and the names
// under which providers order them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "probes/optics/module_facts.h"

namespace linkready {

struct PmdLimits {
  const char* pmd;        // "10GBASE-LR"
  optics::Media media;
  uint32_t speedMbps;
  double txMinDbm, txMaxDbm, rxMinDbm, rxMaxDbm;
  std::optional<double> damageDbm;
  bool verified;          // false: values not re-checked against the standard text (see README)
};

// "10GBase-LR" (Alibaba PortType), "10GBASE_LR" (Equinix), "40GBase-LR" (= 40GBASE-LR4)
// -> the IEEE PMD name; the input upper-cased when unknown.
std::string normalizePortType(std::string_view ordered);

const PmdLimits* ieeeLimits(std::string_view pmd);

}  // namespace linkready
