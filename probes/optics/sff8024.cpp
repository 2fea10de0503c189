// Names from SFF-8024 (identifiers, connectors, extended compliance, CMIS media codes)
// and the helpers every decoder shares.
#include <cmath>

#include "probes/optics/decode_util.h"

namespace linkready::optics {

std::string standardName(Standard s) {
  switch (s) {
    case Standard::Sff8472: return "SFF-8472";
    case Standard::Sff8636: return "SFF-8636";
    case Standard::Cmis: return "CMIS";
    default: return "unknown";
  }
}

std::string mediaName(Media m) {
  switch (m) {
    case Media::SingleMode: return "single-mode fibre";
    case Media::MultiMode: return "multimode fibre";
    case Media::Copper: return "copper";
    case Media::ActiveCable: return "active cable";
    default: return "unknown media";
  }
}

std::optional<double> mwToDbm(double mw) {
  if (!(mw > 0)) return std::nullopt;
  return 10.0 * std::log10(mw);
}

std::optional<double> Power::dbm() const {
  if (noLight()) return std::nullopt;
  return mwToDbm(mw);
}

std::string moduleStateName(ModuleState s) {  // CMIS 5.2 Table 8-7
  switch (s) {
    case ModuleState::LowPower: return "ModuleLowPwr";
    case ModuleState::PoweringUp: return "ModulePwrUp";
    case ModuleState::Ready: return "ModuleReady";
    case ModuleState::PoweringDown: return "ModulePwrDn";
    case ModuleState::Fault: return "ModuleFault";
    default: return "unknown module state";
  }
}

std::string dataPathStateName(DataPathState s) {  // CMIS 5.2 Table 8-78
  switch (s) {
    case DataPathState::Deactivated: return "DPDeactivated";
    case DataPathState::Initializing: return "DPInit";
    case DataPathState::Deinitializing: return "DPDeinit";
    case DataPathState::Activated: return "DPActivated";
    case DataPathState::TxTurningOn: return "DPTxTurnOn";
    case DataPathState::TxTurningOff: return "DPTxTurnOff";
    case DataPathState::Initialized: return "DPInitialized";
    default: return "unknown data path state";
  }
}

uint8_t checksum(const ModuleMemory::Bytes& half, int from, int to) {
  unsigned sum = 0;
  for (int i = from; i <= to; ++i) sum += half[i % 128];
  return uint8_t(sum & 0xff);
}

Standard standardOf(uint8_t id) {
  switch (id) {
    case 0x02: case 0x03: return Standard::Sff8472;
    case 0x0c: case 0x0d: case 0x11: return Standard::Sff8636;
    case 0x18: case 0x19: case 0x1b: case 0x1e: case 0x1f: case 0x20: case 0x21: case 0x22:
      return Standard::Cmis;
    default: return Standard::Unknown;
  }
}

std::string identifierName(uint8_t id) {  // SFF-8024 Table 4-1
  switch (id) {
    case 0x02: return "module soldered to motherboard (SFP)";
    case 0x03: return "SFP/SFP+/SFP28";
    case 0x0c: return "QSFP";
    case 0x0d: return "QSFP+";
    case 0x11: return "QSFP28";
    case 0x18: return "QSFP-DD";
    case 0x19: return "OSFP";
    case 0x1b: return "DSFP";
    case 0x1e: return "QSFP+ or later with CMIS";
    case 0x1f: return "SFP-DD with CMIS";
    case 0x20: return "SFP+ with CMIS";
    default: return "unknown (" + detail::hex2(id) + ")";
  }
}

std::string connectorName(uint8_t c) {  // SFF-8024 Table 4-3
  switch (c) {
    case 0x00: return "unknown or unspecified";
    case 0x01: return "SC";
    case 0x07: return "LC";
    case 0x0b: return "optical pigtail";
    case 0x0c: return "MPO 1x12";
    case 0x0d: return "MPO 2x16";
    case 0x21: return "copper pigtail";
    case 0x22: return "RJ45";
    case 0x23: return "no separable connector";
    case 0x24: return "MXC 2x16";
    case 0x25: return "CS optical connector";
    case 0x26: return "SN optical connector";
    case 0x27: return "MPO 2x12";
    case 0x28: return "MPO 1x16";
    default: return "other (" + detail::hex2(c) + ")";
  }
}

namespace detail {

void readVendor(const FieldReader& r, const VendorFields& v, Identity& id) {
  id.vendorName = r.text(v.name);
  char oui[16];
  std::snprintf(oui, sizeof oui, "%02x:%02x:%02x", r.byte(v.oui, 0), r.byte(v.oui, 1), r.byte(v.oui, 2));
  id.vendorOui = oui;
  id.vendorPn = r.text(v.pn);
  id.vendorRev = r.text(v.rev);
  id.vendorSn = r.text(v.sn);
  id.dateCode = r.text(v.date);
  id.connector = r.byte(v.connector);
  id.connectorName = connectorName(id.connector);
}

Media mediaFromCompliance(const std::vector<std::string>& compliance) {
  for (const auto& c : compliance) {
    if (c.find("AOC") != std::string::npos) return Media::ActiveCable;
    if (c.find("CR") != std::string::npos || c.find("ACC") != std::string::npos || c.find("BASE-T") != std::string::npos ||
        c.find("1000BASE-CX") != std::string::npos)
      return Media::Copper;
    if (c.find("SR") != std::string::npos || c.find("SX") != std::string::npos || c.find("SWDM") != std::string::npos ||
        c.find("LRM") != std::string::npos)
      return Media::MultiMode;
    if (c.find("LR") != std::string::npos || c.find("ER") != std::string::npos || c.find("LX") != std::string::npos ||
        c.find("DR") != std::string::npos || c.find("FR") != std::string::npos || c.find("CWDM") != std::string::npos ||
        c.find("PSM") != std::string::npos || c.find("CLR") != std::string::npos || c.find("BX") != std::string::npos)
      return Media::SingleMode;
  }
  return Media::Unknown;
}

}  // namespace detail

ModuleFacts decodeModule(const ModuleMemory& memory) {
  auto id = memory.byte(kA0, 0, 0);
  if (!id) {
    ModuleFacts f;
    f.readError = "the lower page was not read";
    return f;
  }
  switch (standardOf(*id)) {
    case Standard::Sff8472: return decodeSff8472(memory);
    case Standard::Sff8636: return decodeSff8636(memory);
    case Standard::Cmis: return decodeCmis(memory);
    default: {
      ModuleFacts f;
      f.identity.identifier = *id;
      f.identity.identifierName = identifierName(*id);
      f.corrupt = *id == 0x00 || *id == 0xff
                      ? "identifier byte is " + detail::hex2(*id) + ": EEPROM read looks corrupt (or the module is absent)"
                      : "identifier " + detail::hex2(*id) + " (" + identifierName(*id) + ") is not a module linkready decodes";
      return f;
    }
  }
}

}  // namespace linkready::optics
