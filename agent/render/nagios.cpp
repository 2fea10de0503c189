#include "agent/render/nagios.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "agent/check/eval_optics.h"

namespace linkready {

namespace {

// Plugin output may not carry '|' (it starts the perfdata) and the status line is one line.
std::string clean(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// Labels are quoted; a quote or '=' inside one would end it early (plugin guidelines).
std::string labelOf(const std::string& link, const std::string& what) {
  std::string l = link + "_" + what;
  for (char& c : l)
    if (c == '\'' || c == '=' || c == ' ' || c == '|') c = '_';
  return "'" + l + "'";
}

// Three decimals: a round trip on a short link is tens of microseconds (0.012 ms), which two
// decimals would print as 0.
std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  std::string s = b;
  while (s.back() == '0') s.pop_back();  // C locale always: the format needs '.'
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

// A plugin range "low:high" alerts outside [low, high]; "~:high" has no lower bound.
std::string range(std::optional<double> low, std::optional<double> high) {
  if (!low && !high) return "";
  return (low ? number(*low) : "~") + ":" + (high ? number(*high) : "");
}

struct PerfData {
  std::vector<std::string> items;
  void add(const std::string& label, std::optional<double> value, const char* uom, const std::string& warn = "",
           const std::string& crit = "", std::optional<double> min = {}, std::optional<double> max = {}) {
    std::string item = label + "=" + (value ? number(*value) + uom : "U") + ";" + warn + ";" + crit + ";" +
                       (min ? number(*min) : "") + ";" + (max ? number(*max) : "");
    while (item.back() == ';') item.pop_back();  // trailing empty fields may be dropped
    items.push_back(item);
  }
};

void addLight(const config::Link& link, const optics::OpticsFacts& f, PerfData& perf) {
  if (!f.probed || !f.applicable || !f.module.readError.empty() || !f.module.corrupt.empty()) return;
  PowerBand rx = rxPowerBand(link, f.module), tx = txPowerBand(link, f.module);
  for (const optics::Lane& lane : f.module.lanes) {
    std::string n = std::to_string(lane.number);
    // No light is 'U' (no value), never a made-up floor such as -40 dBm.
    if (lane.rxPower)
      perf.add(labelOf(link.name, "rx_power_lane" + n), lane.rxPower->dbm(), "dBm", range(rx.warnLow, rx.warnHigh),
               range(rx.critLow, rx.critHigh));
    if (lane.txPower)
      perf.add(labelOf(link.name, "tx_power_lane" + n), lane.txPower->dbm(), "dBm", range(tx.warnLow, tx.warnHigh),
               range(tx.critLow, tx.critHigh));
  }
}

// eval_ip: any loss is a WARNING, no answer at all CRITICAL.
void addPing(const std::string& link, const std::string& family, const l3::PingResult& p, PerfData& perf) {
  if (p.sent == 0) return;
  double loss = 100.0 * (p.sent - p.received) / p.sent;
  // Milliseconds, as check_ping's 'rta' (the guidelines allow s, ms and us).
  perf.add(labelOf(link, family + "_rtt"), p.received ? std::optional<double>(p.avgRttMs) : std::nullopt, "ms", "", "",
           0.0);
  perf.add(labelOf(link, family + "_loss"), loss, "%", "0", "99", 0.0, 100.0);
}

// eval_bgp: fewer than min_prefixes or more than max_prefixes CRITICAL, from 90% of the
// limit a WARNING (the same expression as the evaluator's, so the edge falls the same way).
void addPrefixes(const config::Link& link, const bgp::BgpFacts& f, PerfData& perf) {
  const config::Bgp& b = *link.bgp;
  auto add = [&](const IpAddress& peer, const char* family, const char* afName) {
    for (const bgp::Neighbor& n : f.neighbors) {
      if (n.vrf != b.vrf || n.address != peer.toString()) continue;
      auto af = n.families.find(afName);
      if (af == n.families.end()) return;
      double warnAt = 0.9 * b.maxPrefixes;
      // Never below the minimum: with min_prefixes above 90 % of the limit the range would
      // read backwards ("105:98"), which no monitoring system can use.
      double warnHigh = std::max(std::ceil(warnAt) - 1, double(b.minPrefixes));
      perf.add(labelOf(link.name, std::string("bgp_") + family + "_prefixes_received"),
               double(af->second.acceptedPrefixes), "", range(double(b.minPrefixes), warnHigh),
               range(double(b.minPrefixes), double(b.maxPrefixes)), 0.0);
      return;
    }
  };
  add(b.peer, "ipv4", "ipv4Unicast");
  if (b.peer6) add(*b.peer6, "ipv6", "ipv6Unicast");
}

PerfData perfData(const config::Config& cfg, const Report& report, const std::map<std::string, Observation>& facts) {
  PerfData perf;
  for (const LinkReport& l : report.links) {
    const config::Link* link = cfg.findLink(l.name);
    auto it = facts.find(l.name);
    if (!link || it == facts.end()) continue;
    const Observation& o = it->second;
    addLight(*link, o.optics, perf);
    if (o.reach.ran) addPing(l.name, "ping", o.reach.ping4, perf);
    if (o.reach.ran6) addPing(l.name, "ping6", o.reach.ping6, perf);
    if (link->bgp && o.bgp) addPrefixes(*link, *o.bgp, perf);
  }
  return perf;
}

// "primary NOT_READY at vlan: no answer on 0x8100/100 ...": the verdict the link turns on.
std::string linkLine(const LinkReport& l) {
  std::string line = l.name + " " + std::string(readinessName(l.readiness));
  if (l.readiness == Readiness::Ready) return line;
  const CheckResult* first = nullptr;
  for (const CheckResult& c : l.checks) {
    bool atBroken = l.firstBroken && c.layer == *l.firstBroken && c.status == Status::Critical;
    if (atBroken || (!l.firstBroken && c.status == l.status)) {
      first = &c;
      break;
    }
  }
  if (l.firstBroken) line += " at " + std::string(layerName(*l.firstBroken));
  if (first) line += ": " + first->summary;
  return line;
}

}  // namespace

std::string renderNagios(const config::Config& cfg, const Report& report,
                         const std::map<std::string, Observation>& facts) {
  std::string status;
  for (const LinkReport& l : report.links) status += (status.empty() ? "" : "; ") + linkLine(l);
  for (const PairReport& p : report.pairs)
    if (p.verdict != PairVerdict::Redundant)
      status += "; pair " + p.first + "+" + p.second + " " + std::string(pairVerdictName(p.verdict));
  if (report.links.empty()) status = "no links checked";

  std::ostringstream out;
  out << "LINKREADY " << statusName(report.status) << " - " << clean(status);
  PerfData perf = perfData(cfg, report, facts);
  if (!perf.items.empty()) {
    out << " |";
    for (const std::string& item : perf.items) out << " " << item;
  }
  out << "\n";
  // Long text: one line per check that is not OK, worst layer first as the text report.
  for (const LinkReport& l : report.links)
    for (const CheckResult& c : l.checks) {
      if (c.status == Status::Ok) continue;
      out << statusName(c.status) << " " << l.name << " " << c.id << ": " << clean(c.summary);
      if (c.dependsOn) out << " (depends on the " << layerName(*c.dependsOn) << " layer)";
      else if (!c.hint.empty()) out << " - " << clean(c.hint);
      out << "\n";
    }
  for (const PairReport& p : report.pairs)
    if (p.verdict != PairVerdict::Redundant)
      out << "pair " << p.first << "+" << p.second << " " << pairVerdictName(p.verdict) << ": " << clean(p.summary)
          << "\n";
  return out.str();
}

}  // namespace linkready
