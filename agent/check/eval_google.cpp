#include "agent/check/eval_google.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace linkready::google {

namespace {

std::string norm(const std::string& s) { return cloud::normalizeEnum(s); }

// "2025-04-18 06:00 UTC"
std::string utcText(uint64_t ms) {
  std::time_t t = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M UTC", &tm);
  return b;
}

std::string dbm(const cloud::GoogleOpticalPower& p) {
  if (!p.valueDbm) return "no value";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f dBm", *p.valueDbm);
  return b;
}

std::string powerText(const cloud::GoogleOpticalPower& p) {
  return dbm(p) + (p.state.empty() ? ", no state" : " " + p.state);
}

const char* kThresholds = "OK (Google's optic within its thresholds; about -7 dBm warning, -11 dBm alarm)";

}  // namespace

std::string circuitName(const cloud::GoogleLinkDiagnostics& l) {
  return "circuit " + l.circuitId + (l.googleDemarc.empty() ? "" : " (demarc " + l.googleDemarc + ")");
}

Status opticalStatus(const std::string& state) {
  std::string s = norm(state);
  if (s == "ok") return Status::Ok;
  if (s == "lowwarning" || s == "highwarning") return Status::Warning;
  if (s == "lowalarm" || s == "highalarm") return Status::Critical;
  return Status::Unknown;
}

std::vector<CheckResult> evaluateGoogleLink(const cloud::GoogleLinkDiagnostics& l, const cloud::GoogleDiagnostics& bundle,
                                            const FarEnd& far) {
  std::vector<CheckResult> out;
  const std::string who = circuitName(l);
  bool detached = norm(l.lacpState) == "detached";
  // Receiving: the far end's light as Google's optic sees it.
  {
    Status st = opticalStatus(l.rx.state);
    std::string s = norm(l.rx.state), hint;
    if (s == "lowalarm")
      hint = "Google receives no light from " + far.name + ": the cross-connect to Google's demarc " + l.googleDemarc +
             " or the far end's pigtail is not done or lands on another port, or Tx/Rx are swapped at the patch panel "
             "(roll the strands), or the far end transmits nothing. Give the colo circuit " + l.circuitId + " and the LOA";
    else if (s == "lowwarning")
      hint = "marginal light at Google: clean and reseat the fibre at every patch, count the patches, ask the colo for an "
             "optical report on circuit " + l.circuitId;
    else if (s == "highwarning" || s == "highalarm")
      hint = "too much light at Google: a long-reach optic on a short run; fit an attenuator or the right optic type";
    else if (l.rx.state.empty())
      hint = detached ? "Google gives no optical state for a link detached from the bundle: expected while Google tests "
                        "the circuit (turn-up stages 1-2); ask Google when it stays so after its turn-up email"
                      : "Google gives no optical state: run the diagnostics again";
    else
      hint = "unknown optical state '" + l.rx.state + "': see Google's interconnect diagnostics page";
    out.push_back(verdict(st, "google.link.rx_power", Layer::Optics, who + ": Google receives " + powerText(l.rx),
                          "Rx " + powerText(l.rx), kThresholds, st == Status::Ok ? "" : hint));
  }
  // Transmitting: Google's own optic.
  {
    Status st = opticalStatus(l.tx.state);
    std::string hint;
    if (st == Status::Critical || st == Status::Warning)
      hint = "Google's optic on circuit " + l.circuitId + " transmits " + dbm(l.tx) +
             ": Google's side; open a case with Google naming the circuit";
    else if (st == Status::Unknown)
      hint = l.tx.state.empty() ? "Google gives no optical state (detached link): see the receiving power"
                                : "unknown optical state '" + l.tx.state + "'";
    out.push_back(verdict(st, "google.link.tx_power", Layer::Optics, who + ": Google transmits " + powerText(l.tx),
                          "Tx " + powerText(l.tx), kThresholds, hint));
  }
  // LACP: DETACHED is normal while Google tests the circuit, a fault once the bundle runs.
  if (!l.lacpState.empty()) {
    bool bundleUp = norm(bundle.bundleOperationalStatus) == "bundleoperationalstatusup";
    Status st = norm(l.lacpState) == "active" ? Status::Ok : detached ? (bundleUp ? Status::Critical : Status::Warning)
                                                                       : Status::Unknown;
    std::string seen = "LACP " + l.lacpState +
                       (l.neighborSystemId.empty() ? "" : ", neighbour system " + l.neighborSystemId);
    std::string hint;
    if (detached && bundleUp)
      hint = "this link is out of a bundle that is up: the far end's LACP is not running on this port, or the port is not "
             "in its LAG; compare the neighbour system id of the other links";
    else if (detached)
      hint = "expected while Google tests the circuit (turn-up stages 1-2); after Google's production configuration, "
             "LACP must run active on the far end's port";
    else if (st == Status::Unknown)
      hint = "unknown LACP state '" + l.lacpState + "'";
    out.push_back(verdict(st, "google.link.lacp", Layer::Link, who + ": LACP " + l.lacpState, seen, "LACP ACTIVE", hint));
  }
  if (!l.operationalStatus.empty()) {
    std::string s = norm(l.operationalStatus);
    Status st = s == "linkoperationalstatusup" ? Status::Ok : s == "linkoperationalstatusdown" ? Status::Critical : Status::Unknown;
    out.push_back(verdict(st, "google.link.status", Layer::Link, who + ": " + l.operationalStatus, l.operationalStatus,
                          "LINK_OPERATIONAL_STATUS_UP",
                          st == Status::Ok ? ""
                          : st == Status::Critical
                              ? "Google's port cannot communicate with " + far.name + ": see the optical power first"
                              : "unknown status '" + l.operationalStatus + "'"));
  }
  return out;
}

std::vector<CheckResult> evaluateGoogleBundle(const cloud::GoogleDiagnostics& d) {
  std::string circuits;
  for (const auto& l : d.links) circuits += (circuits.empty() ? "" : ", ") + l.circuitId;
  std::string who = "bundle of " + (circuits.empty() ? std::string("no link") : circuits);
  if (d.bundleOperationalStatus.empty()) return {};
  std::string s = norm(d.bundleOperationalStatus);
  Status st = s == "bundleoperationalstatusup" ? Status::Ok : s == "bundleoperationalstatusdown" ? Status::Critical : Status::Unknown;
  std::string hint = st == Status::Ok ? ""
                     : st == Status::Critical
                         ? (norm(d.bundleAggregationType) == "bundleaggregationtypestatic"
                                ? "a static bundle is up only when every link is up: see the links"
                                : "LACP is not established or every link is down: see the links; during turn-up stages "
                                  "1-2 the bundle stays down until Google's production configuration")
                         : "unknown bundle status '" + d.bundleOperationalStatus + "'";
  return {verdict(st, "google.bundle.status", Layer::Link, who + ": " + d.bundleOperationalStatus,
                  d.bundleOperationalStatus + (d.bundleAggregationType.empty() ? "" : " (" + d.bundleAggregationType + ")"),
                  "BUNDLE_OPERATIONAL_STATUS_UP", hint)};
}

std::vector<CheckResult> evaluateGoogleInterconnect(const cloud::GoogleInterconnect& ic) {
  std::vector<CheckResult> out;
  std::string who = "interconnect " + ic.name + (ic.crossCloud() ? " (Cross-Cloud)" : "");
  std::string st = norm(ic.state), os = norm(ic.operationalStatus);
  Status s = (st == "active" && (os.empty() || os == "osactive")) ? Status::Ok
             : (st == "undermaintenance" || os == "osundermaintenance") ? Status::Warning
             : (st == "unprovisioned" || os == "osunprovisioned") ? Status::Critical
                                                                   : Status::Unknown;
  std::string hint = s == Status::Ok ? ""
                     : s == Status::Warning ? "Google maintenance: expect the circuits to drop; see expectedOutages"
                     : s == Status::Critical ? "Google has not provisioned it yet: LOA delivered to Google? follow Google's turn-up email"
                                             : "unknown state '" + ic.state + "' / '" + ic.operationalStatus + "'";
  out.push_back(verdict(s, "google.interconnect.state", Layer::Link, who + ": " + ic.state,
                        "state " + ic.state + ", operationalStatus " + ic.operationalStatus, "ACTIVE, OS_ACTIVE", hint));
  if (ic.adminEnabled && !*ic.adminEnabled)
    out.push_back(verdict(Status::Critical, "google.interconnect.admin", Layer::Link, who + " is administratively disabled",
                          "adminEnabled false", "adminEnabled true",
                          "gcloud compute interconnects update " + ic.name + " --admin-enabled"));
  if (ic.requestedLinkCount && ic.provisionedLinkCount && *ic.provisionedLinkCount < *ic.requestedLinkCount)
    out.push_back(verdict(Status::Warning, "google.interconnect.links", Layer::Link,
                          who + ": " + std::to_string(*ic.provisionedLinkCount) + " of " + std::to_string(*ic.requestedLinkCount) +
                              " links provisioned",
                          std::to_string(*ic.provisionedLinkCount), std::to_string(*ic.requestedLinkCount),
                          "Google is still provisioning circuits: follow its turn-up email"));
  uint64_t nowMs = uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count());
  for (const auto& o : ic.expectedOutages) {
    if (norm(o.state) != "active" && norm(o.state) != "nsactive") continue;
    if (o.endMs && *o.endMs < nowMs) continue;  // its window is over: history, whatever its state says
    std::string circuits;
    for (const auto& c : o.affectedCircuits) circuits += (circuits.empty() ? "" : ", ") + c;
    std::string window = (o.startMs ? utcText(*o.startMs) : std::string("?")) + " to " + (o.endMs ? utcText(*o.endMs) : "?");
    out.push_back(verdict(Status::Warning, "google.interconnect.outage", Layer::Link,
                          who + ": " + o.issueType + " " + o.name + (circuits.empty() ? "" : " on " + circuits) + ", " + window,
                          o.issueType + " " + o.name + " (" + window + "): " + o.description, "no active expected outage",
                          "planned by Google: a circuit named here may drop from " + window +
                              "; its partner must carry the traffic"));
  }
  return out;
}

std::vector<CheckResult> evaluateGooglePeer(const cloud::GoogleBgpPeerStatus& p) {
  std::vector<CheckResult> out;
  std::string who = "Cloud Router peer " + p.name + " (" + p.ipAddress + " -> " + p.peerIpAddress + ")";
  std::string status = norm(p.status), state = norm(p.state);
  bool up = status == "up" && state == "established";
  // DOWN, or UP without Established, is a broken session; any other status (UNKNOWN, a
  // value Google adds later) is not proof either way.
  Status st = up ? Status::Ok : status == "down" || status == "up" ? Status::Critical : Status::Unknown;
  std::string hint;
  std::string reason = norm(p.statusReason);
  if (reason == "md5authinternalproblem")
    hint = "MD5: Google reports trouble with the peer's MD5 configuration (MD5_AUTH_INTERNAL_PROBLEM, which its API "
           "describes as an internal problem, not as keys that differ): set the key again on both sides (the Cloud Router "
           "peer's, Alibaba's BGP group AuthKey), without trailing spaces; if it stays, open a case with Google naming "
           "the Cloud Router and peer " + p.name;
  else if (reason == "ipv4peeronipv6onlyconnection" || reason == "ipv6peeronipv4onlyconnection")
    hint = p.statusReason + ": the peer's address family does not match the attachment's stack type";
  else if (!up)
    hint = "BGP not established (" + (p.state.empty() ? "no state" : p.state) +
           "): compare the ASNs (Alibaba's LocalAsn, 45104 by default, against the Cloud Router peer ASN), the MD5 key, and "
           "the addresses (Cloud Router " + p.ipAddress + " = the VBR's PeerGatewayIp, peer " + p.peerIpAddress +
           " = its LocalGatewayIp)";
  out.push_back(verdict(st, "google.bgp.session", Layer::Bgp, who + ": " + p.status + " " + p.state,
                        p.status + ", " + p.state + (p.statusReason.empty() ? "" : ", " + p.statusReason) +
                            (p.uptime.empty() ? "" : ", up " + p.uptime),
                        "UP, Established", hint));
  if (up && p.numLearnedRoutes) {
    Status r = *p.numLearnedRoutes > 0 ? Status::Ok : Status::Warning;
    out.push_back(verdict(r, "google.bgp.routes", Layer::Bgp, who + ": " + std::to_string(*p.numLearnedRoutes) + " routes learned",
                          std::to_string(*p.numLearnedRoutes) + " routes learned", "at least 1",
                          r == Status::Ok ? "" : "the far end advertises nothing yet: the VBR's routes (VPC, CEN) to Google"));
  }
  if (p.bfd) {
    const auto& b = *p.bfd;
    std::string mode = norm(b.initializationMode), ls = norm(b.localState), diag = norm(b.localDiagnostic);
    std::string seen = "BFD " + (b.localState.empty() ? "no state" : b.localState) +
                       (b.localDiagnostic.empty() ? "" : ", " + b.localDiagnostic) +
                       (b.numRx ? ", " + std::to_string(*b.numRx) + " packets received" : "");
    if (mode == "disabled") {
      out.push_back(ok("google.bgp.bfd", Layer::Bgp, who + ": BFD disabled on the Cloud Router", "BFD DISABLED", "as ordered"));
    } else if (ls == "up") {
      out.push_back(ok("google.bgp.bfd", Layer::Bgp, who + ": BFD UP", seen, "BFD UP"));
    } else {
      std::string hint;
      if (diag == "neighborsignaledsessiondown")
        hint = "the far end signalled BFD down: check its BFD configuration and state";
      else if (b.numRx && *b.numRx == 0)
        hint = "Google receives no BFD packet from the far end: enable BFD on the far end (Alibaba BGP peer EnableBfd, "
               "BfdMultiHop 1 on a direct link) and compare intervals and multiplier";
      else
        hint = "BFD " + b.localState + " (" + b.localDiagnostic + "): compare intervals and multiplier with the far end";
      out.push_back(verdict(ls == "admindown" ? Status::Warning : Status::Critical, "google.bgp.bfd", Layer::Bgp,
                            who + ": BFD " + b.localState, seen, "BFD UP", hint));
    }
  }
  return out;
}

}  // namespace linkready::google
