#include "agent/check/eval_optics.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>

#include "agent/check/eval_optics_module.h"
#include "agent/check/optics_limits.h"

namespace linkready {

using optics_verdicts::fmt;
using optics_verdicts::isOptical;
using optics_verdicts::lanesText;

namespace {

constexpr Layer L = Layer::Optics;
constexpr double kRxMarginDb = 1.0;     // within 1 dB of the IEEE sensitivity: LOW_WARNING
constexpr double kNoLightDbm = -30.0;   // below every receiver's LOS threshold: no light, not weak light
constexpr double kWeakUnjudgedDbm = -20.0;  // below the sensitivity of the ER/ZR class: weak whatever the media

using optics::Media;

std::string valueDbm(const std::optional<double>& dbm) { return dbm ? fmt("%.2f dBm", *dbm) : "no light"; }

std::string powerText(const optics::Power& p) {
  if (p.noLight()) return "no light (0 mW, raw " + std::to_string(p.raw) + ")";
  return fmt("%.2f dBm", *p.dbm()) + " (" + fmt("%.4f mW", p.mw) + ", raw " + std::to_string(p.raw) + ")";
}

Status statusOf(std::optional<LightState> s) {
  if (!s) return Status::Ok;
  switch (*s) {
    case LightState::Ok: return Status::Ok;
    case LightState::LowWarning:
    case LightState::HighWarning: return Status::Warning;
    default: return Status::Critical;
  }
}

bool isLow(std::optional<LightState> s) { return s && (*s == LightState::LowAlarm || *s == LightState::LowWarning); }
bool isHigh(std::optional<LightState> s) { return s && (*s == LightState::HighAlarm || *s == LightState::HighWarning); }

// The limits for this link: the config's override where given, else IEEE for the order.
struct Limits {
  std::string name;  // "IEEE 10GBASE-LR" or "configured limits"
  std::optional<double> txMin, txMax, rxMin, rxMax;
};

Limits limitsFor(const config::Link& link) {
  Limits l;
  if (const PmdLimits* p = ieeeLimits(link.order.portType)) {
    l.name = std::string("IEEE ") + p->pmd + (p->verified ? "" : " (table value not re-checked)");
    l.txMin = p->txMinDbm, l.txMax = p->txMaxDbm, l.rxMin = p->rxMinDbm, l.rxMax = p->rxMaxDbm;
  }
  const config::OpticsLimits& o = link.optics;
  if (o.rxMinDbm || o.rxMaxDbm || o.txMinDbm || o.txMaxDbm) {
    l.name = "configured limits";
    if (o.rxMinDbm) l.rxMin = o.rxMinDbm;
    if (o.rxMaxDbm) l.rxMax = o.rxMaxDbm;
    if (o.txMinDbm) l.txMin = o.txMinDbm;
    if (o.txMaxDbm) l.txMax = o.txMaxDbm;
  }
  return l;
}

std::optional<LightState> ieeeRx(const Limits& l, const std::optional<double>& dbm) {
  if (!l.rxMin && !l.rxMax) return std::nullopt;
  if (!dbm) return LightState::LowAlarm;
  if (l.rxMax && *dbm > *l.rxMax) return LightState::HighAlarm;
  if (l.rxMin && *dbm < *l.rxMin) return LightState::LowAlarm;
  if (l.rxMin && *dbm < *l.rxMin + kRxMarginDb) return LightState::LowWarning;
  return LightState::Ok;
}

std::optional<LightState> ieeeTx(const Limits& l, const std::optional<double>& dbm) {
  if (!l.txMin && !l.txMax) return std::nullopt;
  if (!dbm) return LightState::LowAlarm;
  if (l.txMax && *dbm > *l.txMax) return LightState::HighWarning;
  if (l.txMin && *dbm < *l.txMin) return LightState::LowWarning;
  return LightState::Ok;
}

std::string rangeText(const optics::Thresholds& t, bool power, const char* unitFmt) {
  auto v = [&](double x) { return power ? dbmText(x) : fmt(unitFmt, x); };
  return "warn " + v(t.lowWarning) + ".." + v(t.highWarning) + ", alarm " + v(t.lowAlarm) + ".." + v(t.highAlarm);
}

// Thresholds that are all equal or zero (cheap modules) say nothing.
bool usable(const std::optional<optics::Thresholds>& t) {
  return t && !(t->highAlarm == t->lowAlarm && t->highWarning == t->lowWarning) && t->highAlarm > 0;
}

QuantityJudgement judged(QuantityJudgement q) {
  q.status = q.lightExpected ? worse(statusOf(q.module), statusOf(q.ieee)) : Status::Ok;
  return q;
}

// Rx light: the module's LOS flag with low power, raw 0 or below any receiver is no light.
QuantityJudgement judgeRx(const optics::ModuleFacts& m, const optics::Lane& lane, const Limits& lim) {
  QuantityJudgement q{"rx_power", lane.number, lane.rxPower->dbm()};
  q.lightExpected = lane.carriesLight;
  if (usable(m.rxPowerThresholds)) q.module = stateAgainst(lane.rxPower->mw, *m.rxPowerThresholds);
  q.ieee = ieeeRx(lim, q.value);
  // With nothing to judge the level against (no usable module thresholds, no IEEE row for
  // the order), a LOS flag means no light only for a level no receiver works at: SFF-8636's
  // and CMIS's LOS flags are latched, so a flap long over would otherwise read as "no light"
  // beside -3 dBm.
  bool weak = isLow(q.module) || isLow(q.ieee) || (!q.module && !q.ieee && (!q.value || *q.value < kWeakUnjudgedDbm));
  q.noLight = lane.rxPower->noLight() || (q.value && *q.value < kNoLightDbm) || (lane.rxLos && weak);
  if (q.noLight) q.module = LightState::LowAlarm;
  q.losLatched = lane.rxLos && !q.noLight;
  if (q.losLatched && statusOf(q.module) == Status::Ok) q.module = LightState::LowWarning;
  return judged(q);
}

}  // namespace

std::string dbmText(double mw) {
  auto d = optics::mwToDbm(mw);
  return d ? fmt("%.2f", *d) : "0 mW";
}

std::string_view lightStateName(LightState s) {
  switch (s) {
    case LightState::Ok: return "OK";
    case LightState::LowWarning: return "LOW_WARNING";
    case LightState::HighWarning: return "HIGH_WARNING";
    case LightState::LowAlarm: return "LOW_ALARM";
    case LightState::HighAlarm: return "HIGH_ALARM";
  }
  return "OK";
}

LightState stateAgainst(double v, const optics::Thresholds& t) {
  if (v > t.highAlarm) return LightState::HighAlarm;
  if (v < t.lowAlarm) return LightState::LowAlarm;
  if (v > t.highWarning) return LightState::HighWarning;
  if (v < t.lowWarning) return LightState::LowWarning;
  return LightState::Ok;
}

std::vector<QuantityJudgement> judgeOptics(const config::Link& link, const optics::ModuleFacts& m) {
  std::vector<QuantityJudgement> out;
  Limits lim = limitsFor(link);
  if (m.temperatureC) {
    QuantityJudgement q{"temperature", 0, m.temperatureC};
    if (usable(m.temperatureThresholds)) q.module = stateAgainst(*m.temperatureC, *m.temperatureThresholds);
    out.push_back(judged(q));
  }
  if (m.vccV) {
    QuantityJudgement q{"vcc", 0, m.vccV};
    if (usable(m.vccThresholds)) q.module = stateAgainst(*m.vccV, *m.vccThresholds);
    out.push_back(judged(q));
  }
  if (!isOptical(m.identity.media)) return out;
  for (const optics::Lane& lane : m.lanes) {
    if (lane.rxPower) out.push_back(judgeRx(m, lane, lim));
    if (lane.txPower) {
      QuantityJudgement q{"tx_power", lane.number, lane.txPower->dbm()};
      q.lightExpected = lane.carriesLight;
      if (usable(m.txPowerThresholds)) q.module = stateAgainst(lane.txPower->mw, *m.txPowerThresholds);
      q.ieee = ieeeTx(lim, q.value);
      out.push_back(judged(q));
    }
    if (lane.biasMa) {
      QuantityJudgement q{"bias", lane.number, lane.biasMa};
      q.lightExpected = lane.carriesLight;
      if (usable(m.biasThresholds)) q.module = stateAgainst(*lane.biasMa, *m.biasThresholds);
      out.push_back(judged(q));
    }
  }
  return out;
}

// ---- the verdicts, one concern a function ------------------------------------------

namespace {

struct LaneContext {
  const config::Link& link;
  const optics::ModuleFacts& m;
  Limits lim;
  std::vector<int> darkRx, darkTx;
  bool allDark = false;
};

LaneContext laneContext(const config::Link& link, const optics::ModuleFacts& m,
                        const std::vector<QuantityJudgement>& js) {
  LaneContext c{link, m, limitsFor(link)};
  size_t rxJudged = 0;
  for (const auto& q : js) {
    if (!q.lightExpected || !q.lane) continue;
    if (q.quantity == "rx_power") ++rxJudged;
    if (q.quantity == "rx_power" && q.noLight) c.darkRx.push_back(q.lane);
    if (q.quantity == "tx_power" && !q.value) c.darkTx.push_back(q.lane);
  }
  c.allDark = !c.darkRx.empty() && c.darkRx.size() == rxJudged;
  return c;
}

std::string rxHint(const LaneContext& c, const QuantityJudgement& q) {
  if (q.noLight) {
    std::string h = c.allDark ? "no light at all: the cross-connect is not done or is patched to the wrong port, or "
                                "Tx/Rx are swapped (roll the two strands at one end)"
                              : "lanes " + lanesText(c.darkRx) + " dark while others have light: a broken fibre in "
                                "the MPO/breakout, or a failed lane at the far end";
    if (!c.darkTx.empty()) h += "; our own Tx is dark too: is the laser disabled?";
    return h;
  }
  if (q.losLatched)
    return "the module latched loss of signal since the last read while the light is back now: the signal dropped "
           "(a flap, a moved patch cord); watch for repeats and check the path's connectors";
  if (isLow(q.module) || isLow(q.ieee))
    return "Rx low: dirty connector or too many patches: clean and reseat every connector on the path, then ask the "
           "colo for an optical report";
  if (isHigh(q.module) || isHigh(q.ieee)) {
    const PmdLimits* p = ieeeLimits(c.link.order.portType);
    return "Rx high: overload, a long-reach optic on a short run: add an attenuator or use the right optic type "
           "(receiver damage from " + (p && p->damageDbm ? fmt("%+.1f dBm", *p->damageDbm) : std::string("about +5 dBm")) + ")";
  }
  return "";
}

std::string txHint(const QuantityJudgement& q) {
  if (!q.value) return "our laser sends no light: Tx disabled (ip link / ethtool), or a failed laser: replace the optic";
  if (isLow(q.module) || isLow(q.ieee)) return "Tx low: a failing laser: replace the optic";
  if (isHigh(q.module) || isHigh(q.ieee)) return "Tx high: above the ordered media's limit: check that the optic type is the ordered one";
  return "";
}

// One verdict per judged quantity: what was seen, against what, and what to do.
CheckResult quantityVerdict(const LaneContext& c, const QuantityJudgement& q) {
  const optics::ModuleFacts& m = c.m;
  bool multiLane = m.lanes.size() > 1;
  std::string laneText = q.lane && multiLane ? "lane " + std::to_string(q.lane) + " " : "";
  const optics::Lane* lane = nullptr;
  for (const auto& l : m.lanes)
    if (l.number == q.lane) lane = &l;
  std::string seen, want, label, hint;
  std::string states = std::string("module ") + (q.module ? std::string(lightStateName(*q.module)) : "-") +
                       (q.ieee ? ", " + c.lim.name + " " + std::string(lightStateName(*q.ieee)) : "") +
                       (q.losLatched ? " (Rx LOS latched)" : q.noLight && lane && lane->rxLos ? " (Rx LOS)" : "");
  if (q.quantity == "rx_power" || q.quantity == "tx_power") {
    bool rx = q.quantity == "rx_power";
    const optics::Power& p = rx ? *lane->rxPower : *lane->txPower;
    label = laneText + (rx ? "Rx" : "Tx") + " " + (rx && q.noLight ? std::string("no light") : valueDbm(q.value));
    seen = powerText(p) + (rx && m.rxPowerIsOma ? " OMA" : "") + (rx && lane->rxLos ? ", module Rx LOS set" : "");
    const auto& th = rx ? m.rxPowerThresholds : m.txPowerThresholds;
    want = th ? "module " + rangeText(*th, true, "%.2f") + " dBm" : "module: no thresholds";
    auto mn = rx ? c.lim.rxMin : c.lim.txMin;
    auto mx = rx ? c.lim.rxMax : c.lim.txMax;
    if (mn || mx)
      want += "; " + c.lim.name + " " + (mn ? fmt("%.1f", *mn) : std::string("-")) + ".." +
              (mx ? fmt("%+.1f", *mx) : std::string("-")) + " dBm";
    hint = rx ? rxHint(c, q) : txHint(q);
  } else if (q.quantity == "bias") {
    label = laneText + "Tx bias " + fmt("%.3f mA", *q.value);
    seen = fmt("%.3f mA", *q.value);
    want = m.biasThresholds ? "module " + rangeText(*m.biasThresholds, false, "%.1f") + " mA" : "module: no thresholds";
    hint = "laser bias out of range: the laser is ageing or failing: replace the optic";
  } else if (q.quantity == "temperature") {
    label = "temperature " + fmt("%.2f degC", *q.value);
    seen = fmt("%.2f degC", *q.value);
    want = m.temperatureThresholds ? "module " + rangeText(*m.temperatureThresholds, false, "%.1f") + " degC"
                                   : "module: no thresholds";
    hint = "module temperature out of range: check airflow and fans; a hot optic fails early";
  } else {
    label = "supply " + fmt("%.4f V", *q.value);
    seen = fmt("%.4f V", *q.value);
    want = m.vccThresholds ? "module " + rangeText(*m.vccThresholds, false, "%.3f") + " V" : "module: no thresholds";
    hint = "supply voltage out of range: reseat the module; check the NIC cage";
  }
  std::string id = (q.lane ? "optics.lane" + std::to_string(q.lane) + "." : "optics.") + q.quantity;
  std::string summary = label + ": " + states;
  if (q.status == Status::Ok) return ok(id, L, summary, seen, want);
  return verdict(q.status, id, L, summary, seen, want, hint);
}

}  // namespace

std::vector<CheckResult> evaluateOptics(const config::Link& link, const optics::OpticsFacts& f) {
  std::vector<CheckResult> out;
  if (!link.optics.check || !f.probed) return out;
  if (!f.applicable) {
    out.push_back(ok("optics.module", L, "no transceiver: " + f.notApplicableWhy, f.notApplicableWhy,
                     "a module, on physical ports"));
    return out;
  }
  const optics::ModuleFacts& m = f.module;
  using namespace optics_verdicts;
  if (auto v = readVerdict(link, m)) return {*v};
  out.push_back(moduleVerdict(m));
  out.push_back(typeVerdict(link, m));
  if (auto v = moduleStateVerdict(m)) out.push_back(*v);
  for (auto& v : dataPathVerdicts(m)) out.push_back(std::move(v));
  if (auto v = diagnosticsVerdict(m)) out.push_back(*v);
  auto judgements = judgeOptics(link, m);
  LaneContext c = laneContext(link, m, judgements);
  for (const QuantityJudgement& q : judgements)
    if (q.lightExpected) out.push_back(quantityVerdict(c, q));
  // The module's own transmitter fault flag (SFF-8472 A2h 110 bit 2, SFF-8636 byte 4, CMIS
  // page 11h byte 135): a laser or its driver failed. Latched in SFF-8636 and CMIS: with
  // light leaving the lane now, it failed since the last read and came back.
  for (const optics::Lane& lane : m.lanes) {
    if (!lane.txFault || !lane.carriesLight) continue;
    bool lightNow = lane.txPower && !lane.txPower->noLight();
    std::string laneText = m.lanes.size() > 1 ? "lane " + std::to_string(lane.number) + ": " : "";
    std::string serial = m.identity.vendorSn.empty() ? "" : " (serial " + m.identity.vendorSn + ")";
    out.push_back(verdict(lightNow ? Status::Warning : Status::Critical,
                          "optics.lane" + std::to_string(lane.number) + ".tx_fault", L,
                          laneText + (lightNow ? "the module reported a transmitter fault, light leaves it now"
                                               : "the module reports a transmitter fault"),
                          "Tx fault flag set" + (lane.txPower ? ", Tx " + powerText(*lane.txPower) : std::string()),
                          "no Tx fault",
                          lightNow ? "the laser failed for a moment since the last read: watch for repeats; a module that "
                                     "does it again is failing: replace it" + serial
                                   : "the module's laser or its driver failed: reseat the optic once, then replace it" +
                                         serial));
  }
  return out;
}

}  // namespace linkready

namespace linkready {

namespace {

// Same test as judgeOptics: thresholds all equal or zero (cheap modules) say nothing.
bool usableThresholds(const std::optional<optics::Thresholds>& t) {
  return t && !(t->highAlarm == t->lowAlarm && t->highWarning == t->lowWarning) && t->highAlarm > 0;
}

// The tighter of two bounds on one side (nullopt = none).
std::optional<double> tighter(std::optional<double> a, std::optional<double> b, bool low) {
  if (!a) return b;
  if (!b) return a;
  return low ? std::max(*a, *b) : std::min(*a, *b);
}

std::optional<double> dbmOf(double mw) { return mw > 0 ? std::optional<double>(10 * std::log10(mw)) : std::nullopt; }

PowerBand moduleBand(const std::optional<optics::Thresholds>& t) {
  PowerBand b;
  if (!usableThresholds(t)) return b;
  b.warnLow = dbmOf(t->lowWarning), b.warnHigh = dbmOf(t->highWarning);
  b.critLow = dbmOf(t->lowAlarm), b.critHigh = dbmOf(t->highAlarm);
  return b;
}

}  // namespace

PowerBand rxPowerBand(const config::Link& link, const optics::ModuleFacts& m) {
  PowerBand b = moduleBand(m.rxPowerThresholds);
  Limits lim = limitsFor(link);
  // ieeeRx: below the minimum or above the maximum is an alarm, within kRxMarginDb of the minimum a warning.
  std::optional<double> warnLow = lim.rxMin ? std::optional<double>(*lim.rxMin + kRxMarginDb) : std::nullopt;
  b.warnLow = tighter(b.warnLow, warnLow, true);
  b.warnHigh = tighter(b.warnHigh, lim.rxMax, false);
  b.critLow = tighter(b.critLow, lim.rxMin, true);
  b.critHigh = tighter(b.critHigh, lim.rxMax, false);
  return b;
}

PowerBand txPowerBand(const config::Link& link, const optics::ModuleFacts& m) {
  PowerBand b = moduleBand(m.txPowerThresholds);
  Limits lim = limitsFor(link);
  // ieeeTx: outside the limits is a warning only (the far end's Rx decides).
  b.warnLow = tighter(b.warnLow, lim.txMin, true);
  b.warnHigh = tighter(b.warnHigh, lim.txMax, false);
  return b;
}

}  // namespace linkready
