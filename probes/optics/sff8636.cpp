// SFF-8636 (QSFP+, QSFP28): four lanes, identity on page 00h, thresholds on page 03h
// (absent with flat memory), flags in the lower page; every field through the memory map.
#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using namespace map8636;

// Four flags in a nibble: high alarm, low alarm, high warning, low warning (bits 3-0).
Flags nibbleFlags(uint8_t v, int shift) {
  Flags f;
  f.highAlarm = v & (0x8 << shift);
  f.lowAlarm = v & (0x4 << shift);
  f.highWarning = v & (0x2 << shift);
  f.lowWarning = v & (0x1 << shift);
  return f;
}

// Lane flags: two lanes a byte, the odd lane in the high nibble (SFF-8636 Table 6-6).
Flags laneFlags(const FieldReader& r, int id, int lane) {
  return nibbleFlags(r.byte(id, (lane - 1) / 2), lane % 2 == 1 ? 4 : 0);
}

void decodeIdentity(const FieldReader& r, ModuleFacts& f) {
  Identity& idn = f.identity;
  detail::readVendor(r, {VendorName, VendorOui, VendorPn, VendorRev, VendorSn, DateCode, Connector}, idn);
  idn.identifier = r.byte(Identifier);
  idn.identifierName = identifierName(idn.identifier);
  static const char* k131[] = {"40G active cable", "40GBASE-LR4", "40GBASE-SR4", "40GBASE-CR4",
                               "10GBASE-SR", "10GBASE-LR", "10GBASE-LRM", ""};  // byte 131 bits 0-6
  uint8_t b131 = r.byte(Compliance, 0);
  for (int bit = 0; bit < 7; ++bit)
    if (b131 & (1 << bit)) idn.compliance.push_back(k131[bit]);
  if (b131 & 0x80) {  // extended: byte 192 (SFF-8024 Table 4-4)
    if (auto ext = detail::extendedComplianceName(r.byte(ExtCompliance), true); !ext.empty()) idn.compliance.push_back(ext);
  }
  uint8_t tech = r.byte(DeviceTech) >> 4;  // transmitter technology: 0xA-0xF copper
  idn.media = detail::mediaFromCompliance(idn.compliance);
  if (tech >= 0xa || idn.connector == 0x23) idn.media = idn.connector == 0x23 && tech < 0xa ? Media::ActiveCable : Media::Copper;
  if (tech < 0xa && r.word(Wavelength)) idn.wavelengthNm = r.word(Wavelength) * 0.05;  // 0.05 nm units
  uint8_t rate = r.byte(NominalRate);
  if (rate == 0xff) idn.nominalRateMbps = r.byte(RateExtended) * 250u;  // byte 222: 250 Mb/s units
  else if (rate) idn.nominalRateMbps = rate * 100u;
  if (r.byte(ReachSmf)) idn.reachSmfKm = r.byte(ReachSmf);
  uint32_t mmf = std::max({r.byte(ReachMmf, 0) * 2u, uint32_t(r.byte(ReachMmf, 1)), uint32_t(r.byte(ReachMmf, 2))});
  if (mmf) idn.reachMmfM = mmf;
  if (idn.media == Media::Unknown && idn.wavelengthNm) idn.media = *idn.wavelengthNm < 1000 ? Media::MultiMode : Media::SingleMode;
}

}  // namespace

ModuleFacts decodeSff8636(const ModuleMemory& m) {
  ModuleFacts f;
  f.standard = Standard::Sff8636;
  f.lanesTotal = 4;
  const ModuleMemory::Bytes *lower = nullptr, *p0 = nullptr;
  if (!detail::pagedStart(m, Standard::Sff8636, f, lower, p0)) return f;
  // SFF-8636 6.3: CC_BASE (191) over 128-190, CC_EXT (223) over 192-222.
  if (checksum(*p0, 128, 190) != (*p0)[191 - 128]) {
    f.corrupt = "page 00h CC_BASE checksum mismatch (byte 191): EEPROM read looks corrupt";
    return f;
  }
  if (checksum(*p0, 192, 222) != (*p0)[223 - 128]) {
    f.corrupt = "page 00h CC_EXT checksum mismatch (byte 223): EEPROM read looks corrupt";
    return f;
  }
  for (const auto& [h, why] : m.unavailable()) f.unavailable.push_back(h.name() + ": " + why);
  FieldReader r(m, Standard::Sff8636);
  decodeIdentity(r, f);

  f.flatMemory = r.byte(Status) & 0x04;           // lower byte 2 bit 2
  f.domImplemented = true;                         // SFF-8636 monitors are mandatory for the lower page
  f.rxPowerIsOma = !(r.byte(DiagnosticType) & 0x08);  // byte 220 bit 3: 1 = average power
  f.temperatureC = detail::tempFromRaw(r.word(Temperature));
  f.vccV = detail::vccFromRaw(r.word(Vcc));
  f.temperatureFlags = nibbleFlags(r.byte(TemperatureFlags), 4);  // byte 6 bits 7-4
  f.vccFlags = nibbleFlags(r.byte(VccFlags), 4);                  // byte 7 bits 7-4
  bool txPowerMonitored = r.byte(DiagnosticType) & 0x04;          // byte 220 bit 2
  for (int lane = 1; lane <= 4; ++lane) {
    Lane l;
    l.number = lane;
    l.rxPower = detail::powerFromRaw(r.word(RxPower, lane - 1));
    l.biasMa = detail::biasFromRaw(r.word(Bias, lane - 1));
    if (txPowerMonitored) l.txPower = detail::powerFromRaw(r.word(TxPower, lane - 1));
    l.losReported = true;  // byte 3 bits 0-3: latched Rx LOS, mandatory
    l.rxLos = r.byte(Los) & (1 << (lane - 1));
    l.txFault = r.byte(TxFault) & (1 << (lane - 1));
    l.rxPowerFlags = laneFlags(r, RxPowerFlags, lane);
    l.biasFlags = laneFlags(r, BiasFlags, lane);
    l.txPowerFlags = laneFlags(r, TxPowerFlags, lane);
    f.lanes.push_back(l);
  }
  if (f.flatMemory) return f;
  if (!r.present(TemperatureThresholds)) {
    f.missingPages.push_back("03h");
    f.unavailable.push_back("page 03h: not read (no module thresholds)");
    return f;
  }
  f.temperatureThresholds = r.thresholds(TemperatureThresholds, detail::tempFromRaw);
  f.vccThresholds = r.thresholds(VccThresholds, detail::vccFromRaw);
  f.rxPowerThresholds = r.thresholds(RxPowerThresholds, detail::mwFromRaw);
  f.biasThresholds = r.thresholds(BiasThresholds, detail::biasFromRaw);
  f.txPowerThresholds = r.thresholds(TxPowerThresholds, detail::mwFromRaw);
  return f;
}

}  // namespace linkready::optics
