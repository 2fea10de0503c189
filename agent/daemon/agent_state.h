// What the agent knows now: the latest verdicts and facts per link, merged from full
// checks and from fast re-checks after link events; and which changes are to be reported.
// Pure bookkeeping, no I/O: unit-tested on its own.
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "config/config.h"

namespace linkready {

struct LinkUpdate {
  std::string link;
  bool changed = false;  // readiness or any check's status differs from the last report
};

class AgentState {
 public:
  // Merges a report (full, or only some layers) into the current state. Returns, per link
  // in the report, whether it changed since the last call that reported it. The report and
  // facts are taken whole (move them in): what the state keeps of them is moved, not copied.
  std::vector<LinkUpdate> merge(Report partial, std::vector<Observation> facts, const std::vector<Layer>& layers);
  // Forgets links that are no longer configured (after a reload).
  void retain(const config::Config& cfg);

  Report report() const;  // every link, in config order where known
  const std::map<std::string, Observation>& facts() const { return facts_; }
  bool empty() const { return links_.empty(); }
  const LinkReport* link(const std::string& name) const;

 private:
  static std::string signature(const LinkReport& l);

  Report meta_;
  std::vector<std::string> order_;
  std::map<std::string, LinkReport> links_;
  std::map<std::string, Observation> facts_;
  std::map<std::string, std::string> reported_;  // signature last reported per link
  // Redundant pairs seen by a check of both partners, and whether they share a NIC: judged
  // again from the current verdicts whenever the report is read.
  std::map<std::pair<std::string, std::string>, std::optional<bool>> pairs_;
  // When each layer's verdicts of each link were gathered (Report::began, monotonic): a slow
  // full check that began before a fast re-check (after a link event) must not put older
  // facts back.
  std::map<std::string, std::map<Layer, std::chrono::steady_clock::time_point>> stamps_;
};

}  // namespace linkready
