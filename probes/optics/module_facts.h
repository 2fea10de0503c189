// A transceiver as decoded from its EEPROM: identity, monitors per lane, the module's own
// thresholds and flags. Values in SI-ish field units (degC, V, mA, mW); raw counts kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace linkready::optics {

enum class Standard { Unknown, Sff8472, Sff8636, Cmis };
enum class Media { Unknown, SingleMode, MultiMode, Copper, ActiveCable };

std::string standardName(Standard s);
std::string mediaName(Media m);

struct Identity {
  uint8_t identifier = 0;
  std::string identifierName;   // "SFP/SFP+", "QSFP28", "QSFP-DD"
  std::string vendorName, vendorPn, vendorSn, vendorRev, dateCode, vendorOui;
  uint8_t connector = 0;
  std::string connectorName;    // "LC", "MPO 1x12", "No separable connector"
  std::vector<std::string> compliance;  // "10GBASE-LR", "100GBASE-LR4", ...
  Media media = Media::Unknown;
  std::optional<double> wavelengthNm;
  std::optional<uint32_t> nominalRateMbps;
  std::optional<double> reachSmfKm;
  std::optional<uint32_t> reachMmfM;  // the longest multimode reach stated
};

// One quantity's four thresholds from the module (already calibrated).
struct Thresholds {
  double highAlarm = 0, lowAlarm = 0, highWarning = 0, lowWarning = 0;
};

struct Flags {  // the module's own latched alarm/warning flags for one quantity
  bool highAlarm = false, lowAlarm = false, highWarning = false, lowWarning = false;
  bool any() const { return highAlarm || lowAlarm || highWarning || lowWarning; }
};

// An optical power: mW exactly from the raw count (0.1 uW units), or no light at all.
struct Power {
  uint16_t raw = 0;
  double mw = 0;
  bool noLight() const { return raw == 0; }
  std::optional<double> dbm() const;  // nullopt when no light: never -40, never NaN
};

struct Lane {
  int number = 1;  // 1-based media lane
  std::optional<Power> txPower;
  std::optional<Power> rxPower;
  std::optional<double> biasMa;
  Flags txPowerFlags, rxPowerFlags, biasFlags;
  bool rxLos = false, txFault = false;
};

struct ModuleFacts {
  std::string readError;     // the EEPROM could not be read at all (errno meaning)
  int readErrno = 0;
  std::string corrupt;       // a checksum or identifier that does not hold: nothing is believed
  Standard standard = Standard::Unknown;
  Identity identity;
  bool domImplemented = false;
  bool externalCalibration = false;
  bool rxPowerIsOma = false;
  bool flatMemory = false;
  std::optional<double> temperatureC;
  std::optional<double> vccV;
  Flags temperatureFlags, vccFlags;
  std::vector<Lane> lanes;   // only the media lanes in use
  int lanesTotal = 0;        // media lanes the module has
  std::optional<Thresholds> temperatureThresholds, vccThresholds, biasThresholds, txPowerThresholds,
      rxPowerThresholds;     // power thresholds in mW
  std::optional<uint8_t> activeApplication;  // CMIS AppSel in use
  std::vector<std::string> unavailable;      // "page 11h: Input/output error"
};

// One port's optics as the check engine keeps them.
struct OpticsFacts {
  bool probed = false;         // false: no source was asked (no verdicts, rather than empty ones)
  bool applicable = true;      // false: no transceiver here (virtual interface)
  std::string notApplicableWhy;
  ModuleFacts module;
};

}  // namespace linkready::optics
