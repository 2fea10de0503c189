// SFF-8472 (SFP, SFP+, SFP28): A0h identity, A2h diagnostics with internal or external
// calibration (section 9.3), thresholds, flags.
#include <cstring>

#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using detail::be16;
using detail::thresholds;

using detail::powerFromMw;

// A2h external calibration constants (SFF-8472 9.3, Table 9-6).
struct Calibration {
  double rxPwr[5] = {0, 0, 0, 0, 0};  // Rx_PWR(0) .. Rx_PWR(4)
  double txISlope = 1, txPwrSlope = 1, tSlope = 1, vSlope = 1;
  int16_t txIOffset = 0, txPwrOffset = 0, tOffset = 0, vOffset = 0;
};

double beFloat(const ModuleMemory::Bytes& a2, int off) {
  uint32_t bits = uint32_t(a2[off]) << 24 | uint32_t(a2[off + 1]) << 16 | uint32_t(a2[off + 2]) << 8 | a2[off + 3];
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return double(f);
}

Calibration readCalibration(const ModuleMemory::Bytes& a2) {
  Calibration c;
  // Rx_PWR(4) at 56, (3) at 60, (2) at 64, (1) at 68, (0) at 72: IEEE-754, big-endian.
  for (int i = 0; i < 5; ++i) c.rxPwr[4 - i] = beFloat(a2, 56 + 4 * i);
  // Slopes are unsigned 8.8 fixed point, offsets signed 16-bit in the field's LSB units.
  c.txISlope = be16(a2, 76) / 256.0;
  c.txIOffset = int16_t(be16(a2, 78));
  c.txPwrSlope = be16(a2, 80) / 256.0;
  c.txPwrOffset = int16_t(be16(a2, 82));
  c.tSlope = be16(a2, 84) / 256.0;
  c.tOffset = int16_t(be16(a2, 86));
  c.vSlope = be16(a2, 88) / 256.0;
  c.vOffset = int16_t(be16(a2, 90));
  return c;
}

// Each converter takes the raw A/D count and returns the field value; the same
// conversion applies to the thresholds (SFF-8472 9.3: thresholds are raw when external).
struct Converters {
  bool external = false;
  Calibration cal;
  double temperature(uint16_t raw) const {
    if (!external) return detail::tempFromRaw(raw);
    return (cal.tSlope * int16_t(raw) + cal.tOffset) / 256.0;  // T_AD is signed
  }
  double vcc(uint16_t raw) const { return external ? (cal.vSlope * raw + cal.vOffset) / 10000.0 : detail::vccFromRaw(raw); }
  double bias(uint16_t raw) const { return external ? (cal.txISlope * raw + cal.txIOffset) * 0.002 : detail::biasFromRaw(raw); }
  double txMw(uint16_t raw) const { return external ? (cal.txPwrSlope * raw + cal.txPwrOffset) / 10000.0 : raw / 10000.0; }
  double rxMw(uint16_t raw) const {
    if (!external) return raw / 10000.0;
    double sum = 0, power = 1;  // sum of Rx_PWR(i) * AD^i, in double precision
    for (int i = 0; i < 5; ++i) {
      sum += cal.rxPwr[i] * power;
      power *= raw;
    }
    return sum / 10000.0;
  }
};

void decodeIdentity(const ModuleMemory& m, ModuleFacts& f) {
  Identity& id = f.identity;
  auto b = [&](int off) { return m.byte(kA0, 0, off).value_or(0); };
  id.identifier = b(0);
  id.identifierName = identifierName(id.identifier);
  id.connector = b(2);
  id.connectorName = connectorName(id.connector);
  static const char* k10g[] = {"10GBASE-SR", "10GBASE-LR", "10GBASE-LRM", "10GBASE-ER"};  // byte 3 bits 4-7
  for (int bit = 4; bit < 8; ++bit)
    if (b(3) & (1 << bit)) id.compliance.push_back(k10g[bit - 4]);
  static const char* kGbe[] = {"1000BASE-SX", "1000BASE-LX", "1000BASE-CX", "1000BASE-T",
                               "100BASE-LX/LX10", "100BASE-FX", "BASE-BX10", "BASE-PX"};  // byte 6
  for (int bit = 0; bit < 8; ++bit)
    if (b(6) & (1 << bit)) id.compliance.push_back(kGbe[bit]);
  if (auto ext = detail::extendedComplianceName(b(36), false); !ext.empty()) id.compliance.push_back(ext);
  bool copperCable = b(8) & 0x0c;  // byte 8 bit 2 passive, bit 3 active SFP+ cable
  id.media = detail::mediaFromCompliance(id.compliance);
  if (copperCable || id.connector == 0x21 || id.connector == 0x22) id.media = Media::Copper;
  // Bytes 60-61: wavelength in nm, unless the module is a copper cable (then compliance).
  if (!copperCable) {
    uint16_t wl = m.be16(kA0, 0, 60).value_or(0);
    if (wl) id.wavelengthNm = wl;
  }
  if (b(12) == 0xff) id.nominalRateMbps = b(66) * 250u;  // SFF-8472 8.4: rate above 25.4 Gb/s
  else if (b(12)) id.nominalRateMbps = b(12) * 100u;
  if (b(14)) id.reachSmfKm = b(14);
  else if (b(15)) id.reachSmfKm = b(15) / 10.0;
  uint32_t mmf = std::max({b(16) * 10u, b(17) * 10u, b(19) * 10u});
  if (mmf) id.reachMmfM = mmf;
  if (id.media == Media::Unknown && id.wavelengthNm) {
    id.media = *id.wavelengthNm < 1000 ? Media::MultiMode : Media::SingleMode;
  }
  id.vendorName = detail::text(m, kA0, 0, 20, 16);
  char oui[16];
  std::snprintf(oui, sizeof oui, "%02x:%02x:%02x", b(37), b(38), b(39));
  id.vendorOui = oui;
  id.vendorPn = detail::text(m, kA0, 0, 40, 16);
  id.vendorRev = detail::text(m, kA0, 0, 56, 4);
  id.vendorSn = detail::text(m, kA0, 0, 68, 16);
  id.dateCode = detail::text(m, kA0, 0, 84, 8);
}

}  // namespace

ModuleFacts decodeSff8472(const ModuleMemory& m) {
  ModuleFacts f;
  f.standard = Standard::Sff8472;
  f.lanesTotal = 1;
  const auto* a0 = m.half(lowerHalf(kA0));
  if (!a0) {
    f.readError = "A0h was not read";
    return f;
  }
  uint8_t id = (*a0)[0];
  if (id != 0x02 && id != 0x03) {
    f.corrupt = "identifier " + detail::hex2(id) + " is not an SFP: EEPROM read looks corrupt";
    return f;
  }
  // SFF-8472 8.12: CC_BASE (byte 63) over bytes 0-62, CC_EXT (byte 95) over 64-94.
  if (checksum(*a0, 0, 62) != (*a0)[63]) {
    f.corrupt = "A0h CC_BASE checksum mismatch (byte 63 is " + detail::hex2((*a0)[63]) + ", bytes 0-62 sum to " +
                detail::hex2(checksum(*a0, 0, 62)) + "): EEPROM read looks corrupt";
    return f;
  }
  if (checksum(*a0, 64, 94) != (*a0)[95]) {
    f.corrupt = "A0h CC_EXT checksum mismatch (byte 95 is " + detail::hex2((*a0)[95]) + ", bytes 64-94 sum to " +
                detail::hex2(checksum(*a0, 64, 94)) + "): EEPROM read looks corrupt";
    return f;
  }
  decodeIdentity(m, f);
  uint8_t diag = (*a0)[92];
  f.domImplemented = diag & 0x40;        // byte 92 bit 6
  bool internal = diag & 0x20;           // bit 5
  f.externalCalibration = diag & 0x10;   // bit 4
  f.rxPowerIsOma = !(diag & 0x08);       // bit 3: 1 = average power
  bool flagsImplemented = (*a0)[93] & 0x80;
  Lane lane;
  lane.number = 1;
  for (const auto& [h, why] : m.unavailable()) f.unavailable.push_back(h.name() + ": " + why);
  if (!f.domImplemented) {
    f.lanes.push_back(lane);
    return f;
  }
  const auto* a2 = m.half(lowerHalf(kA2));
  if (!a2) {
    f.unavailable.push_back("A2h: not read (the driver may report the module as SFF-8079: address change required)");
    f.lanes.push_back(lane);
    return f;
  }
  // CC_DMI (A2h byte 95) over bytes 0-94.
  if (checksum(*a2, 0, 94) != (*a2)[95]) {
    f.corrupt = "A2h CC_DMI checksum mismatch (byte 95 is " + detail::hex2((*a2)[95]) + ", bytes 0-94 sum to " +
                detail::hex2(checksum(*a2, 0, 94)) + "): EEPROM read looks corrupt";
    return f;
  }
  Converters cv;
  cv.external = f.externalCalibration;  // byte 92 bit 4 wins over bit 5 (SFF-8472 8.8)
  (void)internal;
  if (cv.external) cv.cal = readCalibration(*a2);

  f.temperatureC = cv.temperature(be16(*a2, 96));
  f.vccV = cv.vcc(be16(*a2, 98));
  lane.biasMa = cv.bias(be16(*a2, 100));
  uint16_t txRaw = be16(*a2, 102), rxRaw = be16(*a2, 104);
  lane.txPower = powerFromMw(txRaw, cv.txMw(txRaw));
  lane.rxPower = powerFromMw(rxRaw, cv.rxMw(rxRaw));
  lane.rxLos = (*a2)[110] & 0x02;
  lane.txFault = (*a2)[110] & 0x04;

  f.temperatureThresholds = thresholds(*a2, 0, [&](uint16_t r) { return cv.temperature(r); });
  f.vccThresholds = thresholds(*a2, 8, [&](uint16_t r) { return cv.vcc(r); });
  f.biasThresholds = thresholds(*a2, 16, [&](uint16_t r) { return cv.bias(r); });
  f.txPowerThresholds = thresholds(*a2, 24, [&](uint16_t r) { return std::max(0.0, cv.txMw(r)); });
  f.rxPowerThresholds = thresholds(*a2, 32, [&](uint16_t r) { return std::max(0.0, cv.rxMw(r)); });

  if (flagsImplemented) {
    uint8_t al1 = (*a2)[112], al2 = (*a2)[113], wa1 = (*a2)[116], wa2 = (*a2)[117];
    f.temperatureFlags = detail::flagsFromBits(al1, wa1, 7, 6);
    f.vccFlags = detail::flagsFromBits(al1, wa1, 5, 4);
    lane.biasFlags = detail::flagsFromBits(al1, wa1, 3, 2);
    lane.txPowerFlags = detail::flagsFromBits(al1, wa1, 1, 0);
    lane.rxPowerFlags = detail::flagsFromBits(al2, wa2, 7, 6);
  }
  f.lanes.push_back(lane);
  return f;
}

}  // namespace linkready::optics
