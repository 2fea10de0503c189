// CMIS 4.0/5.x (QSFP-DD, OSFP, QSFP with CMIS): module monitors in the lower page, lane
// monitors and flags on page 11h per bank, thresholds on page 02h, implemented monitors
// and the Tx bias multiplier on page 01h; only the media lanes of the active application.
#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using detail::be16;
using detail::thresholds;

bool bit(const ModuleMemory::Bytes& p, int off, int lane) { return p[off % 128] & (1 << ((lane - 1) % 8)); }

}  // namespace

ModuleFacts decodeCmis(const ModuleMemory& m) {
  ModuleFacts f;
  f.standard = Standard::Cmis;
  const ModuleMemory::Bytes *lower = nullptr, *p0 = nullptr;
  if (!detail::pagedStart(m, Standard::Cmis, f, lower, p0)) return f;
  uint8_t id = (*lower)[0];
  // CMIS 8.4: page 00h byte 222 is the checksum of bytes 128-221.
  if (checksum(*p0, 128, 221) != (*p0)[222 - 128]) {
    f.corrupt = "page 00h checksum mismatch (byte 222): EEPROM read looks corrupt";
    return f;
  }
  for (const auto& [h, why] : m.unavailable()) f.unavailable.push_back(h.name() + ": " + why);
  f.flatMemory = (*lower)[2] & 0x80;  // lower byte 2 bit 7
  auto b = [&](int off) { return (*p0)[off - 128]; };
  Identity& idn = f.identity;
  idn.identifier = id;
  idn.identifierName = identifierName(id);
  idn.vendorName = detail::text(m, kA0, 0, 129, 16);
  char oui[16];
  std::snprintf(oui, sizeof oui, "%02x:%02x:%02x", b(145), b(146), b(147));
  idn.vendorOui = oui;
  idn.vendorPn = detail::text(m, kA0, 0, 148, 16);
  idn.vendorRev = detail::text(m, kA0, 0, 164, 2);
  idn.vendorSn = detail::text(m, kA0, 0, 166, 16);
  idn.dateCode = detail::text(m, kA0, 0, 182, 8);
  idn.connector = b(203);
  idn.connectorName = connectorName(idn.connector);

  // Applications (lower 86-117, four bytes each): host id, media id, lane counts.
  uint8_t mediaType = (*lower)[85];  // 01 MMF, 02 SMF, 03 passive copper, 04 active cable, 05 BASE-T
  idn.media = mediaType == 0x01 ? Media::MultiMode
              : mediaType == 0x02 ? Media::SingleMode
              : mediaType == 0x03 ? Media::Copper
              : mediaType == 0x04 ? Media::ActiveCable
                                  : Media::Unknown;
  // The application in use: AppSel of lane 1's active data path (page 11h byte 206,
  // bits 7-4); without page 11h, the module's first (default) application.
  const auto* p11 = f.flatMemory ? nullptr : m.half(upperPage(0x11));
  uint8_t appSel = 1;
  if (p11 && ((*p11)[206 - 128] >> 4)) appSel = (*p11)[206 - 128] >> 4;
  f.activeApplication = appSel;
  int mediaLanes = 0;
  for (int app = 1; app <= 8; ++app) {
    int off = 86 + 4 * (app - 1);
    uint8_t hostId = (*lower)[off], mediaId = (*lower)[off + 1];
    if (hostId == 0xff || hostId == 0x00) break;  // end of the list
    std::string name = detail::cmisMediaInterfaceName(mediaType, mediaId);
    if (!name.empty()) idn.compliance.push_back(name);
    if (app == appSel) mediaLanes = (*lower)[off + 2] & 0x0f;
  }
  f.lanesTotal = 8;
  if (mediaLanes == 0) mediaLanes = 8;

  f.temperatureC = detail::tempFromRaw(be16(*lower, 14));
  f.vccV = detail::vccFromRaw(be16(*lower, 16));
  // Module flags: lower byte 9 (temperature bits 0-3, Vcc bits 4-7): HA, LA, HW, LW.
  uint8_t mf = (*lower)[9];
  f.temperatureFlags = {bool(mf & 0x01), bool(mf & 0x02), bool(mf & 0x04), bool(mf & 0x08)};
  f.vccFlags = {bool(mf & 0x10), bool(mf & 0x20), bool(mf & 0x40), bool(mf & 0x80)};

  if (f.flatMemory) return f;  // only lower + page 00h exist
  const auto* p1 = m.half(upperPage(1));
  if (!p1) {
    f.unavailable.push_back("page 01h: not read (no lane monitors or thresholds without it)");
    return f;
  }
  uint16_t wl = be16(*p1, 138);  // page 01h 138-139: nominal wavelength, 0.05 nm
  if (wl && mediaType != 0x03) idn.wavelengthNm = wl * 0.05;
  uint8_t implemented = (*p1)[160 - 128];
  bool biasMon = implemented & 0x01, txMon = implemented & 0x02, rxMon = implemented & 0x04;
  // Bits 4:3: Tx bias current multiplier x1, x2, x4 (multiply the raw 2 uA count).
  int biasMultiplier = 1 << ((implemented >> 3) & 0x03);
  uint8_t banks = (*p1)[142 - 128] & 0x03;  // 0: bank 0 only; 1: banks 0-1; 2: banks 0-3

  if (const auto* p2 = m.half(upperPage(2))) {
    f.temperatureThresholds = thresholds(*p2, 128, detail::tempFromRaw);
    f.vccThresholds = thresholds(*p2, 136, detail::vccFromRaw);
    f.txPowerThresholds = thresholds(*p2, 176, [](uint16_t r) { return r / 10000.0; });
    f.biasThresholds = thresholds(*p2, 184, [&](uint16_t r) { return detail::biasFromRaw(r) * biasMultiplier; });
    f.rxPowerThresholds = thresholds(*p2, 192, [](uint16_t r) { return r / 10000.0; });
  } else {
    f.unavailable.push_back("page 02h: not read (no module thresholds)");
  }

  // Lane n of the module lives in bank (n-1)/8, lane ((n-1)%8)+1 of that bank's page 11h.
  int bankCount = banks == 0 ? 1 : banks == 1 ? 2 : 4;
  f.lanesTotal = 8 * bankCount;
  for (int lane = 1; lane <= mediaLanes && lane <= 8 * bankCount; ++lane) {
    uint8_t bank = uint8_t((lane - 1) / 8);
    int inBank = (lane - 1) % 8 + 1;
    const auto* page = m.half(upperPage(0x11, bank));
    if (!page) {
      f.unavailable.push_back(upperPage(0x11, bank).name() + ": not read (no lane monitors)");
      break;
    }
    Lane l;
    l.number = lane;
    if (txMon) l.txPower = detail::powerFromRaw(be16(*page, 154 + 2 * (inBank - 1)));
    if (biasMon) l.biasMa = detail::biasFromRaw(be16(*page, 170 + 2 * (inBank - 1))) * biasMultiplier;
    if (rxMon) l.rxPower = detail::powerFromRaw(be16(*page, 186 + 2 * (inBank - 1)));
    l.txFault = bit(*page, 135, inBank);
    l.txPowerFlags = {bit(*page, 139, inBank), bit(*page, 140, inBank), bit(*page, 141, inBank), bit(*page, 142, inBank)};
    l.biasFlags = {bit(*page, 143, inBank), bit(*page, 144, inBank), bit(*page, 145, inBank), bit(*page, 146, inBank)};
    l.rxLos = bit(*page, 147, inBank);
    l.rxPowerFlags = {bit(*page, 149, inBank), bit(*page, 150, inBank), bit(*page, 151, inBank), bit(*page, 152, inBank)};
    f.lanes.push_back(l);
  }
  f.domImplemented = biasMon || txMon || rxMon;
  return f;
}

}  // namespace linkready::optics
