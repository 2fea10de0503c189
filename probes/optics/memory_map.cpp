#include "probes/optics/memory_map.h"

namespace linkready::optics {

namespace {

constexpr auto S = Freshness::Static;
constexpr auto L = Freshness::Live;

// SFF-8472 rev 12.4: A0h Table 4-1, A2h Table 9-5 (thresholds, calibration, monitors,
// status/control byte 110, alarm and warning flags 112-113 and 116-117).
constexpr Field k8472[] = {
    {"identifier", kA0, 0, 0, 1, S},
    {"connector", kA0, 0, 2, 1, S},
    {"transceiver compliance codes", kA0, 0, 3, 8, S},
    {"nominal signalling rate", kA0, 0, 12, 1, S},
    {"link lengths", kA0, 0, 14, 6, S},
    {"vendor name", kA0, 0, 20, 16, S},
    {"extended compliance code", kA0, 0, 36, 1, S},
    {"vendor OUI", kA0, 0, 37, 3, S},
    {"vendor PN", kA0, 0, 40, 16, S},
    {"vendor rev", kA0, 0, 56, 4, S},
    {"wavelength", kA0, 0, 60, 2, S},
    {"CC_BASE", kA0, 0, 63, 1, S},
    {"signalling rate above 25.4 Gb/s", kA0, 0, 66, 1, S},
    {"vendor SN", kA0, 0, 68, 16, S},
    {"date code", kA0, 0, 84, 8, S},
    {"diagnostic monitoring type", kA0, 0, 92, 1, S},
    {"enhanced options", kA0, 0, 93, 1, S},
    {"CC_EXT", kA0, 0, 95, 1, S},
    {"temperature thresholds", kA2, 0, 0, 8, S},
    {"Vcc thresholds", kA2, 0, 8, 8, S},
    {"Tx bias thresholds", kA2, 0, 16, 8, S},
    {"Tx power thresholds", kA2, 0, 24, 8, S},
    {"Rx power thresholds", kA2, 0, 32, 8, S},
    {"external calibration constants", kA2, 0, 56, 36, S},
    {"CC_DMI", kA2, 0, 95, 1, S},
    {"temperature", kA2, 0, 96, 2, L},
    {"Vcc", kA2, 0, 98, 2, L},
    {"Tx bias", kA2, 0, 100, 2, L},
    {"Tx power", kA2, 0, 102, 2, L},
    {"Rx power", kA2, 0, 104, 2, L},
    {"status/control (Rx LOS, Tx fault)", kA2, 0, 110, 1, L},
    {"alarm flags", kA2, 0, 112, 2, L},
    {"warning flags", kA2, 0, 116, 2, L},
};
static_assert(std::size(k8472) == map8472::Count);

// SFF-8636 rev 2.10a: lower page Tables 6-2..6-8, page 00h Table 6-14, page 03h Table 6-27.
constexpr Field k8636[] = {
    {"identifier", kA0, 0, 0, 1, S},
    {"status (flat memory)", kA0, 0, 2, 1, S},
    {"Rx/Tx LOS (latched)", kA0, 0, 3, 1, L},
    {"Tx fault (latched)", kA0, 0, 4, 1, L},
    {"temperature flags", kA0, 0, 6, 1, L},
    {"Vcc flags", kA0, 0, 7, 1, L},
    {"Rx power flags", kA0, 0, 9, 2, L},
    {"Tx bias flags", kA0, 0, 11, 2, L},
    {"Tx power flags", kA0, 0, 13, 2, L},
    {"temperature", kA0, 0, 22, 2, L},
    {"Vcc", kA0, 0, 26, 2, L},
    {"Rx power", kA0, 0, 34, 8, L, 2},
    {"Tx bias", kA0, 0, 42, 8, L, 2},
    {"Tx power", kA0, 0, 50, 8, L, 2},
    {"identifier (page 00h)", kA0, 0, 128, 1, S},
    {"connector", kA0, 0, 130, 1, S},
    {"specification compliance", kA0, 0, 131, 8, S},
    {"nominal bit rate", kA0, 0, 140, 1, S},
    {"length SMF", kA0, 0, 142, 1, S},
    {"lengths OM3/OM2/OM1", kA0, 0, 143, 3, S},
    {"device technology", kA0, 0, 147, 1, S},
    {"vendor name", kA0, 0, 148, 16, S},
    {"vendor OUI", kA0, 0, 165, 3, S},
    {"vendor PN", kA0, 0, 168, 16, S},
    {"vendor rev", kA0, 0, 184, 2, S},
    {"wavelength", kA0, 0, 186, 2, S},
    {"CC_BASE", kA0, 0, 191, 1, S},
    {"extended specification compliance", kA0, 0, 192, 1, S},
    {"vendor SN", kA0, 0, 196, 16, S},
    {"date code", kA0, 0, 212, 8, S},
    {"diagnostic monitoring type", kA0, 0, 220, 1, S},
    {"extended bit rate", kA0, 0, 222, 1, S},
    {"CC_EXT", kA0, 0, 223, 1, S},
    {"temperature thresholds", kA0, 3, 128, 8, S},
    {"Vcc thresholds", kA0, 3, 144, 8, S},
    {"Rx power thresholds", kA0, 3, 176, 8, S},
    {"Tx bias thresholds", kA0, 3, 184, 8, S},
    {"Tx power thresholds", kA0, 3, 192, 8, S},
};
static_assert(std::size(k8636) == map8636::Count);

// CMIS 5.2: lower page Table 8-4..8-10 and 8-23 (applications), page 00h Table 8-28,
// page 01h Tables 8-35..8-46, page 02h Table 8-48, page 11h Tables 8-78..8-85 and 8-93
// (active control set), one page 11h per bank.
constexpr Field kCmis[] = {
    {"identifier", kA0, 0, 0, 1, S},
    {"memory model", kA0, 0, 2, 1, S},
    {"module state", kA0, 0, 3, 1, L},
    {"module flags (temperature, Vcc)", kA0, 0, 9, 1, L},
    {"temperature", kA0, 0, 14, 2, L},
    {"Vcc", kA0, 0, 16, 2, L},
    {"media type", kA0, 0, 85, 1, S},
    {"application descriptors 1-8", kA0, 0, 86, 32, S},
    {"identifier (page 00h)", kA0, 0, 128, 1, S},
    {"vendor name", kA0, 0, 129, 16, S},
    {"vendor OUI", kA0, 0, 145, 3, S},
    {"vendor PN", kA0, 0, 148, 16, S},
    {"vendor rev", kA0, 0, 164, 2, S},
    {"vendor SN", kA0, 0, 166, 16, S},
    {"date code", kA0, 0, 182, 8, S},
    {"connector", kA0, 0, 203, 1, S},
    {"page 00h checksum", kA0, 0, 222, 1, S},
    {"nominal wavelength", kA0, 1, 138, 2, S},
    {"banks supported", kA0, 1, 142, 1, S},
    {"module characteristics (Rx power type)", kA0, 1, 151, 1, S},
    {"implemented lane monitors", kA0, 1, 160, 1, S},
    {"media lane assignment 1-15", kA0, 1, 176, 15, S},
    {"application descriptors 9-15", kA0, 1, 223, 28, S},
    {"temperature thresholds", kA0, 2, 128, 8, S},
    {"Vcc thresholds", kA0, 2, 136, 8, S},
    {"Tx power thresholds", kA0, 2, 176, 8, S},
    {"Tx bias thresholds", kA0, 2, 184, 8, S},
    {"Rx power thresholds", kA0, 2, 192, 8, S},
    {"data path state", kA0, 0x11, 128, 4, L, 0, true},
    {"Tx fault flags", kA0, 0x11, 135, 1, L, 0, true},
    {"Tx power flags", kA0, 0x11, 139, 4, L, 0, true},
    {"Tx bias flags", kA0, 0x11, 143, 4, L, 0, true},
    {"Rx LOS flags", kA0, 0x11, 147, 1, L, 0, true},
    {"Rx power flags", kA0, 0x11, 149, 4, L, 0, true},
    {"Tx power", kA0, 0x11, 154, 16, L, 2, true},
    {"Tx bias", kA0, 0x11, 170, 16, L, 2, true},
    {"Rx power", kA0, 0x11, 186, 16, L, 2, true},
    {"active control set (application per host lane)", kA0, 0x11, 206, 8, L, 0, true},
};
static_assert(std::size(kCmis) == mapCmis::Count);

}  // namespace

std::span<const Field> memoryMap(Standard s) {
  switch (s) {
    case Standard::Sff8472: return k8472;
    case Standard::Sff8636: return k8636;
    case Standard::Cmis: return kCmis;
    default: return {};
  }
}

bool FieldReader::present(int id, uint8_t bank) const {
  const Field& f = field(id);
  HalfPage h = f.offset < 128 ? lowerHalf(f.i2c) : upperPage(f.page, f.banked ? bank : 0, f.i2c);
  return m_.has(h);
}

uint8_t FieldReader::byte(int id, int index, uint8_t bank) const {
  const Field& f = field(id);
  if (index < 0 || index >= f.length) return 0;
  return m_.byte(f.i2c, f.page, f.offset + index, f.banked ? bank : 0).value_or(0);
}

uint16_t FieldReader::word(int id, int index, uint8_t bank) const {
  return uint16_t(byte(id, 2 * index, bank) << 8 | byte(id, 2 * index + 1, bank));
}

std::string FieldReader::text(int id) const {
  const Field& f = field(id);
  if (!present(id)) return "";
  std::string s;
  for (int i = 0; i < f.length; ++i) {
    uint8_t b = byte(id, i);
    s.push_back(b >= 0x20 && b < 0x7f ? char(b) : '?');
  }
  size_t end = s.find_last_not_of(" ?");
  return end == std::string::npos ? "" : s.substr(0, end + 1);
}

}  // namespace linkready::optics
