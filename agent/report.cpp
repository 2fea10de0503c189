#include "agent/report.h"

#include <algorithm>

namespace linkready {

LinkReport finalizeLink(std::string name, std::string interface, std::vector<CheckResult> checks) {
  LinkReport r;
  r.name = std::move(name);
  r.interface = std::move(interface);
  std::stable_sort(checks.begin(), checks.end(),
                   [](const CheckResult& a, const CheckResult& b) { return a.layer < b.layer; });
  for (const CheckResult& c : checks) {
    if (c.status == Status::Critical) {
      r.firstBroken = c.layer;
      break;
    }
  }
  Status worst = Status::Ok;
  for (CheckResult& c : checks) {
    c.dependsOn.reset();  // checks merged from an earlier run carry their old mark
    if (r.firstBroken && c.layer > *r.firstBroken) c.dependsOn = r.firstBroken;
    worst = worse(worst, c.status);
  }
  r.checks = std::move(checks);
  r.status = worst;
  // DEGRADED means only warnings: a layer that could not be proven (UNKNOWN) leaves the
  // link NOT_READY, as a broken one does.
  r.readiness = worst == Status::Ok        ? Readiness::Ready
                : worst == Status::Warning ? Readiness::Degraded
                                           : Readiness::NotReady;
  return r;
}

Status worstStatus(const std::vector<LinkReport>& links) {
  Status s = Status::Ok;
  for (const LinkReport& l : links) s = worse(s, l.status);
  return s;
}

}  // namespace linkready
