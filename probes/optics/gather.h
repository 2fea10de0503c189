// The optics probe's gathering for the check engine: the module of each port that has
// one, through the reader that keeps static pages between polls.
#pragma once

#include <string>
#include <vector>

#include "probes/optics/module_facts.h"
#include "probes/optics/optics_reader.h"

namespace linkready::optics {

struct OpticsRequest {
  std::string interface;
  std::string notApplicableWhy;  // non-empty: no module to read here (said in the report)
};

struct OpticsGather {
  std::vector<OpticsFacts> facts;  // one per request, in order
  bool success = true;             // every module asked could be read
};

OpticsGather gatherOptics(OpticsReader& reader, const std::vector<OpticsRequest>& requests);

}  // namespace linkready::optics
