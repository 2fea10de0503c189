// Equinix Fabric v4 connection objects (GET /fabric/v4/connections/{uuid}) and port
// objects (GET /fabric/v4/ports/{uuid}, or the list's `data`).
#include <charconv>

#include "probes/cloud/json_at.h"

namespace linkready::cloud::detail {

namespace {

bool knownTpid(uint64_t v) { return v == 0x8100 || v == 0x88a8 || v == 0x9100 || v == 0x9200; }

// encapsulation.tagProtocolId: the spec's examples send a decimal number (33024), the SDK
// types it as a string ("33024"); "0x8100" is read too, and "8100" (hex without 0x) when
// the decimal reading is no Ethernet type.
std::optional<uint16_t> tagProtocolId(const At& a) {
  if (a.absent()) return std::nullopt;
  uint64_t value = 0;
  if (a.v.is_number_unsigned() || a.v.is_number_integer()) {
    value = *a.u64();
  } else if (a.v.is_string()) {
    std::string s = a.v.get<std::string>();
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (hex) s = s.substr(2);
    uint64_t dec = 0, hx = 0;
    auto end = s.data() + s.size();
    bool decOk = !hex && std::from_chars(s.data(), end, dec).ptr == end && !s.empty();
    bool hexOk = std::from_chars(s.data(), end, hx, 16).ptr == end && !s.empty();
    if (decOk && (knownTpid(dec) || !hexOk || !knownTpid(hx))) value = dec;
    else if (hexOk) value = hx;
    else a.fail("expected a tag protocol id (33024, \"33024\" or \"0x8100\"), found " + a.shown());
  } else {
    a.fail("expected a tag protocol id, found " + std::string(a.v.type_name()));
  }
  if (value == 0 || value > 0xffff) a.fail("tag protocol id " + std::to_string(value) + " is not a 16-bit Ethernet type");
  return uint16_t(value);
}

}  // namespace

void readEquinixConnection(const At& c, Intent& in) {
  EquinixConnection x;
  x.source = c.file + ": " + c.path;
  x.uuid = c["uuid"].str();
  x.name = c["name"].str();
  x.state = c["state"].str();
  x.equinixStatus = c["operation"]["equinixStatus"].str();
  x.providerStatus = c["operation"]["providerStatus"].str();
  x.redundancyPriority = c["redundancy"]["priority"].str();
  x.profileName = c["zSide"]["accessPoint"]["profile"]["name"].str();
  At a = c["aSide"]["accessPoint"]["linkProtocol"];
  x.aSideProtocol = a["type"].str();
  x.aSideTag = a["vlanTag"].u32();
  x.aSideSTag = a["vlanSTag"].u32();
  x.aSideCTag = a["vlanCTag"].u32();
  if (x.aSideCTag && *x.aSideCTag == 0) x.aSideCTag.reset();  // the spec's own example has 0: "no C-tag"
  x.zSideTag = c["zSide"]["accessPoint"]["linkProtocol"]["vlanTag"].u32();
  At port = c["aSide"]["accessPoint"]["port"];
  x.portUuid = port["uuid"].str();
  x.portName = port["name"].str();
  // A port object embedded in the connection, when the file carries one.
  x.tagProtocolId = tagProtocolId(port["encapsulation"]["tagProtocolId"]);
  in.equinix.push_back(x);
}

bool isEquinixPort(const At& p) {
  return p.v.is_object() && (p["type"].v == "XF_PORT" || (p.has("encapsulation") && p.has("physicalPorts")));
}

void readEquinixPort(const At& p, Intent& in) {
  EquinixPort x;
  x.source = p.file + ": " + p.path;
  x.uuid = p["uuid"].str();
  x.name = p["name"].str();
  x.state = p["state"].str();
  x.physicalPortsType = p["physicalPortsType"].str();
  x.redundancyPriority = p["redundancy"]["priority"].str();
  x.encapsulationType = p["encapsulation"]["type"].str();
  x.tagProtocolId = tagProtocolId(p["encapsulation"]["tagProtocolId"]);
  for (const At& pp : p["physicalPorts"].items()) {
    EquinixPhysicalPort y;
    At t = pp["tether"], d = pp["demarcationPoint"];
    y.crossConnectId = t["crossConnectId"].str();
    y.tetherPatchPanel = t["patchPanel"].str();
    y.tetherPortA = t["patchPanelPortA"].str();
    y.tetherPortB = t["patchPanelPortB"].str();
    y.demarcPatchPanel = pick(d, {"patchPanel", "patchPanelName"}).str();
    y.demarcPortA = d["patchPanelPortA"].str();
    y.demarcPortB = d["patchPanelPortB"].str();
    y.ibx = pick(d, {"ibx"}).str();
    if (y.ibx.empty()) y.ibx = t["ibx"].str();
    y.operationalStatus = pp["operation"]["operationalStatus"].str();
    x.physicalPorts.push_back(y);
  }
  if (x.uuid.empty()) p["uuid"].fail("an Equinix port without uuid");
  in.equinixPorts.push_back(x);
}

}  // namespace linkready::cloud::detail
