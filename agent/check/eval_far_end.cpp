#include "agent/check/eval_far_end.h"

#include <cstdio>

#include "agent/check/eval_google.h"
#include "agent/check/intent.h"

namespace linkready::google {

namespace {

constexpr double kDarkDbm = -30;  // below any receiver's sensitivity: no light

std::string dbmText(std::optional<double> v) {
  if (!v) return "no light";
  char b[24];
  std::snprintf(b, sizeof b, "%.2f dBm", *v);
  return b;
}

struct Side {
  std::optional<bool> txFine;  // nullopt: not known
  std::optional<bool> rxDark;
  std::optional<double> txDbm, rxDbm;
};

Side ourSide(const optics::OpticsFacts& o) {
  Side s;
  if (!o.probed || !o.applicable || !o.module.readError.empty() || o.module.lanes.empty()) return s;
  const optics::Lane& l = o.module.lanes.front();
  if (l.txPower) {
    s.txDbm = l.txPower->dbm();
    s.txFine = !l.txFault && !l.txPower->noLight() && !l.txPowerFlags.lowAlarm && (!s.txDbm || *s.txDbm > kDarkDbm);
  }
  if (l.rxPower) {
    s.rxDbm = l.rxPower->dbm();
    s.rxDark = l.rxLos || l.rxPower->noLight() || (s.rxDbm && *s.rxDbm <= kDarkDbm);
  } else if (l.rxLos) {
    s.rxDark = true;
  }
  return s;
}

Side googleSide(const cloud::GoogleLinkDiagnostics& f) {
  Side s;
  s.txDbm = f.tx.valueDbm, s.rxDbm = f.rx.valueDbm;
  std::string rx = cloud::normalizeEnum(f.rx.state), tx = cloud::normalizeEnum(f.tx.state);
  if (!rx.empty()) s.rxDark = rx == "lowalarm" || (f.rx.valueDbm && *f.rx.valueDbm <= kDarkDbm);
  if (!tx.empty()) s.txFine = tx != "lowalarm" && !(f.tx.valueDbm && *f.tx.valueDbm <= kDarkDbm);
  return s;
}

CheckResult direction(const Side& us, const Side& g, const cloud::GoogleLinkDiagnostics& f) {
  const std::string who = circuitName(f);
  std::string seen = "our Tx " + dbmText(us.txDbm) + " -> Google Rx " + dbmText(g.rxDbm) + "; Google Tx " + dbmText(g.txDbm) +
                     " -> our Rx " + dbmText(us.rxDbm);
  const std::string want = "light both ways";
  const std::string id = "farend.optics.direction";
  if (!us.txFine || !us.rxDark || !g.txFine || !g.rxDark)
    return verdict(Status::Unknown, id, Layer::Optics, who + ": cannot compare both ends", seen, want,
                   "needs our module's Tx and Rx power (DOM) and Google's optical states for the circuit");
  if (!*us.rxDark && !*g.rxDark) return ok(id, Layer::Optics, who + ": light both ways", seen, want);
  if (*us.rxDark && *g.rxDark && *us.txFine && *g.txFine)
    return verdict(Status::Critical, id, Layer::Optics, who + ": crossed, both receivers dark while both transmitters are fine",
                   seen, want,
                   "Tx and Rx are swapped at a patch panel: roll the two strands at the demarc " + f.googleDemarc +
                       " (or our patch panel) and check again");
  if (*g.rxDark && !*us.txFine)
    return verdict(Status::Critical, id, Layer::Optics, who + ": our transmitter sends no light", seen, want,
                   "our optic's Tx is off or failed (laser disabled, TX fault): fix our side first");
  if (*g.rxDark)
    return verdict(Status::Critical, id, Layer::Optics, who + ": dark from us to Google", seen, want,
                   "our light does not reach Google on circuit " + f.circuitId + ": the strand from our Tx to Google's demarc " +
                       f.googleDemarc + " is not patched, broken, or lands on another port; give the colo the circuit id and LOA");
  if (!*g.txFine)
    return verdict(Status::Critical, id, Layer::Optics, who + ": Google's transmitter sends no light", seen, want,
                   "Google's optic on circuit " + f.circuitId + " is dark: open a case with Google naming the circuit");
  return verdict(Status::Critical, id, Layer::Optics, who + ": dark from Google to us", seen, want,
                 "Google's light does not reach our port: the strand from Google's demarc " + f.googleDemarc +
                     " to our Rx is not patched, broken, or lands on another port; give the colo the circuit id and LOA");
}

CheckResult ourMac(const link::LinkFacts& link, const cloud::GoogleLinkDiagnostics& f, const cloud::GoogleDiagnostics& d) {
  const std::string who = circuitName(f), id = "farend.arp.mac";
  std::vector<cloud::GoogleArpEntry> arps = f.arpCaches;
  arps.insert(arps.end(), d.arpCaches.begin(), d.arpCaches.end());
  std::string mac = link.iface ? link.iface->mac : "";
  if (mac.empty())
    return verdict(Status::Unknown, id, Layer::Link, who + ": our MAC is not known", "no interface MAC", "our MAC in Google's ARP cache",
                   "see the link layer");
  auto lower = [](std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string seen;
  for (const auto& a : arps) {
    seen += (seen.empty() ? "" : ", ") + a.ipAddress + " at " + a.macAddress;
    if (lower(a.macAddress) == lower(mac))
      return ok(id, Layer::Link, who + ": Google has learned our MAC " + mac + " (" + a.ipAddress + ")", seen,
                "our MAC " + mac + " in Google's ARP cache");
  }
  if (arps.empty())
    return verdict(Status::Warning, id, Layer::Link, who + ": Google has learned no ARP entry", "empty arpCaches",
                   "our MAC " + mac + " in Google's ARP cache",
                   "Google sees no ARP from us yet: our VLAN tag or IP on the attachment (vlanTag8021q, customerRouterIpAddress), "
                   "or the bundle is not up");
  return verdict(Status::Critical, id, Layer::Link, who + ": Google's ARP cache holds another device, not our MAC " + mac, seen,
                 "our MAC " + mac + " in Google's ARP cache",
                 "the cross-connect of circuit " + f.circuitId + " lands on another port than ours (demarc " + f.googleDemarc +
                     "), or our pair is crossed with its partner: compare the patching with the LOA");
}

// The Google circuit of a config link.
const cloud::GoogleLinkDiagnostics* circuitOf(const config::Link& l, const cloud::Intent& in, size_t linkCount,
                                             const cloud::GoogleDiagnostics** bundle) {
  std::string pcCircuit;
  for (const auto& pc : in.connections)
    if (!l.order.physicalConnectionId.empty() && pc.id == l.order.physicalConnectionId) pcCircuit = pc.circuitCode;
  std::string demarcCircuit;
  for (const auto& ic : in.googleInterconnects)
    for (const auto& c : ic.circuits)
      if (!l.order.physicalConnectionId.empty() && c.customerDemarcId == l.order.physicalConnectionId) demarcCircuit = c.googleCircuitId;
  const cloud::GoogleLinkDiagnostics* only = nullptr;
  size_t total = 0;
  for (const auto& d : in.googleDiagnostics)
    for (const auto& f : d.links) {
      ++total, only = &f, *bundle = &d;
      // Circuit codes as people type them into the Alibaba port (case, dashes): compared as
      // reconcile compares them.
      auto same = [](const std::string& a, const std::string& b) {
        return !a.empty() && !b.empty() && cloud::normalizeEnum(a) == cloud::normalizeEnum(b);
      };
      if (same(f.circuitId, pcCircuit) || same(f.circuitId, demarcCircuit) || f.circuitId == l.name)
        return &f;
    }
  if (total == 1 && linkCount == 1) return only;
  return nullptr;
}

}  // namespace

std::vector<CheckResult> evaluateFarEnd(const optics::OpticsFacts& ours, const link::LinkFacts& link,
                                        const cloud::GoogleLinkDiagnostics& far, const cloud::GoogleDiagnostics& bundle) {
  return {direction(ourSide(ours), googleSide(far), far), ourMac(link, far, bundle)};
}

void addCloudView(Report& report, const std::vector<const config::Link*>& links, const std::vector<Observation>& obs,
                  const cloud::Intent& in) {
  std::vector<std::string> unmatched, why;
  auto eqOf = intent::matchEquinix(in, unmatched, why);
  for (size_t i = 0; i < report.links.size() && i < links.size() && i < obs.size(); ++i) {
    const config::Link& l = *links[i];
    std::vector<CheckResult> checks = report.links[i].checks;
    if (!in.googleDiagnostics.empty()) {
      const cloud::GoogleDiagnostics* bundle = nullptr;
      if (const auto* far = circuitOf(l, in, links.size(), &bundle)) {
        auto more = evaluateFarEnd(obs[i].optics, obs[i].link, *far, *bundle);
        checks.insert(checks.end(), more.begin(), more.end());
      } else {
        checks.push_back(verdict(Status::Unknown, "farend.circuit", Layer::Optics, "no Google circuit known for " + l.name,
                                 "no circuit matched", "the Google circuit of this link",
                                 "enter Google's circuit id as the CircuitCode of the Alibaba port " +
                                     l.order.physicalConnectionId + ", or name the link after the circuit id"));
      }
    }
    // The colo ticket from the report: the Equinix port's cross-connect and patch panel.
    for (size_t v = 0; v < in.vbrs.size(); ++v) {
      if (in.vbrs[v].id != l.order.vbrId || !eqOf[v]) continue;
      const cloud::EquinixPort* port = intent::portOf(in, *eqOf[v]);
      std::string colo = port ? intent::coloIds(*port) : "";
      for (CheckResult& c : checks)
        if (!colo.empty() && c.status != Status::Ok && (c.layer == Layer::Optics || c.layer == Layer::Link))
          c.hint += (c.hint.empty() ? "" : " (") + colo + (c.hint.empty() ? "" : ")");
    }
    auto proofFrom = report.links[i].proofFrom;
    report.links[i] = finalizeLink(report.links[i].name, report.links[i].interface, std::move(checks));
    report.links[i].proofFrom = proofFrom;
  }
  // The pairs again, on the links' new readiness (one NIC: PCI bus info up to the function).
  auto at = [&](const std::string& name) {
    for (size_t i = 0; i < report.links.size() && i < obs.size(); ++i)
      if (report.links[i].name == name) return i;
    return report.links.size();
  };
  for (PairReport& p : report.pairs) {
    size_t a = at(p.first), b = at(p.second);
    if (a == report.links.size() || b == report.links.size()) continue;
    std::optional<bool> sameNic;
    const auto &ia = obs[a].link.iface, &ib = obs[b].link.iface;
    auto card = [](const std::string& s) { return s.substr(0, s.rfind('.')); };
    if (ia && ib && !ia->busInfo.empty() && !ib->busInfo.empty()) sameNic = card(ia->busInfo) == card(ib->busInfo);
    p = judgePair(report.links[a], report.links[b], sameNic);
  }
  report.status = reportStatus(report);
}

}  // namespace linkready::google
