// A check run's result: per link, the verdicts layer by layer and the readiness.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agent/check/check.h"

namespace linkready {

inline constexpr const char* kReportSchema = "linkready.report/v1";

struct LinkReport {
  std::string name;
  std::string interface;
  std::vector<CheckResult> checks;  // ordered bottom up
  std::optional<Layer> firstBroken; // lowest layer with a CRITICAL verdict
  Readiness readiness = Readiness::NotReady;
  Status status = Status::Unknown;  // worst check
  // The VLAN and IP verdicts rest on an earlier check's on-wire proof and echoes, made then
  // (the agent's re-proof of a steady link); absent when this check made them.
  std::optional<std::chrono::system_clock::time_point> proofFrom;
};

// Two links that back each other up (redundant_with).
enum class PairVerdict { Redundant, Degraded, Down };
std::string_view pairVerdictName(PairVerdict v);

struct PairReport {
  std::string first, second;
  PairVerdict verdict = PairVerdict::Down;
  std::string summary;  // "no redundancy: secondary is NOT_READY"
  std::optional<bool> sameNic;  // what the verdict was judged with (to judge again after a window)
};

struct ProbeRun {
  std::string probe;
  double seconds = 0;
  bool success = false;
};

struct Report {
  std::string agentId;
  std::string version;
  std::chrono::system_clock::time_point generatedAt;
  // When the check began, on the monotonic clock: the order of checks for the agent's state,
  // whatever the wall clock does (NTP stepping it back after boot).
  std::chrono::steady_clock::time_point began;
  std::vector<LinkReport> links;
  std::vector<ProbeRun> probes;
  std::vector<PairReport> pairs;
  Status status = Status::Ok;  // worst over links; the exit code
};

// Pure: the pair verdict. `sameNic`: both ports are functions of one NIC (as the driver's
// bus info says); nullopt when the driver does not say.
PairReport judgePair(const LinkReport& a, const LinkReport& b, std::optional<bool> sameNic);

// Pure: orders the checks bottom up, finds the first broken layer, marks the verdicts
// above it as depending on it, and derives readiness and status.
LinkReport finalizeLink(std::string name, std::string interface, std::vector<CheckResult> checks);

// Worst status over the links (OK for none).
Status worstStatus(const std::vector<LinkReport>& links);

// The report's status: its links', and a redundant pair that lost its redundancy (DEGRADED:
// WARNING, DOWN: CRITICAL) even when each link alone is READY (two ports of one NIC).
Status reportStatus(const Report& report);

}  // namespace linkready
