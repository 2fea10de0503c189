#include "probes/optics/gather.h"

namespace linkready::optics {

OpticsGather gatherOptics(OpticsReader& reader, const std::vector<OpticsRequest>& requests) {
  OpticsGather out;
  for (const OpticsRequest& rq : requests) {
    OpticsFacts f;
    f.probed = true;
    if (!rq.notApplicableWhy.empty()) {
      f.applicable = false;
      f.notApplicableWhy = rq.notApplicableWhy;
    } else {
      f.module = reader.poll(rq.interface).facts;
      out.success = out.success && f.module.readError.empty();
    }
    out.facts.push_back(std::move(f));
  }
  return out;
}

}  // namespace linkready::optics
