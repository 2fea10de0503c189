#include "agent/check/eval_optics.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>

#include "agent/check/optics_limits.h"

namespace linkready {

namespace {

constexpr Layer L = Layer::Optics;
constexpr double kRxMarginDb = 1.0;  // within 1 dB of the IEEE sensitivity: LOW_WARNING

using optics::Media;

std::string fmt(const char* f, double v) {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string dbmText(const std::optional<double>& dbm) { return dbm ? fmt("%.2f dBm", *dbm) : "no light"; }

std::string powerText(const optics::Power& p) {
  if (p.noLight()) return "no light (0 mW, raw 0)";
  return fmt("%.2f dBm", *p.dbm()) + " (" + fmt("%.4f mW", p.mw) + ")";
}

double mwToDbm(double mw) { return mw > 0 ? 10 * std::log10(mw) : -40.0; }

Status statusOf(std::optional<LightState> s) {
  if (!s) return Status::Ok;
  switch (*s) {
    case LightState::Ok: return Status::Ok;
    case LightState::LowWarning:
    case LightState::HighWarning: return Status::Warning;
    default: return Status::Critical;
  }
}

// The limits for this link: the config's override where given, else IEEE for the order.
struct Limits {
  std::string name;  // "IEEE 10GBASE-LR" or "configured"
  std::optional<double> txMin, txMax, rxMin, rxMax;
  bool any() const { return txMin || txMax || rxMin || rxMax; }
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
  auto v = [&](double x) { return power ? fmt("%.2f", mwToDbm(x)) : fmt(unitFmt, x); };
  return "warn " + v(t.lowWarning) + ".." + v(t.highWarning) + ", alarm " + v(t.lowAlarm) + ".." + v(t.highAlarm);
}

bool isOptical(Media m) { return m == Media::SingleMode || m == Media::MultiMode || m == Media::Unknown; }

}  // namespace

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
  auto add = [&](QuantityJudgement q) {
    q.status = worse(statusOf(q.module), statusOf(q.ieee));
    out.push_back(q);
  };
  // Thresholds that are all equal or zero (cheap modules) say nothing.
  auto usable = [](const std::optional<optics::Thresholds>& t) {
    return t && !(t->highAlarm == t->lowAlarm && t->highWarning == t->lowWarning) && t->highAlarm > 0;
  };
  if (m.temperatureC) {
    QuantityJudgement q{"temperature", 0, m.temperatureC};
    if (m.temperatureThresholds) q.module = stateAgainst(*m.temperatureC, *m.temperatureThresholds);
    add(q);
  }
  if (m.vccV) {
    QuantityJudgement q{"vcc", 0, m.vccV};
    if (usable(m.vccThresholds)) q.module = stateAgainst(*m.vccV, *m.vccThresholds);
    add(q);
  }
  bool optical = isOptical(m.identity.media);
  for (const optics::Lane& lane : m.lanes) {
    if (optical && lane.rxPower) {
      QuantityJudgement q{"rx_power", lane.number, lane.rxPower->dbm()};
      if (usable(m.rxPowerThresholds)) q.module = stateAgainst(lane.rxPower->mw, *m.rxPowerThresholds);
      q.ieee = ieeeRx(lim, q.value);
      add(q);
    }
    if (optical && lane.txPower) {
      QuantityJudgement q{"tx_power", lane.number, lane.txPower->dbm()};
      if (usable(m.txPowerThresholds)) q.module = stateAgainst(lane.txPower->mw, *m.txPowerThresholds);
      q.ieee = ieeeTx(lim, q.value);
      add(q);
    }
    if (optical && lane.biasMa) {
      QuantityJudgement q{"bias", lane.number, lane.biasMa};
      if (usable(m.biasThresholds)) q.module = stateAgainst(*lane.biasMa, *m.biasThresholds);
      add(q);
    }
  }
  return out;
}

namespace {

// Does the module fit the order? Compliance codes first, media second.
void checkType(const config::Link& link, const optics::ModuleFacts& m, std::vector<CheckResult>& out) {
  const optics::Identity& id = m.identity;
  std::string seen = id.vendorName + " " + id.vendorPn + " (" + id.identifierName + ", ";
  std::string codes;
  for (const auto& c : id.compliance) codes += (codes.empty() ? "" : "/") + c;
  seen += (codes.empty() ? std::string("no Ethernet compliance code") : codes) + ", " + optics::mediaName(id.media);
  if (id.wavelengthNm) seen += fmt(", %.0f nm", *id.wavelengthNm);
  seen += ")";
  if (link.order.portType.empty()) {
    out.push_back(ok("optics.type", L, "module " + id.vendorPn + " (no port type ordered to compare)", seen, "any"));
    return;
  }
  std::string want = normalizePortType(link.order.portType);
  const PmdLimits* pmd = ieeeLimits(want);
  Media wantMedia = pmd ? pmd->media : (want.find("SR") != std::string::npos ? Media::MultiMode : Media::SingleMode);
  bool codeMatch = false;
  for (const auto& c : id.compliance)
    if (normalizePortType(c) == want) codeMatch = true;
  std::string wantText = want + " (" + optics::mediaName(wantMedia) + ")";
  if (codeMatch) {
    out.push_back(ok("optics.type", L, "module is " + want + " as ordered", seen, wantText));
    return;
  }
  if (id.media != Media::Unknown && id.media != wantMedia) {
    std::string what = id.media == Media::MultiMode ? "a multimode" : id.media == Media::Copper ? "a copper" : "an";
    out.push_back(verdict(Status::Critical, "optics.type", L,
                          what + " module (" + (codes.empty() ? optics::mediaName(id.media) : codes) + ") where " +
                              want + " " + optics::mediaName(wantMedia) + " was ordered",
                          seen, wantText,
                          "swap the transceiver for a " + want +
                              " optic: Alibaba asks for single-mode optics of the ordered type, identical on both "
                              "ends; a wrong optic gives no light or a flapping link"));
    return;
  }
  if (codes.empty()) {
    out.push_back(verdict(Status::Warning, "optics.type", L,
                          "the module declares no Ethernet compliance code; its media fits the order", seen, wantText,
                          "confirm with the vendor that " + id.vendorPn + " is a " + want + " part"));
    return;
  }
  out.push_back(verdict(Status::Critical, "optics.type", L, "a " + codes + " module where " + want + " was ordered",
                        seen, wantText,
                        "use the ordered optic type: identical optics on both ends (e.g. LX against LR does not "
                        "link reliably)"));
}

std::string lanesText(const std::vector<int>& lanes) {
  std::string s;
  for (int l : lanes) s += (s.empty() ? "" : ",") + std::to_string(l);
  return s;
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
  if (!m.readError.empty()) {
    int e = m.readErrno;
    if (e == EOPNOTSUPP)
      out.push_back(verdict(Status::Unknown, "optics.module", L, "the driver cannot read the module EEPROM",
                            m.readError, "module EEPROM readable",
                            "driver cannot read the module EEPROM: check light levels with the switch or a power "
                            "meter; a newer driver or firmware may add module support"));
    else if (e == EPERM || e == EACCES)
      out.push_back(verdict(Status::Unknown, "optics.module", L, "not allowed to read the module EEPROM",
                            m.readError, "module EEPROM readable",
                            "reading module EEPROM needs CAP_NET_ADMIN: run as root or grant the capability"));
    else if (e == ENODEV || e == ENXIO)
      out.push_back(verdict(Status::Critical, "optics.module", L, "no transceiver module detected in " + link.interface,
                            m.readError, "a " + (link.order.portType.empty() ? std::string("transceiver")
                                                                                 : link.order.portType) + " module",
                            "seat the ordered transceiver in the port (push until it clicks)"));
    else
      out.push_back(verdict(Status::Unknown, "optics.module", L, "the module EEPROM could not be read", m.readError,
                            "module EEPROM readable", "reseat the module; if it persists, the module or the cage is faulty"));
    return out;
  }
  if (!m.corrupt.empty()) {
    out.push_back(verdict(Status::Unknown, "optics.module", L, "EEPROM read looks corrupt: nothing is believed",
                          m.corrupt, "valid identifier and checksums",
                          "check again; if it persists, the driver returns shifted bytes (seen on bnxt_en) or the "
                          "module's EEPROM is damaged: reseat or replace the module"));
    return out;
  }
  out.push_back(ok("optics.module", L,
                   m.identity.identifierName + " " + m.identity.vendorName + " " + m.identity.vendorPn + " SN " +
                       m.identity.vendorSn + " (" + optics::standardName(m.standard) + ")",
                   m.identity.vendorName + " " + m.identity.vendorPn + " SN " + m.identity.vendorSn,
                   "a readable module"));
  checkType(link, m, out);

  bool optical = isOptical(m.identity.media);
  if (!optical) {
    out.push_back(ok("optics.dom", L, optics::mediaName(m.identity.media) + ": no light to measure",
                     optics::mediaName(m.identity.media), "-"));
  } else if (!m.domImplemented) {
    out.push_back(verdict(Status::Warning, "optics.dom", L, "the module has no diagnostics: light cannot be checked",
                          "no DOM (SFF-8472 byte 92 bit 6 clear)", "digital optical monitoring",
                          "use a module with DOM, or measure the light with a power meter"));
  }
  if (!m.unavailable.empty()) {
    std::string list;
    for (const auto& u : m.unavailable) list += (list.empty() ? "" : "; ") + u;
    out.push_back(verdict(Status::Warning, "optics.pages", L, "some EEPROM pages could not be read", list,
                          "every page needed", "values from those pages (thresholds, lane monitors) are missing"));
  }

  Limits lim = limitsFor(link);
  auto judgements = judgeOptics(link, m);
  // No light on every lane at once reads differently from one dark lane.
  std::vector<int> darkRx, darkTx;
  for (const auto& lane : m.lanes) {
    if (lane.rxPower && lane.rxPower->noLight()) darkRx.push_back(lane.number);
    if (lane.txPower && lane.txPower->noLight()) darkTx.push_back(lane.number);
  }
  bool allDark = optical && !darkRx.empty() && darkRx.size() == m.lanes.size();
  bool multiLane = m.lanes.size() > 1;

  for (const QuantityJudgement& q : judgements) {
    std::string prefix = q.lane ? "optics.lane" + std::to_string(q.lane) + "." : "optics.";
    std::string laneText = q.lane && multiLane ? "lane " + std::to_string(q.lane) + " " : "";
    const optics::Lane* lane = nullptr;
    for (const auto& l : m.lanes)
      if (l.number == q.lane) lane = &l;
    std::string seen, want, label, hint;
    std::string states = std::string("module ") + (q.module ? std::string(lightStateName(*q.module)) : "-") +
                         (q.ieee ? ", " + lim.name + " " + std::string(lightStateName(*q.ieee)) : "");
    if (q.quantity == "rx_power" || q.quantity == "tx_power") {
      bool rx = q.quantity == "rx_power";
      const optics::Power& p = rx ? *lane->rxPower : *lane->txPower;
      label = laneText + (rx ? "Rx" : "Tx") + " " + dbmText(q.value);
      seen = powerText(p) + (rx && m.rxPowerIsOma ? " OMA" : "");
      const auto& th = rx ? m.rxPowerThresholds : m.txPowerThresholds;
      want = th ? "module " + rangeText(*th, true, "%.2f") + " dBm" : "module: no thresholds";
      auto mn = rx ? lim.rxMin : lim.txMin;
      auto mx = rx ? lim.rxMax : lim.txMax;
      if (mn || mx)
        want += "; " + lim.name + " " + (mn ? fmt("%.1f", *mn) : std::string("-")) + ".." +
                (mx ? fmt("%+.1f", *mx) : std::string("-")) + " dBm";
      bool low = (q.module && (*q.module == LightState::LowAlarm || *q.module == LightState::LowWarning)) ||
                 (q.ieee && (*q.ieee == LightState::LowAlarm || *q.ieee == LightState::LowWarning));
      bool high = (q.module && (*q.module == LightState::HighAlarm || *q.module == LightState::HighWarning)) ||
                  (q.ieee && (*q.ieee == LightState::HighAlarm || *q.ieee == LightState::HighWarning));
      if (rx && p.noLight()) {
        hint = allDark ? "no light at all: the cross-connect is not done or is patched to the wrong port, or Tx/Rx "
                         "are swapped (roll the two strands at one end)"
                       : "lanes " + lanesText(darkRx) + " dark while others have light: a broken fibre in the "
                                                        "MPO/breakout, or a failed lane at the far end";
        if (!darkTx.empty()) hint += "; our own Tx is dark too: is the laser disabled?";
      } else if (rx && low) {
        hint = "Rx low: dirty connector or too many patches: clean and reseat every connector on the path, then ask "
               "the colo for an optical report";
      } else if (rx && high) {
        hint = "Rx high: overload, a long-reach optic on a short run: add an attenuator or use the right optic type "
               "(receiver damage from " + (ieeeLimits(link.order.portType) && ieeeLimits(link.order.portType)->damageDbm
                                               ? fmt("%+.1f dBm", *ieeeLimits(link.order.portType)->damageDbm)
                                               : std::string("about +5 dBm")) + ")";
      } else if (!rx && p.noLight()) {
        hint = "our laser sends no light: Tx disabled (ip link / ethtool), or a failed laser: replace the optic";
      } else if (!rx && low) {
        hint = "Tx low: a failing laser: replace the optic";
      } else if (!rx && high) {
        hint = "Tx high: above the ordered media's limit: check that the optic type is the ordered one";
      }
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
    std::string id = prefix + q.quantity;
    std::string summary = label + ": " + states;
    if (q.status == Status::Ok) out.push_back(ok(id, L, summary, seen, want));
    else out.push_back(verdict(q.status, id, L, summary, seen, want, hint));
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
