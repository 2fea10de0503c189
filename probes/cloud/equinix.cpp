// Equinix Fabric v4 connection objects (GET /fabric/v4/connections/{uuid}).
#include "probes/cloud/json_at.h"

namespace linkready::cloud::detail {

void readEquinixConnection(const At& c, Intent& in) {
  EquinixConnection x;
  x.source = c.file + ": " + c.path;
  x.uuid = c["uuid"].str();
  x.name = c["name"].str();
  x.state = c["state"].str();
  x.equinixStatus = c["operation"]["equinixStatus"].str();
  x.providerStatus = c["operation"]["providerStatus"].str();
  x.profileName = c["zSide"]["accessPoint"]["profile"]["name"].str();
  At a = c["aSide"]["accessPoint"]["linkProtocol"];
  x.aSideProtocol = a["type"].str();
  x.aSideTag = a["vlanTag"].u32();
  x.aSideSTag = a["vlanSTag"].u32();
  x.aSideCTag = a["vlanCTag"].u32();
  if (x.aSideCTag && *x.aSideCTag == 0) x.aSideCTag.reset();  // the spec's own example has 0: "no C-tag"
  x.zSideTag = c["zSide"]["accessPoint"]["linkProtocol"]["vlanTag"].u32();
  // A port object's tag protocol id, when the file carries one ("0x88A8").
  std::string tpid = c["aSide"]["accessPoint"]["port"]["encapsulation"]["tagProtocolId"].str();
  if (!tpid.empty()) x.tagProtocolId = uint16_t(std::stoul(tpid, nullptr, 16));
  in.equinix.push_back(x);
}

}  // namespace linkready::cloud::detail
