// Verdicts for the optics layer: the module against the order, and each lane's light,
// bias, temperature and supply against the module's own thresholds and, separately,
// against the IEEE limits of the ordered media. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/check/check.h"
#include "config/config.h"
#include "probes/optics/module_facts.h"

namespace linkready {

// Google's vocabulary for light levels, per lane and quantity.
enum class LightState { Ok, LowWarning, HighWarning, LowAlarm, HighAlarm };
std::string_view lightStateName(LightState s);

// Against the module's thresholds (any unit, as long as value and thresholds agree).
LightState stateAgainst(double value, const optics::Thresholds& t);

struct QuantityJudgement {
  std::string quantity;                // "rx_power", "tx_power", "bias", "temperature", "vcc"
  int lane = 0;                        // 0 = module-wide
  std::optional<double> value;         // dBm for powers, mA, degC, V; nullopt = no light
  std::optional<LightState> module;    // against the module's thresholds (or its LOS flag)
  std::optional<LightState> ieee;      // against the IEEE (or overridden) limits
  Status status = Status::Ok;
  bool lightExpected = true;           // false: the lane's data path or the module is not enabled: not judged
  bool noLight = false;                // Rx: raw 0, the module's Rx LOS with low power, or below any receiver
  bool losLatched = false;             // Rx: the module's LOS flag is set while the light is in range now
};

// A power in dBm for people: "-2.58" or, for 0 mW, "0 mW" (never -inf, never -40).
std::string dbmText(double mw);

// The per-lane table behind the checks (also what `linkready optics` prints).
std::vector<QuantityJudgement> judgeOptics(const config::Link& link, const optics::ModuleFacts& m);

std::vector<CheckResult> evaluateOptics(const config::Link& link, const optics::OpticsFacts& facts);

// The band a lane's light is judged against, in dBm, module thresholds and the IEEE (or
// configured) limits together: outside warn at least WARNING, outside crit CRITICAL;
// nullopt = no bound on that side. Monitoring-plugin perfdata shows these.
struct PowerBand {
  std::optional<double> warnLow, warnHigh, critLow, critHigh;
};
PowerBand rxPowerBand(const config::Link& link, const optics::ModuleFacts& m);
PowerBand txPowerBand(const config::Link& link, const optics::ModuleFacts& m);

}  // namespace linkready
