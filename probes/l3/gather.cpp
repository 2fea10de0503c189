#include "probes/l3/gather.h"

namespace linkready::l3 {

namespace {

// A handful of small echoes, then (unless ICMP is refused) two 1500-byte echoes with DF.
void echoPair(Pinger& pinger, const IpAddress& gateway, PingResult& small, PingResult& big) {
  PingRequest rq;
  rq.target = gateway;
  small = pinger.ping(rq);
  if (small.permissionDenied) return;
  PingRequest full = rq;
  full.packetSize = 1500;
  full.dontFragment = true;
  full.count = 2;
  big = pinger.ping(full);
}

}  // namespace

ReachGather gatherReach(Pinger& pinger, link::LinkSource* neighbors, const std::vector<ReachJob>& jobs) {
  ReachGather out;
  out.facts.resize(jobs.size());
  bool any = false;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const ReachJob& job = jobs[i];
    ReachFacts& r = out.facts[i];
    if (job.skip) continue;
    if (job.gateway4) {
      echoPair(pinger, *job.gateway4, r.ping4, r.big4);
      r.ran = true;
      any = true;
      if (r.ping4.permissionDenied) {
        r.ran = false;
        r.notRun = "ICMP needs CAP_NET_RAW (" + r.ping4.error + ")";
        out.success = false;
        continue;
      }
    }
    if (job.gateway6) {
      echoPair(pinger, *job.gateway6, r.ping6, r.big6);
      r.ran6 = true;
      any = true;
    }
  }
  if (any && neighbors) {
    auto table = neighbors->neighbors();
    for (ReachFacts& r : out.facts) {
      if (table) r.neighbors = *table;
      else r.neighborsError = table.error();
    }
  }
  return out;
}

}  // namespace linkready::l3
