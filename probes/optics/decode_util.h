// Helpers shared by the three decoders (internal to probes/optics).
#pragma once

#include <cmath>
#include <string>

#include "probes/optics/decode.h"
#include "probes/optics/memory_map.h"

namespace linkready::optics::detail {

inline Power powerFromMw(uint16_t raw, double mw) {
  Power p;
  p.raw = raw;
  p.mw = mw > 0 ? mw : 0;
  return p;
}

inline double mwFromRaw(uint16_t raw) { return raw / 10000.0; }  // 0.1 uW units -> mW
inline Power powerFromRaw(uint16_t raw) { return powerFromMw(raw, mwFromRaw(raw)); }

inline double tempFromRaw(uint16_t raw) { return int16_t(raw) / 256.0; }  // s16, 1/256 degC
inline double vccFromRaw(uint16_t raw) { return raw / 10000.0; }          // 100 uV
inline double biasFromRaw(uint16_t raw) { return raw * 0.002; }           // 2 uA -> mA

inline Flags flagsFromBits(uint8_t alarms, uint8_t warnings, int highBit, int lowBit) {
  Flags f;
  f.highAlarm = alarms & (1 << highBit);
  f.lowAlarm = alarms & (1 << lowBit);
  f.highWarning = warnings & (1 << highBit);
  f.lowWarning = warnings & (1 << lowBit);
  return f;
}

inline std::string hex2(uint8_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02x", v);
  return b;
}

// The vendor block every standard has, at its own offsets (ids of its memory map).
struct VendorFields {
  int name, oui, pn, rev, sn, date, connector;
};
void readVendor(const FieldReader& r, const VendorFields& v, Identity& id);

// The start every paged decoder (SFF-8636, CMIS) shares: the lower page and page 00h read,
// the identifier of the expected standard and the same in both. Fills `f` and returns
// false when they are not.
inline bool pagedStart(const ModuleMemory& m, Standard expected, ModuleFacts& f, const ModuleMemory::Bytes*& lower,
                       const ModuleMemory::Bytes*& p0) {
  lower = m.half(lowerHalf());
  p0 = m.half(upperPage(0));
  if (!lower || !p0) {
    f.readError = !lower ? "lower page was not read" : "upper page 00h was not read";
    return false;
  }
  uint8_t id = (*lower)[0];
  if (standardOf(id) != expected || (*p0)[0] != id) {
    f.corrupt = "identifier " + hex2(id) + " (lower) / " + hex2((*p0)[0]) +
                " (page 00h byte 128) do not agree: EEPROM read looks corrupt";
    return false;
  }
  return true;
}

std::string extendedComplianceName(uint8_t code, bool qsfp);  // SFF-8024 Table 4-4
std::string cmisHostInterfaceName(uint8_t code);                 // SFF-8024 Table 4-5
std::string cmisMediaInterfaceName(uint8_t mediaType, uint8_t code);  // SFF-8024 Tables 4-6..4-10
Media mediaFromCompliance(const std::vector<std::string>& compliance);

}  // namespace linkready::optics::detail
