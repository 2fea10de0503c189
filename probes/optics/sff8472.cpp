// SFF-8472 (SFP, SFP+, SFP28): A0h identity, A2h diagnostics with internal or external
// calibration (section 9.3), thresholds, flags; every field through the memory map.
#include <cstring>

#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using namespace map8472;
using detail::powerFromMw;

// A2h external calibration constants (SFF-8472 9.3, Table 9-6), at A2h 56-91.
struct Calibration {
  double rxPwr[5] = {0, 0, 0, 0, 0};  // Rx_PWR(0) .. Rx_PWR(4)
  double txISlope = 1, txPwrSlope = 1, tSlope = 1, vSlope = 1;
  int16_t txIOffset = 0, txPwrOffset = 0, tOffset = 0, vOffset = 0;
};

Calibration readCalibration(const FieldReader& r) {
  Calibration c;
  // Rx_PWR(4) at 56, (3) at 60, (2) at 64, (1) at 68, (0) at 72: IEEE-754, big-endian.
  for (int i = 0; i < 5; ++i) {
    uint32_t bits = uint32_t(r.word(CalibrationConstants, 2 * i)) << 16 | r.word(CalibrationConstants, 2 * i + 1);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    c.rxPwr[4 - i] = double(f);
  }
  // Slopes (76, 80, 84, 88) are unsigned 8.8 fixed point, offsets (78, 82, 86, 90) signed
  // 16-bit in the field's LSB units: words 10-17 of the block.
  c.txISlope = r.word(CalibrationConstants, 10) / 256.0;
  c.txIOffset = int16_t(r.word(CalibrationConstants, 11));
  c.txPwrSlope = r.word(CalibrationConstants, 12) / 256.0;
  c.txPwrOffset = int16_t(r.word(CalibrationConstants, 13));
  c.tSlope = r.word(CalibrationConstants, 14) / 256.0;
  c.tOffset = int16_t(r.word(CalibrationConstants, 15));
  c.vSlope = r.word(CalibrationConstants, 16) / 256.0;
  c.vOffset = int16_t(r.word(CalibrationConstants, 17));
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

void decodeIdentity(const FieldReader& r, ModuleFacts& f) {
  Identity& id = f.identity;
  detail::readVendor(r, {VendorName, VendorOui, VendorPn, VendorRev, VendorSn, DateCode, Connector}, id);
  id.identifier = r.byte(Identifier);
  id.identifierName = identifierName(id.identifier);
  uint8_t codes10g = r.byte(Compliance, 0);  // byte 3 bits 4-7
  static const char* k10g[] = {"10GBASE-SR", "10GBASE-LR", "10GBASE-LRM", "10GBASE-ER"};
  for (int bit = 4; bit < 8; ++bit)
    if (codes10g & (1 << bit)) id.compliance.push_back(k10g[bit - 4]);
  static const char* kGbe[] = {"1000BASE-SX", "1000BASE-LX", "1000BASE-CX", "1000BASE-T",
                               "100BASE-LX/LX10", "100BASE-FX", "BASE-BX10", "BASE-PX"};  // byte 6
  for (int bit = 0; bit < 8; ++bit)
    if (r.byte(Compliance, 3) & (1 << bit)) id.compliance.push_back(kGbe[bit]);
  if (auto ext = detail::extendedComplianceName(r.byte(ExtCompliance), false); !ext.empty()) id.compliance.push_back(ext);
  bool copperCable = r.byte(Compliance, 5) & 0x0c;  // byte 8 bit 2 passive, bit 3 active SFP+ cable
  id.media = detail::mediaFromCompliance(id.compliance);
  if (copperCable || id.connector == 0x21 || id.connector == 0x22) id.media = Media::Copper;
  // Bytes 60-61: wavelength in nm, unless the module is a copper cable (then compliance).
  if (!copperCable && r.word(Wavelength)) id.wavelengthNm = r.word(Wavelength);
  uint8_t rate = r.byte(NominalRate);
  if (rate == 0xff) id.nominalRateMbps = r.byte(RateExtended) * 250u;  // SFF-8472 8.4: above 25.4 Gb/s
  else if (rate) id.nominalRateMbps = rate * 100u;
  if (r.byte(Reach, 0)) id.reachSmfKm = r.byte(Reach, 0);
  else if (r.byte(Reach, 1)) id.reachSmfKm = r.byte(Reach, 1) / 10.0;
  uint32_t mmf = std::max({r.byte(Reach, 2) * 10u, r.byte(Reach, 3) * 10u, r.byte(Reach, 5) * 10u});
  if (mmf) id.reachMmfM = mmf;
  if (id.media == Media::Unknown && id.wavelengthNm) {
    id.media = *id.wavelengthNm < 1000 ? Media::MultiMode : Media::SingleMode;
  }
}

std::string checksumError(const char* what, int at, uint8_t stored, uint8_t sum, int from, int to) {
  return std::string(what) + " checksum mismatch (byte " + std::to_string(at) + " is " + detail::hex2(stored) +
         ", bytes " + std::to_string(from) + "-" + std::to_string(to) + " sum to " + detail::hex2(sum) +
         "): EEPROM read looks corrupt";
}

// The live values, the module's thresholds and flags from A2h.
void decodeDiagnostics(const FieldReader& r, bool flagsImplemented, ModuleFacts& f, Lane& lane) {
  Converters cv;
  cv.external = f.externalCalibration;  // byte 92 bit 4 wins over bit 5 (SFF-8472 8.8)
  if (cv.external) cv.cal = readCalibration(r);
  f.temperatureC = cv.temperature(r.word(Temperature));
  f.vccV = cv.vcc(r.word(Vcc));
  lane.biasMa = cv.bias(r.word(Bias));
  uint16_t txRaw = r.word(TxPower), rxRaw = r.word(RxPower);
  lane.txPower = powerFromMw(txRaw, cv.txMw(txRaw));
  lane.rxPower = powerFromMw(rxRaw, cv.rxMw(rxRaw));
  // Byte 110 bit 1: Rx_LOS state, bit 2: Tx fault state (real time; optional: A0h byte 93
  // bit 4 = soft RX_LOS monitoring implemented, bit 5 = soft TX_FAULT monitoring).
  lane.losReported = r.byte(EnhancedOptions) & 0x10;
  lane.rxLos = lane.losReported && (r.byte(Status) & 0x02);
  lane.txFault = (r.byte(EnhancedOptions) & 0x20) && (r.byte(Status) & 0x04);

  f.temperatureThresholds = r.thresholds(TemperatureThresholds, [&](uint16_t x) { return cv.temperature(x); });
  f.vccThresholds = r.thresholds(VccThresholds, [&](uint16_t x) { return cv.vcc(x); });
  f.biasThresholds = r.thresholds(BiasThresholds, [&](uint16_t x) { return cv.bias(x); });
  f.txPowerThresholds = r.thresholds(TxPowerThresholds, [&](uint16_t x) { return std::max(0.0, cv.txMw(x)); });
  f.rxPowerThresholds = r.thresholds(RxPowerThresholds, [&](uint16_t x) { return std::max(0.0, cv.rxMw(x)); });

  if (flagsImplemented) {
    uint8_t al1 = r.byte(Alarms, 0), al2 = r.byte(Alarms, 1), wa1 = r.byte(Warnings, 0), wa2 = r.byte(Warnings, 1);
    f.temperatureFlags = detail::flagsFromBits(al1, wa1, 7, 6);
    f.vccFlags = detail::flagsFromBits(al1, wa1, 5, 4);
    lane.biasFlags = detail::flagsFromBits(al1, wa1, 3, 2);
    lane.txPowerFlags = detail::flagsFromBits(al1, wa1, 1, 0);
    lane.rxPowerFlags = detail::flagsFromBits(al2, wa2, 7, 6);
  }
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
    f.corrupt = checksumError("A0h CC_BASE", 63, (*a0)[63], checksum(*a0, 0, 62), 0, 62);
    return f;
  }
  if (checksum(*a0, 64, 94) != (*a0)[95]) {
    f.corrupt = checksumError("A0h CC_EXT", 95, (*a0)[95], checksum(*a0, 64, 94), 64, 94);
    return f;
  }
  FieldReader r(m, Standard::Sff8472);
  decodeIdentity(r, f);
  uint8_t diag = r.byte(DiagnosticType);
  f.domImplemented = diag & 0x40;        // byte 92 bit 6
  f.externalCalibration = diag & 0x10;   // bit 4 (bit 5: internal)
  f.rxPowerIsOma = !(diag & 0x08);       // bit 3: 1 = average power
  bool flagsImplemented = r.byte(EnhancedOptions) & 0x80;
  Lane lane;
  lane.number = 1;
  for (const auto& [h, why] : m.unavailable()) f.unavailable.push_back(h.name() + ": " + why);
  if (f.domImplemented) {
    const auto* a2 = m.half(lowerHalf(kA2));
    if (!a2) {
      f.missingPages.push_back("A2h");
      f.unavailable.push_back("A2h: not read (the driver may report the module as SFF-8079: address change required)");
    } else if (checksum(*a2, 0, 94) != (*a2)[95]) {  // CC_DMI over bytes 0-94
      f.corrupt = checksumError("A2h CC_DMI", 95, (*a2)[95], checksum(*a2, 0, 94), 0, 94);
      return f;
    } else {
      decodeDiagnostics(r, flagsImplemented, f, lane);
    }
  }
  f.lanes.push_back(lane);
  return f;
}

}  // namespace linkready::optics
