#include "probes/vlan/gather.h"

namespace linkready::vlan {

WireGather gatherWire(WireProbe& probe, const std::vector<WireJob>& jobs) {
  WireGather out;
  for (const WireJob& job : jobs) {
    WireFacts w;
    w.sentStack = job.sentStack;
    if (!job.skip && !job.notRun.empty()) w.notRun = job.notRun;
    if (!job.skip && job.notRun.empty()) {
      w.result = probe.probe(job.request);
      w.ran = true;
      out.success = out.success && w.result.error.empty();
    }
    out.facts.push_back(std::move(w));
  }
  return out;
}

}  // namespace linkready::vlan
