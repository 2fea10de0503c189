// The check engine: runs the probes listed in one table, hands their facts to the
// evaluators, and assembles the report. Probes do I/O and never judge; evaluators judge
// and never do I/O.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "agent/check/sources.h"
#include "config/config.h"

namespace linkready {

struct CheckOptions {
  std::vector<std::string> onlyLinks;  // empty = all
  std::vector<Layer> onlyLayers;       // empty = all (`check --watch` asks optics and link only)
  // The whole check's bound on waiting for the network (the on-wire proof and the echoes of
  // every link share it): a silent far end costs this, not this per link.
  std::chrono::milliseconds deadline{2500};
  // Error counters read earlier, by interface (the agent's previous check): link.errors
  // judges the rise since then. Without one, the rise while this check ran.
  struct Baseline {
    link::ErrorCounters counters;
    std::chrono::steady_clock::time_point at;
  };
  std::map<std::string, Baseline> counterBaseline;
};

// Runs every probe for the selected links, evaluates, and returns the report.
// `observations`, when given, receives what the probes found, one entry per report link.
Report runChecks(const config::Config& cfg, ProbeSources& sources, const CheckOptions& options = {},
                 std::vector<Observation>* observations = nullptr);

// Pure: the verdicts of every layer (`layers` empty = all) for one link, finalized.
LinkReport judgeObservation(const config::Link& link, const Observation& observed, const std::vector<Layer>& layers = {});

}  // namespace linkready
