#include "agent/check/eval_link.h"

#include <algorithm>
#include <cstdio>

#include "agent/check/window.h"

namespace linkready {

namespace {

constexpr uint32_t kAlibabaMinMtu = 1500;  // Alibaba: the physical layer must support MTU 1500

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string speedText(uint32_t mbps) {
  if (mbps >= 1000 && mbps % 1000 == 0) return std::to_string(mbps / 1000) + "G";
  return std::to_string(mbps) + "M";
}

}  // namespace

std::vector<std::string> similarNames(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& c : candidates) {
    size_t d = editDistance(name, c);
    size_t stem = 0;
    while (stem < name.size() && stem < c.size() && name[stem] == c[stem] && !isdigit(name[stem])) ++stem;
    if (d <= 2 || stem >= 3) scored.emplace_back(d, c);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, c] : scored) out.push_back(c);
  return out;
}

namespace {

const Layer L = Layer::Link;

// Does the port exist (and can we read interfaces at all)?
bool checkExists(const config::Link& link, const link::LinkFacts& f, std::vector<CheckResult>& out) {
  const std::string& ifn = link.interface;
  if (!f.probeError.empty()) {
    out.push_back(verdict(Status::Unknown, "link.exists", L, "cannot read interfaces: " + f.probeError,
                          f.probeError, ifn,
                          "linkready needs rtnetlink access; run it on the router itself (or inside the "
                          "router's network namespace)"));
    return false;
  }
  if (!f.iface) {
    auto similar = similarNames(ifn, f.otherInterfaces);
    std::string seen;
    for (const auto& n : (similar.empty() ? f.otherInterfaces : similar)) seen += (seen.empty() ? "" : ", ") + n;
    out.push_back(verdict(Status::Critical, "link.exists", L, "interface " + ifn + " does not exist",
                          "no interface " + ifn, ifn,
                          (similar.empty() ? "interfaces here: " : "similar interfaces here: ") + seen +
                              "; fix 'interface' in the config, or check that the NIC driver loaded"));
    return false;
  }
  const link::InterfaceFacts& i = *f.iface;
  out.push_back(ok("link.exists", L, "interface " + ifn + " exists",
                   ifn + (i.kind.empty() ? "" : " (" + i.kind + ")"), ifn));
  return true;
}

void checkAdminAndCarrier(const std::string& ifn, const link::InterfaceFacts& i, std::vector<CheckResult>& out) {
  if (!i.adminUp) {
    out.push_back(verdict(Status::Critical, "link.admin", L, ifn + " is administratively down", "admin down",
                          "admin up", "bring it up: ip link set " + ifn + " up (and in the router's config)"));
  } else {
    out.push_back(ok("link.admin", L, ifn + " is administratively up", "admin up", "admin up"));
  }

  std::string carrierSeen = std::string(i.carrier ? "carrier up" : "no carrier") + ", operstate " + i.operState +
                            ", " + std::to_string(i.carrierChanges) + " carrier changes";
  if (!i.adminUp) {
    out.push_back(verdict(Status::Critical, "link.carrier", L, "no carrier while " + ifn + " is admin down",
                          carrierSeen, "carrier up", "bring the interface up first"));
  } else if (!i.carrier) {
    out.push_back(verdict(Status::Critical, "link.carrier", L, "no carrier on " + ifn, carrierSeen, "carrier up",
                          "no signal from the far end: check the optics layer (Rx light), that the "
                          "cross-connect is complete and patched to the right port, Tx/Rx not swapped, "
                          "and that the far end's port is enabled"));
  } else {
    out.push_back(ok("link.carrier", L, "carrier up on " + ifn, carrierSeen, "carrier up"));
  }
}

// Speed, duplex, autoneg: what ethtool says, against the order.
void checkSpeed(const std::string& ifn, const config::Order& o, const link::LinkFacts& f, std::vector<CheckResult>& out) {
  const link::InterfaceFacts& i = *f.iface;
  if (o.speedMbps) {
    std::string want = speedText(*o.speedMbps);
    if (!f.modes.speedMbps) {
      std::string why = !f.modesError.empty() ? f.modesError
                        : !i.carrier          ? "no speed without carrier"
                                              : "the driver does not report a speed";
      out.push_back(verdict(Status::Unknown, "link.speed", L, "speed of " + ifn + " unknown", why, want,
                            i.carrier ? "this driver (" + (i.kind.empty() ? std::string("physical") : i.kind) +
                                            ") does not report speed; check it on the switch side"
                                      : "speed is known once the link is up"));
    } else if (*f.modes.speedMbps != *o.speedMbps) {
      out.push_back(verdict(Status::Critical, "link.speed", L,
                            ifn + " runs at " + speedText(*f.modes.speedMbps) + ", the order says " + want,
                            speedText(*f.modes.speedMbps), want,
                            "set the speed by hand (ethtool -s " + ifn + " speed " + std::to_string(*o.speedMbps) +
                                " duplex full autoneg off) and check the optic is the ordered " +
                                (o.portType.empty() ? std::string("type") : o.portType)));
    } else {
      out.push_back(ok("link.speed", L, ifn + " runs at " + want, speedText(*f.modes.speedMbps), want));
    }
  }
}

void checkDuplex(const std::string& ifn, const config::Order& o, const link::LinkFacts& f, std::vector<CheckResult>& out) {
  const link::InterfaceFacts& i = *f.iface;
  std::string wantDuplex = o.duplex == config::Duplex::Full ? "full" : "half";
  if (!f.modes.fullDuplex) {
    if (i.carrier)
      out.push_back(verdict(Status::Unknown, "link.duplex", L, "duplex of " + ifn + " unknown",
                            f.modesError.empty() ? "not reported by the driver" : f.modesError, wantDuplex,
                            "check duplex on the switch side"));
  } else {
    std::string seen = *f.modes.fullDuplex ? "full" : "half";
    if (seen != wantDuplex)
      out.push_back(verdict(Status::Critical, "link.duplex", L, ifn + " is " + seen + " duplex", seen, wantDuplex,
                            "Alibaba ports run full duplex: ethtool -s " + ifn + " duplex full autoneg off"));
    else
      out.push_back(ok("link.duplex", L, ifn + " is " + seen + " duplex", seen, wantDuplex));
  }
}

void checkAutoneg(const std::string& ifn, const config::Order& o, const link::LinkFacts& f, std::vector<CheckResult>& out) {
  const link::InterfaceFacts& i = *f.iface;
  std::string wantAn = o.autoneg ? "on" : "off";
  if (f.modes.autoneg) {
    std::string seen = *f.modes.autoneg ? "on" : "off";
    if (*f.modes.autoneg && !o.autoneg)
      out.push_back(verdict(i.carrier ? Status::Warning : Status::Critical, "link.autoneg", L,
                            "auto-negotiation is on where the order says fixed speed", seen, wantAn,
                            "Alibaba asks for auto-negotiation off, fixed speed and full duplex: ethtool -s " + ifn +
                                " autoneg off" + (o.speedMbps ? " speed " + std::to_string(*o.speedMbps) : "") +
                                " duplex full (and the same in the router's config)"));
    else if (!*f.modes.autoneg && o.autoneg)
      out.push_back(verdict(Status::Warning, "link.autoneg", L, "auto-negotiation is off where the order says on",
                            seen, wantAn, "ethtool -s " + ifn + " autoneg on"));
    else
      out.push_back(ok("link.autoneg", L, "auto-negotiation " + seen, seen, wantAn));
  }
}

void checkMtu(const std::string& ifn, const link::InterfaceFacts& i, std::vector<CheckResult>& out) {
  std::string mtuSeen = std::to_string(i.mtu);
  if (i.mtu < kAlibabaMinMtu)
    out.push_back(verdict(Status::Critical, "link.mtu", L, "MTU " + mtuSeen + " on " + ifn + " is below 1500",
                          mtuSeen, ">= 1500",
                          "Alibaba requires MTU 1500 on the physical layer: ip link set " + ifn + " mtu 1500"));
  else
    out.push_back(ok("link.mtu", L, "MTU " + mtuSeen, mtuSeen, ">= 1500"));
}

std::string fixed1(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// What rose within the check's own window (or the agent's interval); the count since boot
// is history and shown as such.
void checkErrors(const std::string& ifn, const link::LinkFacts& f, std::vector<CheckResult>& out) {
  const link::InterfaceFacts& i = *f.iface;
  std::string sinceBoot = std::to_string(i.rxErrors) + " rx errors (" + std::to_string(i.rxCrcErrors) + " CRC, " +
                          std::to_string(i.rxFrameErrors) + " frame), " + std::to_string(i.txErrors) + " tx errors since boot";
  if (!f.counters) {
    out.push_back(ok("link.errors", L, "errors not judged: one reading only", sinceBoot + " (history: not judged)",
                     "no new errors"));
    return;
  }
  const link::CounterWindow& w = *f.counters;
  using window::rise;
  uint64_t rx = rise(w.first.rxErrors, w.last.rxErrors), tx = rise(w.first.txErrors, w.last.txErrors);
  uint64_t crc = rise(w.first.rxCrcErrors, w.last.rxCrcErrors);
  std::string span = fixed1(w.seconds) + " s";
  std::string seen = std::to_string(rx) + " rx (" + std::to_string(crc) + " CRC) and " + std::to_string(tx) +
                     " tx errors in " + span + "; " + sinceBoot;
  if (rx + tx > 0)
    out.push_back(verdict(Status::Warning, "link.errors", L,
                          std::to_string(rx + tx) + " errors on " + ifn + " in " + span, seen, "no new errors",
                          "errors that rise now: marginal optics or dirty fibre; check the Rx light, clean and "
                          "reseat the connectors; check --soak 60s shows how fast they climb"));
  else
    out.push_back(ok("link.errors", L, "no new errors in " + span, seen, "no new errors"));
}

}  // namespace

std::vector<CheckResult> evaluateLinkLayer(const config::Link& link, const link::LinkFacts& f) {
  std::vector<CheckResult> out;
  if (!checkExists(link, f, out)) return out;
  const std::string& ifn = link.interface;
  const link::InterfaceFacts& i = *f.iface;
  checkAdminAndCarrier(ifn, i, out);
  checkSpeed(ifn, link.order, f, out);
  checkDuplex(ifn, link.order, f, out);
  checkAutoneg(ifn, link.order, f, out);
  checkMtu(ifn, i, out);
  checkErrors(ifn, f, out);
  return out;
}

}  // namespace linkready
