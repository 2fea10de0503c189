// Each standard's fields, described once: where they live (I2C address, page, offset,
// length), whether they are static (identity, thresholds, advertisements: read once per
// module) or live (monitors, flags, states: read on every poll), and whether they hold one
// value per lane. The decoders read the fields through this table and the steady-state
// poll is derived from its live rows, so the two cannot drift apart.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "probes/optics/module_facts.h"
#include "probes/optics/module_memory.h"

namespace linkready::optics {

enum class Freshness { Static, Live };

struct Field {
  const char* name;
  uint8_t i2c;        // kA0 or kA2
  uint8_t page;       // for offsets >= 128; the lower half is the same for every page
  uint8_t offset;     // 0-255 in the 256-byte view of the page
  uint8_t length;
  Freshness freshness;
  uint8_t perLane = 0;  // bytes per lane when the field holds one value per media lane
  bool banked = false;  // one copy per bank (CMIS page 11h)
};

// SFF-8472 (A0h identity, A2h diagnostics). Ids index kFields.
namespace map8472 {
enum Id : int {
  Identifier, Connector, Compliance, NominalRate, Reach, VendorName, ExtCompliance, VendorOui, VendorPn, VendorRev,
  Wavelength, CcBase, RateExtended, VendorSn, DateCode, DiagnosticType, EnhancedOptions, CcExt,
  TemperatureThresholds, VccThresholds, BiasThresholds, TxPowerThresholds, RxPowerThresholds, CalibrationConstants, CcDmi,
  Temperature, Vcc, Bias, TxPower, RxPower, Status, Alarms, Warnings,
  Count
};
}  // namespace map8472

// SFF-8636 (lower page, page 00h identity, page 03h thresholds).
namespace map8636 {
enum Id : int {
  Identifier, Status, Los, TxFault, TemperatureFlags, VccFlags, RxPowerFlags, BiasFlags, TxPowerFlags,
  Temperature, Vcc, RxPower, Bias, TxPower,
  Identifier00, Connector, Compliance, NominalRate, ReachSmf, ReachMmf, DeviceTech, VendorName, VendorOui, VendorPn,
  VendorRev, Wavelength, CcBase, ExtCompliance, VendorSn, DateCode, DiagnosticType, RateExtended, CcExt,
  TemperatureThresholds, VccThresholds, RxPowerThresholds, BiasThresholds, TxPowerThresholds,
  Count
};
}  // namespace map8636

// CMIS 4.0/5.x (lower page, pages 00h, 01h, 02h, 11h per bank).
namespace mapCmis {
enum Id : int {
  Identifier, MemoryModel, ModuleStateByte, ModuleFlags, Temperature, Vcc, MediaType, Applications,
  Identifier00, VendorName, VendorOui, VendorPn, VendorRev, VendorSn, DateCode, Connector, Checksum00,
  Wavelength, Banks, ModuleCharacteristics, MonitorsImplemented, MediaLaneAssignment, MoreApplications,
  TemperatureThresholds, VccThresholds, TxPowerThresholds, BiasThresholds, RxPowerThresholds,
  DataPathStates, TxFault, TxPowerFlags, BiasFlags, RxLos, RxPowerFlags, TxPower, Bias, RxPower, ActiveControlSet,
  Count
};
}  // namespace mapCmis

std::span<const Field> memoryMap(Standard s);

// Reads fields of one standard's map out of a module image. Absent half pages and indexes
// outside a field read as 0; present() says whether a field's half page was read.
class FieldReader {
 public:
  FieldReader(const ModuleMemory& m, Standard s) : m_(m), map_(memoryMap(s)) {}
  bool present(int id, uint8_t bank = 0) const;
  uint8_t byte(int id, int index = 0, uint8_t bank = 0) const;
  uint16_t word(int id, int index = 0, uint8_t bank = 0) const;  // big-endian 16-bit element `index`
  std::string text(int id) const;  // ASCII, space padded: trimmed, non-printables as '?'
  // The four thresholds every spec stores as high alarm, low alarm, high warning, low warning.
  template <typename F>
  Thresholds thresholds(int id, F convert) const {
    return {convert(word(id, 0)), convert(word(id, 1)), convert(word(id, 2)), convert(word(id, 3))};
  }
  const Field& field(int id) const { return map_[size_t(id)]; }
  const ModuleMemory& memory() const { return m_; }

 private:
  const ModuleMemory& m_;
  std::span<const Field> map_;
};

}  // namespace linkready::optics
