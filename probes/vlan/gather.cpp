#include "probes/vlan/gather.h"

namespace linkready::vlan {

WireGather gatherWire(WireProbe& probe, const std::vector<WireJob>& jobs, std::chrono::steady_clock::time_point deadline) {
  WireGather out;
  std::vector<WireRequest> requests;
  for (const WireJob& job : jobs)
    if (!job.skip && job.notRun.empty()) requests.push_back(job.request);
  std::vector<WireResult> results;
  if (!requests.empty()) results = probe.probeAll(requests, deadline);
  size_t k = 0;
  for (const WireJob& job : jobs) {
    WireFacts w;
    w.sentStack = job.sentStack;
    if (!job.skip && !job.notRun.empty()) w.notRun = job.notRun;
    if (!job.skip && job.notRun.empty()) {
      w.result = std::move(results[k++]);
      w.ran = true;
      out.success = out.success && w.result.error.empty();
    }
    out.facts.push_back(std::move(w));
  }
  return out;
}

}  // namespace linkready::vlan
