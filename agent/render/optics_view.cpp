#include "agent/render/optics_view.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "agent/check/optics_limits.h"

namespace linkready {

namespace {

std::string fmt(const char* f, double v) {
  char b[40];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string dbm(double mw) { return mw > 0 ? fmt("%.2f", 10 * std::log10(mw)) : "-inf"; }

std::string state(const std::vector<QuantityJudgement>& js, const std::string& q, int lane, bool ieee) {
  for (const auto& j : js)
    if (j.quantity == q && j.lane == lane) {
      auto s = ieee ? j.ieee : j.module;
      return s ? std::string(lightStateName(*s)) : "-";
    }
  return "-";
}

std::string pad(std::string s, size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}

nlohmann::json thresholdsJson(const std::optional<optics::Thresholds>& t, bool power) {
  if (!t) return nullptr;
  auto v = [&](double x) -> nlohmann::json {
    if (!power) return x;
    return {{"mw", x}, {"dbm", x > 0 ? nlohmann::json(10 * std::log10(x)) : nlohmann::json(nullptr)}};
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
  return {{"raw", p->raw}, {"mw", p->mw}, {"dbm", p->dbm() ? nlohmann::json(*p->dbm()) : nlohmann::json(nullptr)},
          {"no_light", p->noLight()}};
}

}  // namespace

std::string renderOpticsText(const std::string& source, const config::Link& link, const optics::ModuleFacts& m,
                             bool colour) {
  (void)colour;
  std::ostringstream o;
  o << "Transceiver " << source << "\n";
  if (!m.readError.empty()) {
    o << "  cannot read the module EEPROM: " << m.readError << "\n";
    return o.str();
  }
  if (!m.corrupt.empty()) {
    o << "  EEPROM read looks corrupt: " << m.corrupt << "\n";
    return o.str();
  }
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
  if (m.activeApplication) row("Active application", "AppSel " + std::to_string(*m.activeApplication) + ", " +
                                                        std::to_string(m.lanes.size()) + " of " +
                                                        std::to_string(m.lanesTotal) + " media lanes");
  std::string ordered = link.order.portType.empty() ? "-" : normalizePortType(link.order.portType);
  row("Ordered", ordered);
  for (const auto& u : m.unavailable) row("Unavailable", u);

  auto js = judgeOptics(link, m);
  const PmdLimits* pmd = ieeeLimits(link.order.portType);
  o << "\n  " << pad("", 14) << pad("value", 22) << pad("module thresholds (warn / alarm)", 34) << pad("module", 13)
    << pad("IEEE " + (pmd ? std::string(pmd->pmd) : std::string("-")), 15) << "\n";
  auto th = [&](const std::optional<optics::Thresholds>& t, bool power, const char* f) {
    if (!t) return std::string("-");
    auto v = [&](double x) { return power ? dbm(x) : fmt(f, x); };
    return v(t->lowWarning) + ".." + v(t->highWarning) + " / " + v(t->lowAlarm) + ".." + v(t->highAlarm);
  };
  auto line = [&](const std::string& name, const std::string& value, const std::string& thr, const std::string& q,
                  int lane) {
    o << "  " << pad(name, 14) << pad(value, 22) << pad(thr, 34) << pad(state(js, q, lane, false), 13)
      << pad(state(js, q, lane, true), 15) << "\n";
  };
  if (m.temperatureC) line("Temperature", fmt("%.2f degC", *m.temperatureC), th(m.temperatureThresholds, false, "%.1f"), "temperature", 0);
  if (m.vccV) line("Supply", fmt("%.4f V", *m.vccV), th(m.vccThresholds, false, "%.2f"), "vcc", 0);
  for (const auto& l : m.lanes) {
    std::string ln = m.lanes.size() > 1 ? " L" + std::to_string(l.number) : "";
    if (l.rxPower)
      line("Rx power" + ln, l.rxPower->noLight() ? "no light" : dbm(l.rxPower->mw) + " dBm" + fmt(" %.4f mW", l.rxPower->mw),
           th(m.rxPowerThresholds, true, "") + " dBm", "rx_power", l.number);
    if (l.txPower)
      line("Tx power" + ln, l.txPower->noLight() ? "no light" : dbm(l.txPower->mw) + " dBm" + fmt(" %.4f mW", l.txPower->mw),
           th(m.txPowerThresholds, true, "") + " dBm", "tx_power", l.number);
    if (l.biasMa) line("Tx bias" + ln, fmt("%.3f mA", *l.biasMa), th(m.biasThresholds, false, "%.1f") + " mA", "bias", l.number);
  }
  if (pmd)
    o << "\n  IEEE " << pmd->pmd << ": Tx " << fmt("%.1f", pmd->txMinDbm) << ".." << fmt("%+.1f", pmd->txMaxDbm)
      << " dBm, Rx " << fmt("%.1f", pmd->rxMinDbm) << ".." << fmt("%+.1f", pmd->rxMaxDbm) << " dBm"
      << (pmd->verified ? "" : " (table value not re-checked against the standard)") << "\n";
  return o.str();
}

nlohmann::json opticsToJson(const std::string& source, const config::Link& link, const optics::ModuleFacts& m) {
  nlohmann::json j = {{"schema", "linkready.optics/v1"}, {"source", source}};
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
      {"compliance", id.compliance}, {"media", optics::mediaName(id.media)},
      {"wavelength_nm", id.wavelengthNm ? nlohmann::json(*id.wavelengthNm) : nlohmann::json(nullptr)},
      {"nominal_rate_mbps", id.nominalRateMbps ? nlohmann::json(*id.nominalRateMbps) : nlohmann::json(nullptr)},
      {"reach_smf_km", id.reachSmfKm ? nlohmann::json(*id.reachSmfKm) : nlohmann::json(nullptr)},
      {"reach_mmf_m", id.reachMmfM ? nlohmann::json(*id.reachMmfM) : nlohmann::json(nullptr)}};
  j["dom"] = {{"implemented", m.domImplemented}, {"external_calibration", m.externalCalibration},
              {"rx_power_oma", m.rxPowerIsOma}};
  j["temperature_c"] = m.temperatureC ? nlohmann::json(*m.temperatureC) : nlohmann::json(nullptr);
  j["vcc_v"] = m.vccV ? nlohmann::json(*m.vccV) : nlohmann::json(nullptr);
  j["thresholds"] = {{"temperature_c", thresholdsJson(m.temperatureThresholds, false)},
                     {"vcc_v", thresholdsJson(m.vccThresholds, false)},
                     {"bias_ma", thresholdsJson(m.biasThresholds, false)},
                     {"tx_power", thresholdsJson(m.txPowerThresholds, true)},
                     {"rx_power", thresholdsJson(m.rxPowerThresholds, true)}};
  j["flags"] = {{"temperature", flagsJson(m.temperatureFlags)}, {"vcc", flagsJson(m.vccFlags)}};
  auto js = judgeOptics(link, m);
  nlohmann::json lanes = nlohmann::json::array();
  for (const auto& l : m.lanes) {
    nlohmann::json lj = {{"lane", l.number}, {"rx_power", powerJson(l.rxPower)}, {"tx_power", powerJson(l.txPower)},
                         {"bias_ma", l.biasMa ? nlohmann::json(*l.biasMa) : nlohmann::json(nullptr)},
                         {"rx_los", l.rxLos}, {"tx_fault", l.txFault},
                         {"flags", {{"rx_power", flagsJson(l.rxPowerFlags)}, {"tx_power", flagsJson(l.txPowerFlags)},
                                    {"bias", flagsJson(l.biasFlags)}}}};
    nlohmann::json states = nlohmann::json::object();
    for (const auto& q : js)
      if (q.lane == l.number)
        states[q.quantity] = {{"module", q.module ? nlohmann::json(lightStateName(*q.module)) : nlohmann::json(nullptr)},
                              {"ieee", q.ieee ? nlohmann::json(lightStateName(*q.ieee)) : nlohmann::json(nullptr)}};
    lj["states"] = states;
    lanes.push_back(lj);
  }
  j["lanes"] = lanes;
  j["lanes_total"] = m.lanesTotal;
  j["unavailable"] = m.unavailable;
  j["ordered_port_type"] = link.order.portType.empty() ? nlohmann::json(nullptr) : nlohmann::json(normalizePortType(link.order.portType));
  return j;
}

}  // namespace linkready
