#include "agent/render/optics_view.h"

#include <cstdio>
#include <sstream>

#include "agent/check/optics_limits.h"
#include "agent/render/render.h"

namespace linkready {

namespace {

std::string fmt(const char* f, double v) {
  char b[40];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

const QuantityJudgement* find(const std::vector<QuantityJudgement>& js, const std::string& q, int lane) {
  for (const auto& j : js)
    if (j.quantity == q && j.lane == lane) return &j;
  return nullptr;
}

std::string state(const QuantityJudgement* j, bool ieee) {
  if (!j || !j->lightExpected) return "-";
  auto s = ieee ? j->ieee : j->module;
  return s ? std::string(lightStateName(*s)) : "-";
}

nlohmann::json stateJson(const QuantityJudgement* j, bool ieee) {
  std::string s = state(j, ieee);
  return s == "-" ? nlohmann::json(nullptr) : nlohmann::json(s);
}

std::string pad(std::string s, size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}

template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json thresholdsJson(const std::optional<optics::Thresholds>& t, bool power) {
  if (!t) return nullptr;
  auto v = [&](double x) -> nlohmann::json {
    if (!power) return x;
    return {{"mw", x}, {"dbm", opt(optics::mwToDbm(x))}};
  };
  return {{"high_alarm", v(t->highAlarm)}, {"low_alarm", v(t->lowAlarm)},
          {"high_warning", v(t->highWarning)}, {"low_warning", v(t->lowWarning)}};
}

nlohmann::json flagsJson(const optics::Flags& f) {
  return {{"high_alarm", f.highAlarm}, {"low_alarm", f.lowAlarm}, {"high_warning", f.highWarning},
          {"low_warning", f.lowWarning}};
}

nlohmann::json powerJson(const std::optional<optics::Power>& p) {
  if (!p) return nullptr;
  return {{"raw", p->raw}, {"mw", p->mw}, {"dbm", opt(p->dbm())}, {"no_light", p->noLight()}};
}

std::string lanesText(const std::vector<int>& lanes) {
  std::string s;
  for (int l : lanes) s += (s.empty() ? "" : ",") + std::to_string(l);
  return s.empty() ? "-" : s;
}

std::string dataPathText(const optics::DataPath& dp) {
  return optics::dataPathStateName(dp.state) + ": AppSel " + std::to_string(dp.appSel) + " " +
         (dp.hostInterface.empty() ? "?" : dp.hostInterface) + " / " + (dp.mediaInterface.empty() ? "?" : dp.mediaInterface) +
         ", host lanes " + lanesText(dp.hostLanes) + ", media lanes " + lanesText(dp.mediaLanes);
}

std::vector<CheckResult> verdictsOf(const config::Link& link, const optics::ModuleFacts& m) {
  optics::OpticsFacts f;
  f.probed = true;
  f.module = m;
  config::Link l = link;
  l.optics.check = true;  // `optics` is asked for the module: always judge it
  return evaluateOptics(l, f);
}

void identityRows(std::ostringstream& o, const config::Link& link, const optics::ModuleFacts& m) {
  const auto& id = m.identity;
  auto row = [&](const std::string& k, const std::string& v) { o << "  " << pad(k, 22) << v << "\n"; };
  row("Identifier", id.identifierName + " (" + optics::standardName(m.standard) + ")");
  row("Vendor", id.vendorName + "  OUI " + id.vendorOui);
  row("Part number", id.vendorPn + "  rev " + id.vendorRev);
  row("Serial number", id.vendorSn + "  date " + id.dateCode);
  row("Connector", id.connectorName);
  std::string codes;
  for (const auto& c : id.compliance) codes += (codes.empty() ? "" : ", ") + c;
  row("Compliance", codes.empty() ? "-" : codes);
  row("Media", optics::mediaName(id.media));
  if (id.wavelengthNm) row("Wavelength", fmt("%.2f nm", *id.wavelengthNm));
  if (id.nominalRateMbps) row("Nominal rate", std::to_string(*id.nominalRateMbps) + " Mb/s");
  if (id.reachSmfKm) row("Reach (SMF)", fmt("%g km", *id.reachSmfKm));
  if (id.reachMmfM) row("Reach (MMF)", std::to_string(*id.reachMmfM) + " m");
  row("Diagnostics", !m.domImplemented ? "not implemented"
                                       : std::string(m.externalCalibration ? "externally" : "internally") +
                                             " calibrated, Rx " + (m.rxPowerIsOma ? "OMA" : "average power"));
  if (m.moduleState) row("Module state", optics::moduleStateName(*m.moduleState));
  for (size_t i = 0; i < m.dataPaths.size(); ++i) row("Data path " + std::to_string(i + 1), dataPathText(m.dataPaths[i]));
  row("Ordered", link.order.portType.empty() ? "-" : normalizePortType(link.order.portType));
  if (!m.missingPages.empty()) {
    std::string pages;
    for (const auto& p : m.missingPages) pages += (pages.empty() ? "" : ", ") + p;
    row("Missing pages", pages);
  }
  for (const auto& u : m.unavailable) row("Unavailable", u);
}

void laneTable(std::ostringstream& o, const config::Link& link, const optics::ModuleFacts& m) {
  auto js = judgeOptics(link, m);
  const PmdLimits* pmd = ieeeLimits(link.order.portType);
  o << "\n  " << pad("", 14) << pad("value", 22) << pad("module thresholds (warn / alarm)", 34) << pad("module", 13)
    << pad("IEEE " + (pmd ? std::string(pmd->pmd) : std::string("-")), 15) << "\n";
  auto th = [&](const std::optional<optics::Thresholds>& t, bool power, const char* f) {
    if (!t) return std::string("-");
    auto v = [&](double x) { return power ? dbmText(x) : fmt(f, x); };
    return v(t->lowWarning) + ".." + v(t->highWarning) + " / " + v(t->lowAlarm) + ".." + v(t->highAlarm);
  };
  auto line = [&](const std::string& name, const std::string& value, const std::string& thr, const std::string& q,
                  int lane, const std::string& note) {
    const QuantityJudgement* j = find(js, q, lane);
    o << "  " << pad(name, 14) << pad(value, 22) << pad(thr, 34) << pad(state(j, false), 13) << pad(state(j, true), 15)
      << note << "\n";
  };
  auto power = [&](const optics::Power& p) {
    return p.noLight() ? std::string("no light") : dbmText(p.mw) + " dBm" + fmt(" %.4f mW", p.mw);
  };
  if (m.temperatureC) line("Temperature", fmt("%.2f degC", *m.temperatureC), th(m.temperatureThresholds, false, "%.1f"), "temperature", 0, "");
  if (m.vccV) line("Supply", fmt("%.4f V", *m.vccV), th(m.vccThresholds, false, "%.2f"), "vcc", 0, "");
  for (const auto& l : m.lanes) {
    std::string ln = m.lanes.size() > 1 ? " L" + std::to_string(l.number) : "";
    std::string note = l.carriesLight ? "" : "not judged: " + l.notCarryingWhy;
    if (l.rxPower)
      line("Rx power" + ln, power(*l.rxPower), th(m.rxPowerThresholds, true, "") + " dBm", "rx_power", l.number,
           l.rxLos ? "Rx LOS " + note : note);
    if (l.txPower) line("Tx power" + ln, power(*l.txPower), th(m.txPowerThresholds, true, "") + " dBm", "tx_power", l.number, note);
    if (l.biasMa) line("Tx bias" + ln, fmt("%.3f mA", *l.biasMa), th(m.biasThresholds, false, "%.1f") + " mA", "bias", l.number, note);
  }
  if (pmd)
    o << "\n  IEEE " << pmd->pmd << ": Tx " << fmt("%.1f", pmd->txMinDbm) << ".." << fmt("%+.1f", pmd->txMaxDbm)
      << " dBm, Rx " << fmt("%.1f", pmd->rxMinDbm) << ".." << fmt("%+.1f", pmd->rxMaxDbm) << " dBm"
      << (pmd->verified ? "" : " (table value not re-checked against the standard)") << "\n";
}

void verdictLines(std::ostringstream& o, const std::vector<CheckResult>& verdicts) {
  o << "\n  Verdicts\n";
  for (const CheckResult& c : verdicts) {
    o << "  " << pad(std::string(statusName(c.status)), 10) << pad(c.id, 24) << c.summary << "\n";
    o << "  " << pad("", 10) << pad("observed", 10) << c.observed << "\n";
    o << "  " << pad("", 10) << pad("expected", 10) << c.expected << "\n";
    if (!c.hint.empty()) o << "  " << pad("", 10) << pad("hint", 10) << c.hint << "\n";
  }
}

}  // namespace

std::string renderOpticsText(const std::string& source, const config::Link& link, const optics::ModuleFacts& m,
                             bool colour) {
  (void)colour;
  std::ostringstream o;
  o << "Transceiver " << source << "\n";
  if (!m.readError.empty()) o << "  cannot read the module EEPROM: " << m.readError << "\n";
  else if (!m.corrupt.empty()) o << "  EEPROM read looks corrupt: " << m.corrupt << "\n";
  else {
    identityRows(o, link, m);
    laneTable(o, link, m);
  }
  verdictLines(o, verdictsOf(link, m));
  return o.str();
}

nlohmann::json opticsToJson(const std::string& source, const config::Link& link, const optics::ModuleFacts& m) {
  nlohmann::json j = {{"schema", "linkready.optics/v1"}, {"source", source}};
  nlohmann::json verdicts = nlohmann::json::array();
  for (const CheckResult& c : verdictsOf(link, m)) verdicts.push_back(checkToJson(c));
  j["verdicts"] = verdicts;
  if (!m.readError.empty()) {
    j["error"] = m.readError;
    return j;
  }
  if (!m.corrupt.empty()) {
    j["corrupt"] = m.corrupt;
    return j;
  }
  const auto& id = m.identity;
  j["standard"] = optics::standardName(m.standard);
  j["identity"] = {
      {"identifier", id.identifier}, {"identifier_name", id.identifierName}, {"vendor_name", id.vendorName},
      {"vendor_oui", id.vendorOui}, {"vendor_pn", id.vendorPn}, {"vendor_rev", id.vendorRev},
      {"vendor_sn", id.vendorSn}, {"date_code", id.dateCode}, {"connector", id.connectorName},
      {"compliance", id.compliance}, {"media", optics::mediaName(id.media)}, {"wavelength_nm", opt(id.wavelengthNm)},
      {"nominal_rate_mbps", opt(id.nominalRateMbps)}, {"reach_smf_km", opt(id.reachSmfKm)},
      {"reach_mmf_m", opt(id.reachMmfM)}};
  j["dom"] = {{"implemented", m.domImplemented}, {"external_calibration", m.externalCalibration},
              {"rx_power_oma", m.rxPowerIsOma}, {"rx_power_type", m.rxPowerIsOma ? "OMA" : "average"}};
  auto js = judgeOptics(link, m);
  j["temperature"] = {{"value_c", opt(m.temperatureC)}, {"state", stateJson(find(js, "temperature", 0), false)},
                      {"flags", flagsJson(m.temperatureFlags)}};
  j["vcc"] = {{"value_v", opt(m.vccV)}, {"state", stateJson(find(js, "vcc", 0), false)}, {"flags", flagsJson(m.vccFlags)}};
  j["module_state"] = m.moduleState ? nlohmann::json(optics::moduleStateName(*m.moduleState)) : nlohmann::json(nullptr);
  nlohmann::json dps = nlohmann::json::array();
  for (size_t i = 0; i < m.dataPaths.size(); ++i) {
    const auto& dp = m.dataPaths[i];
    dps.push_back({{"data_path", i + 1}, {"data_path_id", dp.id}, {"bank", dp.bank}, {"app_sel", dp.appSel},
                   {"host_interface", dp.hostInterface}, {"media_interface", dp.mediaInterface},
                   {"host_lanes", dp.hostLanes}, {"media_lanes", dp.mediaLanes},
                   {"state", optics::dataPathStateName(dp.state)}});
  }
  j["data_paths"] = dps;
  j["thresholds"] = {{"temperature_c", thresholdsJson(m.temperatureThresholds, false)},
                     {"vcc_v", thresholdsJson(m.vccThresholds, false)},
                     {"bias_ma", thresholdsJson(m.biasThresholds, false)},
                     {"tx_power", thresholdsJson(m.txPowerThresholds, true)},
                     {"rx_power", thresholdsJson(m.rxPowerThresholds, true)}};
  nlohmann::json lanes = nlohmann::json::array();
  for (const auto& l : m.lanes) {
    nlohmann::json lj = {{"lane", l.number}, {"rx_power", powerJson(l.rxPower)}, {"tx_power", powerJson(l.txPower)},
                         {"bias_ma", opt(l.biasMa)}, {"rx_los", l.rxLos}, {"los_reported", l.losReported},
                         {"tx_fault", l.txFault}, {"data_path", l.dataPath ? nlohmann::json(l.dataPath) : nlohmann::json(nullptr)},
                         {"carries_light", l.carriesLight},
                         {"flags", {{"rx_power", flagsJson(l.rxPowerFlags)}, {"tx_power", flagsJson(l.txPowerFlags)},
                                    {"bias", flagsJson(l.biasFlags)}}}};
    nlohmann::json states = nlohmann::json::object();
    for (const char* q : {"rx_power", "tx_power", "bias"})
      if (const QuantityJudgement* qj = find(js, q, l.number))
        states[q] = {{"module", stateJson(qj, false)}, {"ieee", stateJson(qj, true)}, {"judged", qj->lightExpected}};
    lj["states"] = states;
    lanes.push_back(lj);
  }
  j["lanes"] = lanes;
  j["lanes_total"] = m.lanesTotal;
  j["missing_pages"] = m.missingPages;
  j["unavailable"] = m.unavailable;
  j["ordered_port_type"] = link.order.portType.empty() ? nlohmann::json(nullptr) : nlohmann::json(normalizePortType(link.order.portType));
  return j;
}

}  // namespace linkready
