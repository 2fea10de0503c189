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

// 10 log10(mW); nullopt for 0 mW or less (no light: never -40, never -inf, never NaN).
// The one conversion every decoder, verdict and renderer uses.
std::optional<double> mwToDbm(double mw);

// CMIS module state (lower page byte 3 bits 3-1, CMIS 5.2 Table 8-7).
enum class ModuleState { Unknown, LowPower, PoweringUp, Ready, PoweringDown, Fault };
// CMIS data path state per host lane (page 11h bytes 128-131, Table 8-78).
enum class DataPathState { Unknown, Deactivated, Initializing, Deinitializing, Activated, TxTurningOn, TxTurningOff,
                           Initialized };
std::string moduleStateName(ModuleState s);   // "ModuleReady", "ModuleLowPwr", ...
std::string dataPathStateName(DataPathState s);  // "DPActivated", ...

// One CMIS data path as the host configured it (page 11h active control set): the
// application it runs and the host and media lanes it uses.
struct DataPath {
  int id = 0;                    // DataPathID: the first host lane - 1 (bank-relative)
  int bank = 0;
  uint8_t appSel = 0;            // 1-15
  std::string hostInterface;     // SFF-8024 Table 4-5 name, "400GAUI-4-L C2M"
  std::string mediaInterface;    // SFF-8024 Tables 4-6..4-10, "400G-LR4-10"
  std::vector<int> hostLanes;    // 1-based across banks
  std::vector<int> mediaLanes;   // 1-based across banks
  DataPathState state = DataPathState::Unknown;  // of its first host lane
  bool activated() const { return state == DataPathState::Activated; }
};

// An optical power: mW exactly from the raw count (0.1 uW units), or no light at all.
struct Power {
  uint16_t raw = 0;
  double mw = 0;
  // Raw 0, or a reading that external calibration (SFF-8472) turns into 0 mW or less.
  bool noLight() const { return raw == 0 || !(mw > 0); }
  std::optional<double> dbm() const;  // nullopt when no light: never -40, never NaN
};

struct Lane {
  int number = 1;  // 1-based media lane
  std::optional<Power> txPower;
  std::optional<Power> rxPower;
  std::optional<double> biasMa;
  Flags txPowerFlags, rxPowerFlags, biasFlags;
  bool rxLos = false, txFault = false;
  bool losReported = false;   // the module has an Rx LOS indication for this lane
  int dataPath = 0;           // index + 1 into ModuleFacts::dataPaths (CMIS); 0 = none
  bool carriesLight = true;   // the module and the lane's data path are enabled: light is expected
  std::string notCarryingWhy; // when not: "data path 1 is DPDeactivated"
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
  std::optional<ModuleState> moduleState;     // CMIS only
  std::vector<DataPath> dataPaths;           // CMIS: every configured data path, in host lane order
  std::vector<std::string> unavailable;      // "page 11h: Input/output error"
  std::vector<std::string> missingPages;     // pages the decode needs that are not in the image: "01h", "02h"
};

// One port's optics as the check engine keeps them.
struct OpticsFacts {
  bool probed = false;         // false: no source was asked (no verdicts, rather than empty ones)
  bool applicable = true;      // false: no transceiver here (virtual interface)
  std::string notApplicableWhy;
  ModuleFacts module;
};

}  // namespace linkready::optics
