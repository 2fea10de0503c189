#include "probes/l3/gather.h"

#include <algorithm>

namespace linkready::l3 {

namespace {

// Per gateway: a handful of small echoes and, together with them, two 1500-byte echoes with DF.
void addEchoes(const IpAddress& gateway, std::vector<PingRequest>& requests) {
  PingRequest small;
  small.target = gateway;
  PingRequest big = small;
  big.packetSize = 1500;
  big.dontFragment = true;
  big.count = 2;
  requests.push_back(small);
  requests.push_back(big);
}

}  // namespace

ReachGather gatherReach(Pinger& pinger, link::LinkSource* neighbors, const std::vector<ReachJob>& jobs,
                        std::chrono::steady_clock::time_point deadline) {
  ReachGather out;
  out.facts.resize(jobs.size());
  std::vector<PingRequest> requests;
  for (const ReachJob& job : jobs) {
    if (job.skip || !job.echo) continue;
    if (job.gateway4) addEchoes(*job.gateway4, requests);
    if (job.gateway6) addEchoes(*job.gateway6, requests);
  }
  bool reused = std::any_of(jobs.begin(), jobs.end(), [](const ReachJob& j) { return !j.skip && !j.echo; });
  if (requests.empty() && !reused) return out;
  std::vector<PingResult> results;
  if (!requests.empty()) results = pinger.pingAll(requests, deadline);
  size_t k = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const ReachJob& job = jobs[i];
    ReachFacts& r = out.facts[i];
    if (job.skip || !job.echo) continue;
    if (job.gateway4) {
      r.ping4 = results[k++];
      r.big4 = results[k++];
      r.ran = true;
      if (r.ping4.permissionDenied) {
        r.ran = false;
        r.notRun = "ICMP needs CAP_NET_RAW (" + r.ping4.error + ")";
        r.big4 = {};
        out.success = false;
      }
    }
    if (job.gateway6) {
      r.ping6 = results[k++];
      r.big6 = results[k++];
      r.ran6 = !r.ping6.permissionDenied;
      if (r.ping6.permissionDenied) {
        if (r.notRun.empty()) r.notRun = "ICMPv6 needs CAP_NET_RAW (" + r.ping6.error + ")";
        r.big6 = {};
        out.success = false;
      }
    }
  }
  // Each link keeps its gateways' entries only (a copy of the whole table per link would
  // cost N x N at hundreds of links).
  if (neighbors) {
    auto table = neighbors->neighbors();
    for (size_t i = 0; i < jobs.size(); ++i) {
      ReachFacts& r = out.facts[i];
      if (!table) {
        r.neighborsError = table.error();
        continue;
      }
      for (const link::NeighborEntry& e : *table)
        if ((jobs[i].gateway4 && e.address == *jobs[i].gateway4) || (jobs[i].gateway6 && e.address == *jobs[i].gateway6))
          r.neighbors.push_back(e);
    }
  }
  return out;
}

}  // namespace linkready::l3
