#include "agent/check/eval_optics.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "agent/check/optics_limits.h"

namespace linkready {

namespace {

constexpr Layer L = Layer::Optics;
constexpr double kRxMarginDb = 1.0;     // within 1 dB of the IEEE sensitivity: LOW_WARNING
constexpr double kNoLightDbm = -30.0;   // below every receiver's LOS threshold: no light, not weak light

using optics::Media;

std::string fmt(const char* f, double v) {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string valueDbm(const std::optional<double>& dbm) { return dbm ? fmt("%.2f dBm", *dbm) : "no light"; }

std::string powerText(const optics::Power& p) {
  if (p.noLight()) return "no light (0 mW, raw 0)";
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

bool isOptical(Media m) { return m == Media::SingleMode || m == Media::MultiMode || m == Media::Unknown; }

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
  bool weak = isLow(q.module) || isLow(q.ieee) || (!q.module && !q.ieee);
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
    if (m.temperatureThresholds) q.module = stateAgainst(*m.temperatureC, *m.temperatureThresholds);
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

// The module could not be read, or what was read is not believed.
std::optional<CheckResult> readVerdict(const config::Link& link, const optics::ModuleFacts& m) {
  if (!m.readError.empty()) {
    int e = m.readErrno;
    if (e == EOPNOTSUPP)
      return verdict(Status::Unknown, "optics.module", L, "the driver cannot read the module EEPROM", m.readError,
                     "module EEPROM readable",
                     "driver cannot read the module EEPROM: check light levels with the switch or a power meter; a "
                     "newer driver or firmware may add module support");
    if (e == EPERM || e == EACCES)
      return verdict(Status::Unknown, "optics.module", L, "not allowed to read the module EEPROM", m.readError,
                     "module EEPROM readable",
                     "reading module EEPROM needs CAP_NET_ADMIN: run as root or grant the capability");
    if (e == ENODEV || e == ENXIO)
      return verdict(Status::Critical, "optics.module", L, "no transceiver module detected in " + link.interface,
                     m.readError,
                     "a " + (link.order.portType.empty() ? std::string("transceiver") : link.order.portType) + " module",
                     "seat the ordered transceiver in the port (push until it clicks)");
    return verdict(Status::Unknown, "optics.module", L, "the module EEPROM could not be read", m.readError,
                   "module EEPROM readable", "reseat the module; if it persists, the module or the cage is faulty");
  }
  if (!m.corrupt.empty())
    return verdict(Status::Unknown, "optics.module", L, "EEPROM read looks corrupt: nothing is believed", m.corrupt,
                   "valid identifier and checksums",
                   "check again; if it persists, the driver returns shifted bytes (seen on bnxt_en) or the module's "
                   "EEPROM is damaged: reseat or replace the module");
  return std::nullopt;
}

CheckResult moduleVerdict(const optics::ModuleFacts& m) {
  const optics::Identity& id = m.identity;
  return ok("optics.module", L,
            id.identifierName + " " + id.vendorName + " " + id.vendorPn + " SN " + id.vendorSn + " (" +
                optics::standardName(m.standard) + ")",
            id.vendorName + " " + id.vendorPn + " SN " + id.vendorSn, "a readable module");
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// "100GBASE-FR1 or 400GBASE-DR4-2 (CAUI-4, no host FEC)" names the PMDs it lists.
bool namesPmd(const std::string& compliance, const std::string& want) {
  std::string c = compliance.substr(0, compliance.find(" ("));
  size_t pos = 0;
  while (pos <= c.size()) {
    size_t next = c.find(" or ", pos);
    if (normalizePortType(c.substr(pos, next == std::string::npos ? std::string::npos : next - pos)) == want) return true;
    if (next == std::string::npos) break;
    pos = next + 4;
  }
  return false;
}

// The applications the host runs on a CMIS module (media interface per data path).
std::vector<std::string> activeMedia(const optics::ModuleFacts& m) {
  std::vector<std::string> out;
  for (const auto& dp : m.dataPaths)
    if (!dp.mediaInterface.empty() && std::find(out.begin(), out.end(), dp.mediaInterface) == out.end())
      out.push_back(dp.mediaInterface);
  return out;
}

// Does the module fit the order? Compliance codes (for CMIS: the applications the host
// runs first, then those the module could run), media second.
CheckResult typeVerdict(const config::Link& link, const optics::ModuleFacts& m) {
  const optics::Identity& id = m.identity;
  std::string codes = joined(id.compliance, "/");
  std::string seen = id.vendorName + " " + id.vendorPn + " (" + id.identifierName + ", " +
                     (codes.empty() ? std::string("no Ethernet compliance code") : codes) + ", " +
                     optics::mediaName(id.media) + (id.wavelengthNm ? fmt(", %.0f nm", *id.wavelengthNm) : "") + ")";
  auto running = activeMedia(m);
  if (!running.empty()) seen += "; running " + joined(running, " + ");
  if (link.order.portType.empty())
    return ok("optics.type", L, "module " + id.vendorPn + " (no port type ordered to compare)", seen, "any");
  std::string want = normalizePortType(link.order.portType);
  const PmdLimits* pmd = ieeeLimits(want);
  Media wantMedia = pmd ? pmd->media : (want.find("SR") != std::string::npos ? Media::MultiMode : Media::SingleMode);
  std::string wantText = want + " (" + optics::mediaName(wantMedia) + ")";
  auto anyNames = [&](const std::vector<std::string>& v) {
    for (const auto& c : v)
      if (namesPmd(c, want)) return true;
    return false;
  };
  if (!running.empty() && anyNames(running)) return ok("optics.type", L, "module runs " + want + " as ordered", seen, wantText);
  if (!running.empty() && anyNames(id.compliance))
    return verdict(Status::Warning, "optics.type", L,
                   "the module can run " + want + " but the host configured " + joined(running, " + "), seen, wantText,
                   "configure the port for the " + want + " application (the host's port speed/breakout mode "
                   "selects it); both ends must run the same application");
  if (running.empty() && anyNames(id.compliance)) return ok("optics.type", L, "module is " + want + " as ordered", seen, wantText);
  if (id.media != Media::Unknown && id.media != wantMedia) {
    std::string what = id.media == Media::MultiMode ? "a multimode" : id.media == Media::Copper ? "a copper" : "an";
    return verdict(Status::Critical, "optics.type", L,
                   what + " module (" + (codes.empty() ? optics::mediaName(id.media) : codes) + ") where " + want + " " +
                       optics::mediaName(wantMedia) + " was ordered",
                   seen, wantText,
                   "swap the transceiver for a " + want +
                       " optic: Alibaba asks for single-mode optics of the ordered type, identical on both ends; a "
                       "wrong optic gives no light or a flapping link");
  }
  if (codes.empty())
    return verdict(Status::Warning, "optics.type", L,
                   "the module declares no Ethernet compliance code; its media fits the order", seen, wantText,
                   "confirm with the vendor that " + id.vendorPn + " is a " + want + " part");
  return verdict(Status::Critical, "optics.type", L,
                 "a " + (running.empty() ? codes : joined(running, " + ")) + " module where " + want + " was ordered",
                 seen, wantText,
                 "use the ordered optic type: identical optics on both ends (e.g. LX against LR does not link reliably)");
}

// CMIS: the module must be in ModuleReady before any lane can carry light.
std::optional<CheckResult> moduleStateVerdict(const optics::ModuleFacts& m) {
  if (!m.moduleState) return std::nullopt;
  std::string name = optics::moduleStateName(*m.moduleState);
  std::string seen = name + " (CMIS lower page byte 3)";
  switch (*m.moduleState) {
    case optics::ModuleState::Ready: return ok("optics.module_state", L, "module is " + name, seen, "ModuleReady");
    case optics::ModuleState::LowPower:
      return verdict(Status::Critical, "optics.module_state", L,
                     "module held in low power (" + name + "): the host has not enabled it", seen, "ModuleReady",
                     "the host keeps the module in low power: bring the port up (ip link set IFACE up / no shutdown); "
                     "if it stays there, the host does not allow the module's power class or the LPMode pin is "
                     "held: check the platform's optics configuration");
    case optics::ModuleState::Fault:
      return verdict(Status::Critical, "optics.module_state", L, "module reports a fault (" + name + ")", seen,
                     "ModuleReady", "reseat the module; if the fault stays, replace it (module fault: power or "
                     "internal failure)");
    default:
      return verdict(Status::Warning, "optics.module_state", L, "module is changing state (" + name + ")", seen,
                     "ModuleReady", "the module is powering up or down: check again in a few seconds");
  }
}

std::string lanesText(const std::vector<int>& lanes) {
  if (lanes.empty()) return "-";
  bool run = true;
  for (size_t i = 1; i < lanes.size(); ++i) run = run && lanes[i] == lanes[i - 1] + 1;
  if (run && lanes.size() > 1) return std::to_string(lanes.front()) + "-" + std::to_string(lanes.back());
  std::string s;
  for (int l : lanes) s += (s.empty() ? "" : ",") + std::to_string(l);
  return s;
}

// CMIS: every data path the host configured, with its own application and state.
std::vector<CheckResult> dataPathVerdicts(const optics::ModuleFacts& m) {
  std::vector<CheckResult> out;
  if (m.standard != optics::Standard::Cmis || m.flatMemory || !m.moduleState) return out;
  bool p11 = std::find(m.missingPages.begin(), m.missingPages.end(), "11h") == m.missingPages.end();
  if (m.dataPaths.empty() && p11)
    out.push_back(verdict(Status::Critical, "optics.datapath", L, "no data path configured on the module",
                          "page 11h active control set: no host lane has an application", "a configured data path",
                          "the host has not configured the module: bring the port up and check its speed/breakout "
                          "setting"));
  for (size_t i = 0; i < m.dataPaths.size(); ++i) {
    const optics::DataPath& dp = m.dataPaths[i];
    std::string id = "optics.datapath" + std::to_string(i + 1);
    std::string app = "AppSel " + std::to_string(dp.appSel) + " " +
                      (dp.hostInterface.empty() ? std::string("?") : dp.hostInterface) + " / " +
                      (dp.mediaInterface.empty() ? std::string("?") : dp.mediaInterface);
    std::string name = optics::dataPathStateName(dp.state);
    std::string what = "data path " + std::to_string(i + 1) + " (host lanes " + lanesText(dp.hostLanes) +
                       ", media lanes " + lanesText(dp.mediaLanes) + ", " + app + ")";
    std::string seen = name + ", " + app;
    if (dp.activated()) out.push_back(ok(id, L, what + ": " + name, seen, "DPActivated"));
    else if (dp.state == optics::DataPathState::Deactivated || dp.state == optics::DataPathState::Initialized)
      out.push_back(verdict(Status::Critical, id, L, what + ": " + name + ", the host has not enabled it", seen,
                            "DPActivated",
                            "the host has not enabled this data path: bring the port (or its breakout port) up; no "
                            "light is sent or expected on media lanes " + lanesText(dp.mediaLanes) + " until it is"));
    else
      out.push_back(verdict(Status::Warning, id, L, what + ": " + name, seen, "DPActivated",
                            "the data path is changing state: check again in a few seconds; if it stays, reseat "
                            "the module"));
  }
  return out;
}

// Diagnostics the module has, or pages a dump lacks.
std::optional<CheckResult> diagnosticsVerdict(const optics::ModuleFacts& m) {
  if (!isOptical(m.identity.media))
    return ok("optics.dom", L, optics::mediaName(m.identity.media) + ": no light to measure",
              optics::mediaName(m.identity.media), "-");
  if (!m.missingPages.empty()) {
    std::string pages = joined(m.missingPages, ", ");
    return verdict(Status::Warning, "optics.pages", L, "pages " + pages + " are missing: light cannot be checked fully",
                   "not in the image: " + pages + (m.unavailable.empty() ? "" : "; " + joined(m.unavailable, "; ")),
                   "every page the module has (" + optics::standardName(m.standard) + ")",
                   "read the module live (linkready optics IFACE), or save a dump with those pages (--save); "
                   "thresholds and lane monitors live there");
  }
  if (!m.unavailable.empty())
    return verdict(Status::Warning, "optics.pages", L, "some EEPROM pages could not be read", joined(m.unavailable, "; "),
                   "every page needed", "values from those pages (thresholds, lane monitors) are missing");
  if (!m.domImplemented) {
    std::string why = m.standard == optics::Standard::Cmis ? "no lane monitors (CMIS page 01h byte 160 bits 2-0 clear)"
                                                            : "no DOM (SFF-8472 A0h byte 92 bit 6 clear)";
    return verdict(Status::Warning, "optics.dom", L, "the module has no diagnostics: light cannot be checked", why,
                   "digital optical monitoring", "use a module with DOM, or measure the light with a power meter");
  }
  return std::nullopt;
}

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
                       (q.ieee ? ", " + c.lim.name + " " + std::string(lightStateName(*q.ieee)) : "");
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
  return out;
}

}  // namespace linkready
