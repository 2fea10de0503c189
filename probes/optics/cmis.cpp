// CMIS 4.0/5.x (QSFP-DD, OSFP, QSFP with CMIS): module state and monitors in the lower
// page, the applications the module advertises, and per bank on page 11h the data paths
// the host configured (active control set), their states, lane monitors and flags.
// Thresholds on page 02h; implemented monitors, Rx power type, media lane assignment
// and the Tx bias multiplier on page 01h. Every field through the memory map.
#include <map>

#include "probes/optics/decode_util.h"

namespace linkready::optics {

namespace {

using namespace mapCmis;

bool laneBit(const FieldReader& r, int id, int inBank, uint8_t bank) { return r.byte(id, 0, bank) & (1 << (inBank - 1)); }

Flags laneFlags(const FieldReader& r, int id, int inBank, uint8_t bank) {  // HA, LA, HW, LW: one byte each
  auto b = [&](int i) { return bool(r.byte(id, i, bank) & (1 << (inBank - 1))); };
  return {b(0), b(1), b(2), b(3)};
}

struct Application {
  uint8_t hostId = 0, mediaId = 0;
  int hostLanes = 0, mediaLanes = 0;
  uint8_t hostAssign = 0;  // bit i: a data path may start at host lane i+1
};

// Lower 86-117 (AppSel 1-8) and page 01h 223-250 (AppSel 9-15): descriptors of four
// bytes; the list ends at host id FFh (or 00h).
std::vector<Application> applications(const FieldReader& r) {
  std::vector<Application> apps;
  for (int app = 0; app < 15; ++app) {
    int id = app < 8 ? Applications : MoreApplications, at = 4 * (app % 8);
    if (app >= 8 && !r.present(MoreApplications)) break;
    Application a{r.byte(id, at), r.byte(id, at + 1)};
    if (a.hostId == 0xff || a.hostId == 0x00) break;
    uint8_t lanes = r.byte(id, at + 2);
    a.hostLanes = lanes >> 4, a.mediaLanes = lanes & 0x0f;
    a.hostAssign = r.byte(id, at + 3);
    apps.push_back(a);
  }
  return apps;
}

int nthSetBit(uint8_t mask, int n) {  // 0-based position of the n-th (0-based) set bit, or -1
  for (int bit = 0; bit < 8; ++bit)
    if (mask & (1 << bit) && n-- == 0) return bit;
  return -1;
}

// The media lanes of the data path starting at host lane `firstHost` (1-based in its
// bank): the instance k of the application (k-th allowed start in the host lane
// assignment) uses the k-th allowed start of the media lane assignment (page 01h 176+).
std::vector<int> mediaLanesOf(const FieldReader& r, const Application& a, uint8_t appSel, int firstHost, int bank) {
  int k = 0;
  for (int bit = 0; bit < firstHost - 1; ++bit) k += (a.hostAssign >> bit) & 1;
  int first = k * a.mediaLanes;  // without page 01h: instances packed from lane 1
  if (r.present(MediaLaneAssignment) && appSel <= 15) {
    int bit = nthSetBit(r.byte(MediaLaneAssignment, appSel - 1), k);
    if (bit >= 0) first = bit;
  }
  std::vector<int> lanes;
  for (int i = 0; i < a.mediaLanes && first + i < 8; ++i) lanes.push_back(8 * bank + first + i + 1);
  return lanes;
}

DataPathState dpState(uint8_t code) {
  return code >= 1 && code <= 7 ? DataPathState(code) : DataPathState::Unknown;
}

// Page 11h of each bank: which application and data path each host lane runs.
std::vector<DataPath> dataPaths(const FieldReader& r, const std::vector<Application>& apps, uint8_t mediaType,
                                int banks) {
  std::vector<DataPath> out;
  for (int bank = 0; bank < banks; ++bank) {
    if (!r.present(ActiveControlSet, uint8_t(bank))) continue;
    std::map<int, size_t> byId;  // DataPathID -> index in out
    for (int lane = 1; lane <= 8; ++lane) {
      uint8_t cfg = r.byte(ActiveControlSet, lane - 1, uint8_t(bank));
      uint8_t appSel = cfg >> 4;  // bits 7-4; 0 = lane unused
      int id = (cfg >> 1) & 0x07;  // bits 3-1
      if (appSel == 0) continue;
      auto it = byId.find(id);
      if (it == byId.end()) {
        DataPath dp;
        dp.id = id, dp.bank = bank, dp.appSel = appSel;
        if (appSel <= apps.size()) {
          const Application& a = apps[appSel - 1];
          dp.hostInterface = detail::cmisHostInterfaceName(a.hostId);
          dp.mediaInterface = detail::cmisMediaInterfaceName(mediaType, a.mediaId);
          dp.mediaLanes = mediaLanesOf(r, a, appSel, id + 1, bank);
        }
        // States: two host lanes a byte, the odd lane in bits 3-0 (Table 8-78).
        int first = id;  // 0-based host lane of the data path's first lane
        dp.state = dpState((r.byte(DataPathStates, first / 2, uint8_t(bank)) >> (first % 2 ? 4 : 0)) & 0x0f);
        it = byId.emplace(id, out.size()).first;
        out.push_back(dp);
      }
      out[it->second].hostLanes.push_back(8 * bank + lane);
    }
  }
  return out;
}

void decodeIdentity(const FieldReader& r, ModuleFacts& f, const std::vector<Application>& apps, uint8_t mediaType) {
  Identity& idn = f.identity;
  detail::readVendor(r, {VendorName, VendorOui, VendorPn, VendorRev, VendorSn, DateCode, Connector}, idn);
  idn.identifier = r.byte(Identifier);
  idn.identifierName = identifierName(idn.identifier);
  idn.media = mediaType == 0x01 ? Media::MultiMode
              : mediaType == 0x02 ? Media::SingleMode
              : mediaType == 0x03 ? Media::Copper
              : mediaType == 0x04 ? Media::ActiveCable
                                  : Media::Unknown;
  for (const Application& a : apps) {
    std::string name = detail::cmisMediaInterfaceName(mediaType, a.mediaId);
    bool seen = false;
    for (const auto& c : idn.compliance) seen = seen || c == name;
    if (!name.empty() && !seen) idn.compliance.push_back(name);
  }
}

// Lane monitors and flags of every media lane of every configured data path.
void decodeLanes(const FieldReader& r, ModuleFacts& f, int biasMultiplier, uint8_t implemented) {
  bool biasMon = implemented & 0x01, txMon = implemented & 0x02, rxMon = implemented & 0x04;
  bool moduleReady = f.moduleState == ModuleState::Ready;
  for (size_t i = 0; i < f.dataPaths.size(); ++i) {
    const DataPath& dp = f.dataPaths[i];
    for (int lane : dp.mediaLanes) {
      uint8_t bank = uint8_t((lane - 1) / 8);
      int inBank = (lane - 1) % 8 + 1;
      Lane l;
      l.number = lane;
      l.dataPath = int(i) + 1;
      if (txMon) l.txPower = detail::powerFromRaw(r.word(TxPower, inBank - 1, bank));
      if (biasMon) l.biasMa = detail::biasFromRaw(r.word(Bias, inBank - 1, bank)) * biasMultiplier;
      if (rxMon) l.rxPower = detail::powerFromRaw(r.word(RxPower, inBank - 1, bank));
      l.txFault = laneBit(r, TxFault, inBank, bank);
      l.losReported = true;  // page 11h byte 147: latched Rx LOS per media lane
      l.rxLos = laneBit(r, RxLos, inBank, bank);
      l.txPowerFlags = laneFlags(r, TxPowerFlags, inBank, bank);
      l.biasFlags = laneFlags(r, BiasFlags, inBank, bank);
      l.rxPowerFlags = laneFlags(r, RxPowerFlags, inBank, bank);
      l.carriesLight = moduleReady && dp.activated();
      if (!moduleReady) l.notCarryingWhy = "the module is " + moduleStateName(f.moduleState.value_or(ModuleState::Unknown));
      else if (!dp.activated()) l.notCarryingWhy = "data path " + std::to_string(i + 1) + " is " + dataPathStateName(dp.state);
      f.lanes.push_back(l);
    }
  }
}

}  // namespace

ModuleFacts decodeCmis(const ModuleMemory& read) {
  // CMIS 8.5/8.6: page 01h byte 255 sums bytes 130-254, page 02h byte 255 bytes 128-254
  // (checked against every real CMIS dump in tests/fixtures). A page whose sum fails is
  // not believed, the rest of the module is: shifted bytes on page 02h would be taken as
  // thresholds, on page 01h as the monitors implemented and the bias multiplier.
  ModuleMemory m = read;
  for (auto [page, from] : {std::pair<uint8_t, int>{0x01, 130}, {0x02, 128}})
    if (const ModuleMemory::Bytes* p = m.half(upperPage(page)); p && checksum(*p, from, 254) != (*p)[127])
      m.drop(upperPage(page), std::string("checksum mismatch (byte 255): its bytes are not believed"));
  ModuleFacts f;
  f.standard = Standard::Cmis;
  const ModuleMemory::Bytes *lower = nullptr, *p0 = nullptr;
  if (!detail::pagedStart(m, Standard::Cmis, f, lower, p0)) return f;
  // CMIS 8.4: page 00h byte 222 is the checksum of bytes 128-221.
  if (checksum(*p0, 128, 221) != (*p0)[222 - 128]) {
    f.corrupt = "page 00h checksum mismatch (byte 222): EEPROM read looks corrupt";
    return f;
  }
  for (const auto& [h, why] : m.unavailable()) f.unavailable.push_back(h.name() + ": " + why);
  FieldReader r(m, Standard::Cmis);
  f.flatMemory = r.byte(MemoryModel) & 0x80;  // lower byte 2 bit 7
  uint8_t mediaType = r.byte(MediaType);  // 01 MMF, 02 SMF, 03 passive copper, 04 active cable, 05 BASE-T
  auto apps = applications(r);
  decodeIdentity(r, f, apps, mediaType);
  uint8_t state = (r.byte(ModuleStateByte) >> 1) & 0x07;  // byte 3 bits 3-1
  f.moduleState = state >= 1 && state <= 5 ? ModuleState(state) : ModuleState::Unknown;

  f.temperatureC = detail::tempFromRaw(r.word(Temperature));
  f.vccV = detail::vccFromRaw(r.word(Vcc));
  // Module flags: lower byte 9 (temperature bits 0-3, Vcc bits 4-7): HA, LA, HW, LW.
  uint8_t mf = r.byte(ModuleFlags);
  f.temperatureFlags = {bool(mf & 0x01), bool(mf & 0x02), bool(mf & 0x04), bool(mf & 0x08)};
  f.vccFlags = {bool(mf & 0x10), bool(mf & 0x20), bool(mf & 0x40), bool(mf & 0x80)};
  f.lanesTotal = 8;
  if (f.flatMemory) return f;  // only lower + page 00h exist

  for (uint8_t page : {0x01, 0x02, 0x11})
    if (!m.has(upperPage(page))) {
      char name[8];
      std::snprintf(name, sizeof name, "%02Xh", page);
      f.missingPages.push_back(name);
    }
  bool p1 = r.present(MonitorsImplemented);
  if (p1 && r.word(Wavelength) && mediaType != 0x03) f.identity.wavelengthNm = r.word(Wavelength) * 0.05;  // 0.05 nm
  uint8_t implemented = r.byte(MonitorsImplemented);  // page 01h byte 160
  // Bits 4:3: Tx bias current multiplier x1, x2, x4 (multiply the raw 2 uA count).
  int biasMultiplier = 1 << ((implemented >> 3) & 0x03);
  uint8_t banks = r.byte(Banks) & 0x03;  // 0: bank 0 only; 1: banks 0-1; 2: banks 0-3
  int bankCount = banks == 0 ? 1 : banks == 1 ? 2 : 4;
  f.lanesTotal = 8 * bankCount;
  f.rxPowerIsOma = p1 && !(r.byte(ModuleCharacteristics) & 0x10);  // page 01h byte 151 bit 4: 1 = average
  f.domImplemented = implemented & 0x07;

  if (r.present(TemperatureThresholds)) {
    f.temperatureThresholds = r.thresholds(TemperatureThresholds, detail::tempFromRaw);
    f.vccThresholds = r.thresholds(VccThresholds, detail::vccFromRaw);
    f.txPowerThresholds = r.thresholds(TxPowerThresholds, detail::mwFromRaw);
    f.biasThresholds = r.thresholds(BiasThresholds, [&](uint16_t x) { return detail::biasFromRaw(x) * biasMultiplier; });
    f.rxPowerThresholds = r.thresholds(RxPowerThresholds, detail::mwFromRaw);
  }
  f.dataPaths = dataPaths(r, apps, mediaType, bankCount);
  for (int bank = 1; bank < bankCount; ++bank)
    if (!r.present(ActiveControlSet, uint8_t(bank))) f.unavailable.push_back(upperPage(0x11, uint8_t(bank)).name() + ": not read");
  // Without page 01h the module's implemented monitors are unknown: no lane values.
  decodeLanes(r, f, biasMultiplier, p1 ? implemented : 0);
  return f;
}

}  // namespace linkready::optics
