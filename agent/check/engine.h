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
  // An earlier check's on-wire proof and echoes, by link name: taken instead of probing again
  // while the interface is still the one they were made on (same ifindex and MAC, no carrier
  // change since). The neighbour table is read afresh. The agent passes those of its steady
  // links (README "Re-proof"); `check` passes none.
  struct Proof {
    vlan::WireFacts wire;
    l3::ReachFacts reach;
    std::chrono::system_clock::time_point at;
    int ifindex = 0;
    std::string mac;
    uint32_t carrierChanges = 0;
  };
  std::map<std::string, Proof> earlierProof;
};

// The proof an observation carries (its own or the earlier one it reused), to hand to a later
// check; none when the interface was missing or neither the on-wire proof nor echoes ran.
std::optional<CheckOptions::Proof> proofOf(const Observation& observed, std::chrono::system_clock::time_point checkedAt);

// Runs every probe for the selected links, evaluates, and returns the report.
// `observations`, when given, receives what the probes found, one entry per report link.
Report runChecks(const config::Config& cfg, ProbeSources& sources, const CheckOptions& options = {},
                 std::vector<Observation>* observations = nullptr);

// Pure: the verdicts of every layer (`layers` empty = all) for one link, finalized.
LinkReport judgeObservation(const config::Link& link, const Observation& observed, const std::vector<Layer>& layers = {});

}  // namespace linkready
