#include "agent/check/report.h"

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

std::string_view pairVerdictName(PairVerdict v) {
  return v == PairVerdict::Redundant ? "REDUNDANT" : v == PairVerdict::Degraded ? "DEGRADED" : "DOWN";
}

PairReport judgePair(const LinkReport& a, const LinkReport& b, std::optional<bool> sameNic) {
  PairReport p{a.name, b.name, PairVerdict::Down, "", sameNic};
  bool aUp = a.readiness != Readiness::NotReady, bUp = b.readiness != Readiness::NotReady;
  if (aUp && bUp) {
    if (sameNic && *sameNic) {
      p.verdict = PairVerdict::Degraded;
      p.summary = a.interface + " and " + b.interface + " are ports of one NIC: one card failure takes both down";
    } else {
      p.verdict = PairVerdict::Redundant;
      p.summary = "both links up, on " + a.interface + " and " + b.interface +
                  (sameNic ? " (different NICs)" : " (the driver does not say whether they share a NIC)");
    }
  } else if (aUp || bUp) {
    const LinkReport& down = aUp ? b : a;
    p.verdict = PairVerdict::Degraded;
    p.summary = "no redundancy: " + down.name + " is " + std::string(readinessName(down.readiness)) +
                (down.firstBroken ? " (first broken layer: " + std::string(layerName(*down.firstBroken)) + ")" : "");
  } else {
    p.summary = "both links are down: " + a.name + " and " + b.name + " are NOT_READY";
  }
  return p;
}

Status worstStatus(const std::vector<LinkReport>& links) {
  Status s = Status::Ok;
  for (const LinkReport& l : links) s = worse(s, l.status);
  return s;
}

Status reportStatus(const Report& report) {
  Status s = worstStatus(report.links);
  for (const PairReport& p : report.pairs)
    s = worse(s, p.verdict == PairVerdict::Redundant ? Status::Ok
                 : p.verdict == PairVerdict::Degraded ? Status::Warning
                                                       : Status::Critical);
  return s;
}

}  // namespace linkready
