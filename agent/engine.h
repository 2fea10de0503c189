// The check engine: runs the probes listed in one table, hands their facts to the
// evaluators, and assembles the report. Probes do I/O and never judge; evaluators judge
// and never do I/O.
#pragma once

#include <string>
#include <vector>

#include "agent/report.h"
#include "config/config.h"
#include "probes/link/link_facts.h"
#include "probes/link/link_source.h"

namespace linkready {

// Everything the probes found about one link.
struct LinkFactSet {
  link::LinkFacts link;
};

// The I/O sources the probes read from. Linux implementations in production, servers of
// captured data in unit tests.
struct Sources {
  link::LinkSource* link = nullptr;
};

// The Linux sources, owned.
class LinuxSources {
 public:
  LinuxSources();
  ~LinuxSources();
  Sources& sources() { return sources_; }

 private:
  std::unique_ptr<link::LinkSource> link_;
  Sources sources_;
};

struct CheckOptions {
  std::vector<std::string> onlyLinks;  // empty = all
};

// Runs every probe for the selected links, evaluates, and returns the report.
Report runChecks(const config::Config& cfg, Sources& sources, const CheckOptions& options = {});

// Pure: the verdicts for one link from its facts, all layers, finalized.
LinkReport evaluateLinkFacts(const config::Link& link, const LinkFactSet& facts);

}  // namespace linkready
