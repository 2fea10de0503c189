// Helpers shared by the three decoders (internal to probes/optics).
#pragma once

#include <cmath>
#include <string>

#include "probes/optics/decode.h"

namespace linkready::optics::detail {

// Vendor strings: ASCII, space padded; trimmed, non-printables replaced (SFF-8472 4.4).
inline std::string text(const ModuleMemory& m, uint8_t i2c, uint8_t page, int from, int len) {
  std::string s;
  for (int i = 0; i < len; ++i) {
    auto b = m.byte(i2c, page, from + i);
    if (!b) return "";
    s.push_back(*b >= 0x20 && *b < 0x7f ? char(*b) : '?');
  }
  size_t end = s.find_last_not_of(" ?");
  return end == std::string::npos ? "" : s.substr(0, end + 1);
}

inline Power powerFromMw(uint16_t raw, double mw) {
  Power p;
  p.raw = raw;
  p.mw = mw > 0 ? mw : 0;
  return p;
}

// 0.1 uW units -> mW
inline Power powerFromRaw(uint16_t raw) { return powerFromMw(raw, raw / 10000.0); }

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

// A big-endian 16-bit value in a half page; `off` in the 0-255 view of the page.
inline uint16_t be16(const ModuleMemory::Bytes& b, int off) { return uint16_t(b[off % 128] << 8 | b[(off + 1) % 128]); }

// Four thresholds in the order every spec stores them: high alarm, low alarm, high
// warning, low warning; `convert` turns raw counts into the field's unit.
template <typename F>
Thresholds thresholds(const ModuleMemory::Bytes& b, int off, F convert) {
  Thresholds t;
  t.highAlarm = convert(be16(b, off));
  t.lowAlarm = convert(be16(b, off + 2));
  t.highWarning = convert(be16(b, off + 4));
  t.lowWarning = convert(be16(b, off + 6));
  return t;
}

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
std::string cmisMediaInterfaceName(uint8_t mediaType, uint8_t code);  // SFF-8024 Tables 4-6, 4-7
Media mediaFromCompliance(const std::vector<std::string>& compliance);

}  // namespace linkready::optics::detail
