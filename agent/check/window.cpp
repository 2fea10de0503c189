#include "agent/check/window.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

namespace linkready::window {

uint64_t rise(uint64_t a, uint64_t b) { return b >= a ? b - a : b; }

std::string durationText(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min" + (s % 60 ? " " + std::to_string(s % 60) + " s" : "");
  return std::to_string(s / 3600) + " h" + (s % 3600 / 60 ? " " + std::to_string(s % 3600 / 60) + " min" : "");
}

namespace {

std::string fixed(double v, int decimals = 1) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

std::string clockTime(TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%H:%M:%S UTC", &tm);
  return b;
}

double secondsBetween(TimePoint a, TimePoint b) { return std::chrono::duration<double>(b - a).count(); }

// Sums a counter's rises over successive samples (a reset in the middle costs nothing).
template <typename Get>
uint64_t totalRise(const std::vector<Sample>& s, Get get) {
  uint64_t sum = 0;
  for (size_t i = 1; i < s.size(); ++i) sum += rise(get(s[i - 1]), get(s[i]));
  return sum;
}

void minMax(std::optional<double>& lo, std::optional<double>& hi, std::optional<double> v) {
  if (!v) return;
  lo = lo ? std::min(*lo, *v) : *v;
  hi = hi ? std::max(*hi, *v) : *v;
}

}  // namespace

Summary summarize(const std::vector<Sample>& s) {
  Summary out;
  out.samples = s.size();
  if (s.empty()) return out;
  out.seconds = secondsBetween(s.front().at, s.back().at);
  out.carrierChanges = totalRise(s, [](const Sample& x) { return x.carrierChanges; });
  out.errors = totalRise(s, [](const Sample& x) { return x.rxErrors + x.txErrors; });
  out.crcErrors = totalRise(s, [](const Sample& x) { return x.rxCrcErrors; });
  out.drops = totalRise(s, [](const Sample& x) { return x.rxDropped; });
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i].present && !s[i].carrier) ++out.samplesWithoutCarrier;
    if (i && rise(s[i - 1].carrierChanges, s[i].carrierChanges) > 0) out.lastFlap = s[i].at;
  }
  // FEC: only between samples that both have the statistics.
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i - 1].fecCorrected && s[i].fecCorrected)
      out.fecCorrected = out.fecCorrected.value_or(0) + rise(*s[i - 1].fecCorrected, *s[i].fecCorrected);
    if (s[i - 1].fecUncorrectable && s[i].fecUncorrectable)
      out.fecUncorrectable =
          out.fecUncorrectable.value_or(0) + rise(*s[i - 1].fecUncorrectable, *s[i].fecUncorrectable);
  }
  std::map<int, Summary::Lane> lanes;
  for (const Sample& x : s)
    for (const LaneSample& l : x.lanes) {
      Summary::Lane& sl = lanes[l.lane];
      sl.lane = l.lane;
      minMax(sl.rxMin, sl.rxMax, l.rxDbm);
      minMax(sl.txMin, sl.txMax, l.txDbm);
      if (!l.rxDbm || l.rxLos) ++sl.dark;
    }
  for (auto& [n, l] : lanes) out.lanes.push_back(l);

  std::vector<double> rtts;
  for (const Sample& x : s) {
    if (x.echoSent && !x.carrier) {
      ++out.echoesWithoutCarrier;
      continue;
    }
    out.echoesSent += x.echoSent;
    if (x.echoSent && x.echoAnswered) {
      ++out.echoesAnswered;
      rtts.push_back(x.rttMs);
    }
  }
  if (!rtts.empty()) {
    out.rttMin = *std::min_element(rtts.begin(), rtts.end());
    out.rttMax = *std::max_element(rtts.begin(), rtts.end());
    double sum = 0, jitter = 0;
    for (size_t i = 0; i < rtts.size(); ++i) {
      sum += rtts[i];
      if (i) jitter += std::fabs(rtts[i] - rtts[i - 1]);
    }
    out.rttAvg = sum / double(rtts.size());
    out.jitterMs = rtts.size() > 1 ? jitter / double(rtts.size() - 1) : 0;
  }

  std::map<std::string, Summary::Session> sessions;  // by family, in first-seen order below
  std::vector<std::string> order;
  for (size_t i = 0; i < s.size(); ++i)
    for (const SessionSample& ss : s[i].sessions) {
      if (!sessions.count(ss.family)) order.push_back(ss.family);
      Summary::Session& out1 = sessions[ss.family];
      out1.family = ss.family, out1.peer = ss.peer;
      if (!ss.known) continue;
      ++out1.samplesKnown;
      if (!ss.established) ++out1.samplesDown;
      if (ss.bfdUp && !*ss.bfdUp) ++out1.samplesBfdDown;
      if (i == 0) continue;
      for (const SessionSample& prev : s[i - 1].sessions)
        if (prev.family == ss.family && prev.known) out1.resets += rise(prev.dropped, ss.dropped);
    }
  for (const auto& f : order) out.sessions.push_back(sessions[f]);
  return out;
}

namespace {

std::string perSecond(uint64_t n, double seconds) {
  return seconds > 0 ? " (" + fixed(double(n) / seconds, 2) + "/s)" : "";
}

void judgeFlaps(const config::Link& link, const Summary& w, TimePoint now, const Limits& limits,
                std::vector<CheckResult>& out) {
  const std::string& ifn = link.interface;
  std::string span = "in " + durationText(w.seconds);
  if (w.carrierChanges == 0 && w.samplesWithoutCarrier == 0) {
    out.push_back(ok("link.flaps", Layer::Link, "no flap " + span, "0 carrier changes " + span, "no carrier change"));
    return;
  }
  std::string seen = std::to_string(w.carrierChanges) + " carrier changes " + span + ", carrier down in " +
                     std::to_string(w.samplesWithoutCarrier) + " of " + std::to_string(w.samples) + " samples";
  std::string summary = ifn + " flapped " + span;
  if (w.lastFlap) {
    double ago = secondsBetween(*w.lastFlap, now);
    seen += ", last at " + clockTime(*w.lastFlap);
    summary = ifn + " flapped " + durationText(ago) + " ago";
    if (ago < double(limits.flapGuard.count()))
      summary += "; DEGRADED until " + durationText(double(limits.flapGuard.count())) + " pass without a flap";
  }
  std::string ids = link.order.physicalConnectionId.empty() ? "" : " (physical connection " + link.order.physicalConnectionId + ")";
  out.push_back(verdict(Status::Warning, "link.flaps", Layer::Link, summary, seen, "no carrier change",
                        "a link that drops and comes back: a loose or dirty connector, a marginal optic (see the "
                        "light swing), or the far end resetting its port; a link can come back with a far worse "
                        "error rate, so watch link.errors_rising; ask the colo to test the cross-connect" + ids));
}

void judgeErrors(const config::Link& link, const Summary& w, std::vector<CheckResult>& out) {
  std::string span = "in " + durationText(w.seconds);
  std::string seen = std::to_string(w.errors) + " errors " + span + perSecond(w.errors, w.seconds) + ", " +
                     std::to_string(w.crcErrors) + " CRC, " + std::to_string(w.drops) + " rx drops";
  if (w.errors == 0) {
    out.push_back(ok("link.errors_rising", Layer::Link, "no errors " + span, seen, "no new errors"));
    return;
  }
  out.push_back(verdict(Status::Warning, "link.errors_rising", Layer::Link,
                        std::to_string(w.errors) + " errors on " + link.interface + " " + span, seen, "no new errors",
                        w.crcErrors ? "CRC errors that rise: a dirty or damaged fibre, a marginal optic or too "
                                      "little light; clean and reseat both ends, compare the Rx light with the "
                                      "module's thresholds"
                                    : "errors that rise: check the optics layer and the far end's port counters"));
}

void judgeFec(const Summary& w, std::vector<CheckResult>& out) {
  if (!w.fecUncorrectable) return;  // the driver has no FEC statistics (said nowhere: nothing was judged)
  std::string span = "in " + durationText(w.seconds);
  std::string seen = std::to_string(*w.fecUncorrectable) + " uncorrectable, " +
                     std::to_string(w.fecCorrected.value_or(0)) + " corrected blocks " + span +
                     perSecond(w.fecCorrected.value_or(0), w.seconds);
  if (*w.fecUncorrectable == 0) {
    out.push_back(ok("link.fec", Layer::Link, "no uncorrectable FEC blocks " + span, seen, "0 uncorrectable"));
    return;
  }
  out.push_back(verdict(Status::Warning, "link.fec", Layer::Link,
                        std::to_string(*w.fecUncorrectable) + " uncorrectable FEC blocks " + span, seen,
                        "0 uncorrectable",
                        "FEC could not repair every block: frames were lost; the line's error rate is beyond what "
                        "FEC covers (dirty connector, too little light, wrong fibre type): clean, reseat, check the "
                        "Rx light per lane"));
}

void judgeLight(const Summary& w, const Limits& limits, std::vector<CheckResult>& out) {
  for (const Summary::Lane& l : w.lanes) {
    std::string id = "optics.lane" + std::to_string(l.lane) + ".light_swing";
    std::string rx = l.rxMin ? fixed(*l.rxMin, 2) + ".." + fixed(*l.rxMax, 2) + " dBm" : "no light";
    std::string tx = l.txMin ? fixed(*l.txMin, 2) + ".." + fixed(*l.txMax, 2) + " dBm" : "not reported";
    double rxSwing = l.rxMin ? *l.rxMax - *l.rxMin : 0, txSwing = l.txMin ? *l.txMax - *l.txMin : 0;
    std::string seen = "Rx " + rx + " (swing " + fixed(rxSwing, 2) + " dB), Tx " + tx + " (swing " +
                       fixed(txSwing, 2) + " dB)" +
                       (l.dark ? ", no Rx light in " + std::to_string(l.dark) + " of " + std::to_string(w.samples) + " samples" : "");
    std::string want = "swing below " + fixed(limits.lightSwingDb, 1) + " dB";
    std::string lane = "lane " + std::to_string(l.lane);
    if (l.rxMin && l.dark) {
      out.push_back(verdict(Status::Warning, id, Layer::Optics, lane + ": Rx light came and went", seen, want,
                            "light that comes and goes: a loose connector or a fibre that is being moved; reseat, "
                            "and check the patch panel on the way"));
    } else if (rxSwing > limits.lightSwingDb) {
      out.push_back(verdict(Status::Warning, id, Layer::Optics,
                            lane + ": Rx light swung " + fixed(rxSwing, 1) + " dB", seen, want,
                            "Rx light that moves on a static link points at a connector: clean and reseat both "
                            "ends, check for a tight bend; if Tx is steady the fault is in the fibre path"));
    } else if (txSwing > limits.lightSwingDb) {
      out.push_back(verdict(Status::Warning, id, Layer::Optics,
                            lane + ": Tx light swung " + fixed(txSwing, 1) + " dB", seen, want,
                            "our own laser's output moves: a failing optic (check its temperature and bias); "
                            "replace it with one of the ordered type"));
    } else {
      out.push_back(ok(id, Layer::Optics, lane + ": light steady", seen, want));
    }
  }
}

void judgeEcho(const config::Link& link, const Summary& w, const Limits& limits, std::vector<CheckResult>& out) {
  if (w.echoesSent == 0) return;
  std::optional<IpAddress> gw = link.ip.gateway ? link.ip.gateway : link.ip.gateway6;
  std::string gwText = gw ? gw->toString() : "the gateway";
  int lost = w.echoesSent - w.echoesAnswered;
  double pct = 100.0 * lost / w.echoesSent;
  std::string seen = std::to_string(lost) + " of " + std::to_string(w.echoesSent) + " echoes lost (" + fixed(pct, 1) +
                     "%)";
  if (w.echoesWithoutCarrier)
    seen += " (" + std::to_string(w.echoesWithoutCarrier) + " more sent without carrier: see link.flaps)";
  if (w.echoesAnswered)
    seen += ", RTT " + fixed(w.rttMin, 3) + "/" + fixed(w.rttAvg, 3) + "/" + fixed(w.rttMax, 3) +
            " ms min/avg/max, jitter " + fixed(w.jitterMs, 3) + " ms";
  if (lost == 0) {
    out.push_back(ok("ip.echo_loss", Layer::Ip, "no echo lost to " + gwText, seen, "no loss"));
    return;
  }
  Status st = pct >= limits.echoLossCriticalPct ? Status::Critical : Status::Warning;
  out.push_back(verdict(st, "ip.echo_loss", Layer::Ip, fixed(pct, 1) + "% of echoes to " + gwText + " lost", seen,
                        "no loss",
                        "loss on a dedicated link: errors on the link layer (see link.errors_rising), a policer or "
                        "ICMP rate limit on the path, or congestion; Alibaba asks that its health-check echoes are "
                        "not rate-limited"));
}

void judgeSessions(const Summary& w, std::vector<CheckResult>& out) {
  for (const Summary::Session& s : w.sessions) {
    std::string id = "bgp." + s.family + ".resets";
    if (s.samplesKnown == 0) continue;  // FRR did not answer: bgp.<family>.state says why
    std::string seen = std::to_string(s.resets) + " resets, not Established in " + std::to_string(s.samplesDown) +
                       " of " + std::to_string(s.samplesKnown) + " samples" +
                       (s.samplesBfdDown ? ", BFD down in " + std::to_string(s.samplesBfdDown) : "");
    if (s.resets == 0 && s.samplesDown == 0) {
      out.push_back(ok(id, Layer::Bgp, "session with " + s.peer + " held", seen, "no reset"));
      continue;
    }
    out.push_back(verdict(Status::Warning, id, Layer::Bgp,
                          "session with " + s.peer + (s.resets ? " reset " + std::to_string(s.resets) + " time(s)" : " was down") +
                              " in " + durationText(w.seconds),
                          seen, "no reset",
                          "a session that resets: look at bgp." + s.family +
                              ".state for the last reset's reason (hold timer, BFD down, prefix limit, "
                              "NOTIFICATION from the peer); a flap of the link below resets it too"));
  }
}

}  // namespace

std::vector<CheckResult> judgeWindow(const config::Link& link, const std::vector<Sample>& samples, TimePoint now,
                                     const Limits& limits) {
  std::vector<CheckResult> out;
  if (samples.size() < 2) return out;  // one reading is an instant, not a window
  Summary w = summarize(samples);
  judgeLight(w, limits, out);
  judgeFlaps(link, w, now, limits, out);
  judgeErrors(link, w, out);
  judgeFec(w, out);
  judgeEcho(link, w, limits, out);
  judgeSessions(w, out);
  return out;
}

LinkReport withWindow(LinkReport instant, std::vector<CheckResult> windowChecks) {
  std::vector<CheckResult> all = std::move(instant.checks);
  for (CheckResult& c : all) c.dependsOn.reset();
  all.insert(all.end(), std::make_move_iterator(windowChecks.begin()), std::make_move_iterator(windowChecks.end()));
  LinkReport out = finalizeLink(std::move(instant.name), std::move(instant.interface), std::move(all));
  out.proofFrom = instant.proofFrom;
  return out;
}

}  // namespace linkready::window
