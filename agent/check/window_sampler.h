// Takes one window sample of every link at once: the interface table (kept by link events;
// the counters from one RTM_GETSTATS dump), the FEC counters and
// the module's live monitor bytes of each physical port, one echo to each gateway (all in
// flight together), FRR's short list of the sessions that are not Established (the full
// session state every tenth sample, or when that list moves: bgp::SessionWatch). Used once
// a second by `check --soak` and by the agent's flight recorder.
#pragma once

#include <chrono>
#include <vector>

#include "agent/check/sources.h"
#include "agent/check/window.h"
#include "probes/bgp/bgp_probe.h"
#include "config/config.h"

namespace linkready::window {

class Sampler {
 public:
  Sampler(ProbeSources& sources, std::vector<const config::Link*> links) : s_(sources), links_(std::move(links)) {}
  // One sample per link, in order. Nothing waits on the network past `deadline`.
  std::vector<Sample> sample(std::chrono::steady_clock::time_point deadline) {
    auto out = sampleInterfaces();
    complete(out, deadline);
    return out;
  }
  // In two steps for the agent's recorder, which stores the first at once: what the kernel
  // says now (carrier, counters, FEC, module), with each session listed but not yet known
  // and no echo; then the echoes and FRR's answers, which may wait for `deadline` (a silent
  // gateway) while a check already sees the carrier this sample read.
  std::vector<Sample> sampleInterfaces();
  void complete(std::vector<Sample>& samples, std::chrono::steady_clock::time_point deadline);
  // FRR's sessions as the agent's check of every link read them, its read begun no earlier
  // than `began` (the same summaries and BFD peers): they stand for the sampler's own full
  // read (bgp::SessionWatch::offer).
  void offerSessions(std::shared_ptr<const bgp::BgpFacts> checked, std::chrono::steady_clock::time_point began) {
    sessions_.offer(std::move(checked), wantedSessions(), began);
  }

 private:
  std::vector<bgp::WantedSession> wantedSessions() const;

  ProbeSources& s_;
  std::vector<const config::Link*> links_;
  bgp::SessionWatch sessions_;  // FRR in full every tenth second, or when its short list moves
};

}  // namespace linkready::window
