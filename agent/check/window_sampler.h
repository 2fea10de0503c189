// Takes one window sample of every link at once: one rtnetlink dump, the FEC counters and
// the module's live monitor bytes of each physical port, one echo to each gateway (all in
// flight together), one FRR query for every session. Used once a second by `check --soak`
// and by the agent's flight recorder.
#pragma once

#include <chrono>
#include <vector>

#include "agent/check/sources.h"
#include "agent/check/window.h"
#include "config/config.h"

namespace linkready::window {

class Sampler {
 public:
  Sampler(ProbeSources& sources, std::vector<const config::Link*> links) : s_(sources), links_(std::move(links)) {}
  // One sample per link, in order. Nothing waits on the network past `deadline`.
  std::vector<Sample> sample(std::chrono::steady_clock::time_point deadline);

 private:
  ProbeSources& s_;
  std::vector<const config::Link*> links_;
};

}  // namespace linkready::window
