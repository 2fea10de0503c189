// SFF-8636 (QSFP+, QSFP28): four lanes, identity on page 00h, thresholds on page 03h
// (absent with flat memory), flags in the lower page.
#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using detail::be16;
using detail::thresholds;

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
Flags laneFlags(const ModuleMemory::Bytes& lower, int firstByte, int lane) {
  return nibbleFlags(lower[firstByte + (lane - 1) / 2], lane % 2 == 1 ? 4 : 0);
}

}  // namespace

ModuleFacts decodeSff8636(const ModuleMemory& m) {
  ModuleFacts f;
  f.standard = Standard::Sff8636;
  f.lanesTotal = 4;
  const ModuleMemory::Bytes *lower = nullptr, *p0 = nullptr;
  if (!detail::pagedStart(m, Standard::Sff8636, f, lower, p0)) return f;
  uint8_t id = (*lower)[0];
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
  auto b = [&](int off) { return (*p0)[off - 128]; };
  Identity& idn = f.identity;
  idn.identifier = id;
  idn.identifierName = identifierName(id);
  idn.connector = b(130);
  idn.connectorName = connectorName(idn.connector);
  static const char* k131[] = {"40G active cable", "40GBASE-LR4", "40GBASE-SR4", "40GBASE-CR4",
                               "10GBASE-SR", "10GBASE-LR", "10GBASE-LRM", ""};  // byte 131 bits 0-6
  for (int bit = 0; bit < 7; ++bit)
    if (b(131) & (1 << bit)) idn.compliance.push_back(k131[bit]);
  if (b(131) & 0x80) {  // extended: byte 192 (SFF-8024 Table 4-4)
    if (auto ext = detail::extendedComplianceName(b(192), true); !ext.empty()) idn.compliance.push_back(ext);
  }
  uint8_t tech = b(147) >> 4;  // transmitter technology: 0xA-0xF copper
  idn.media = detail::mediaFromCompliance(idn.compliance);
  if (tech >= 0xa || idn.connector == 0x23) idn.media = idn.connector == 0x23 && tech < 0xa ? Media::ActiveCable : Media::Copper;
  if (tech < 0xa) {
    uint16_t wl = be16(*p0, 186);
    if (wl) idn.wavelengthNm = wl * 0.05;  // 0.05 nm units
  }
  if (b(140) == 0xff) idn.nominalRateMbps = b(222) * 250u;  // byte 222: 250 Mb/s units
  else if (b(140)) idn.nominalRateMbps = b(140) * 100u;
  if (b(142)) idn.reachSmfKm = b(142);
  uint32_t mmf = std::max({b(143) * 2u, uint32_t(b(144)), uint32_t(b(145))});
  if (mmf) idn.reachMmfM = mmf;
  if (idn.media == Media::Unknown && idn.wavelengthNm) idn.media = *idn.wavelengthNm < 1000 ? Media::MultiMode : Media::SingleMode;
  idn.vendorName = detail::text(m, kA0, 0, 148, 16);
  char oui[16];
  std::snprintf(oui, sizeof oui, "%02x:%02x:%02x", b(165), b(166), b(167));
  idn.vendorOui = oui;
  idn.vendorPn = detail::text(m, kA0, 0, 168, 16);
  idn.vendorRev = detail::text(m, kA0, 0, 184, 2);
  idn.vendorSn = detail::text(m, kA0, 0, 196, 16);
  idn.dateCode = detail::text(m, kA0, 0, 212, 8);

  f.flatMemory = (*lower)[2] & 0x04;  // lower byte 2 bit 2
  f.domImplemented = true;            // SFF-8636 monitors are mandatory for the lower page
  f.rxPowerIsOma = !(b(220) & 0x08);  // byte 220 bit 3: 1 = average power
  f.temperatureC = detail::tempFromRaw(be16(*lower, 22));
  f.vccV = detail::vccFromRaw(be16(*lower, 26));
  f.temperatureFlags = nibbleFlags((*lower)[6], 4);  // byte 6 bits 7-4
  f.vccFlags = nibbleFlags((*lower)[7], 4);          // byte 7 bits 7-4
  bool txPowerMonitored = b(220) & 0x04;             // byte 220 bit 2
  for (int lane = 1; lane <= 4; ++lane) {
    Lane l;
    l.number = lane;
    l.rxPower = detail::powerFromRaw(be16(*lower, 34 + 2 * (lane - 1)));
    l.biasMa = detail::biasFromRaw(be16(*lower, 42 + 2 * (lane - 1)));
    if (txPowerMonitored) l.txPower = detail::powerFromRaw(be16(*lower, 50 + 2 * (lane - 1)));
    l.rxLos = (*lower)[3] & (1 << (lane - 1));
    l.txFault = (*lower)[4] & (1 << (lane - 1));
    l.rxPowerFlags = laneFlags(*lower, 9, lane);
    l.biasFlags = laneFlags(*lower, 11, lane);
    l.txPowerFlags = laneFlags(*lower, 13, lane);
    f.lanes.push_back(l);
  }
  if (!f.flatMemory) {
    if (const auto* p3 = m.half(upperPage(3))) {
      f.temperatureThresholds = thresholds(*p3, 128, detail::tempFromRaw);
      f.vccThresholds = thresholds(*p3, 144, detail::vccFromRaw);
      f.rxPowerThresholds = thresholds(*p3, 176, [](uint16_t r) { return r / 10000.0; });
      f.biasThresholds = thresholds(*p3, 184, detail::biasFromRaw);
      f.txPowerThresholds = thresholds(*p3, 192, [](uint16_t r) { return r / 10000.0; });
    } else {
      f.unavailable.push_back("page 03h: not read (no module thresholds)");
    }
  }
  return f;
}

}  // namespace linkready::optics
