// Alibaba Cloud VPC API answers: DescribeVirtualBorderRouters, DescribeBgpGroups,
// DescribeBgpPeers, DescribePhysicalConnections.
#include <openssl/evp.h>

#include <cstdio>

#include "probes/cloud/json_at.h"

namespace linkready::cloud::detail {

namespace {

// The MD5 key is never kept: only a short hash to compare with the router's, and its length.
std::string sha256Prefix(const std::string& secret) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(secret.data(), secret.size(), md, &len, EVP_sha256(), nullptr);
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return hex;
}

}  // namespace

void readAlibabaVbrs(const At& root, Intent& in) {
  for (const At& v : root["VirtualBorderRouterSet"].list("VirtualBorderRouterType")) {
    Vbr b;
    b.source = v.file + ": " + v.path;
    b.id = v["VbrId"].str();
    b.name = v["Name"].str();
    b.status = v["Status"].str();
    b.vlanId = v["VlanId"].u32();
    b.localGatewayIp = v["LocalGatewayIp"].str();
    b.peerGatewayIp = v["PeerGatewayIp"].str();
    b.peeringSubnetMask = v["PeeringSubnetMask"].str();
    b.enableIpv6 = v["EnableIpv6"].boolean().value_or(false);
    b.localIpv6GatewayIp = v["LocalIpv6GatewayIp"].str();
    b.peerIpv6GatewayIp = v["PeerIpv6GatewayIp"].str();
    b.peeringIpv6SubnetMask = v["PeeringIpv6SubnetMask"].str();
    b.physicalConnectionId = v["PhysicalConnectionId"].str();
    b.physicalConnectionStatus = v["PhysicalConnectionStatus"].str();
    b.minRxIntervalMs = v["MinRxInterval"].u32();
    b.detectMultiplier = v["DetectMultiplier"].u32();
    (void)pick(v, {"EcrAttatchStatus", "EcrAttachStatus"}).str();  // known misspelling, read to check its type
    if (b.id.empty()) v["VbrId"].fail("a VBR without VbrId");
    in.vbrs.push_back(b);
  }
}

void readAlibabaBgpGroups(const At& root, Intent& in) {
  for (const At& g : root["BgpGroups"].list("BgpGroup")) {
    BgpGroup x;
    x.source = g.file + ": " + g.path;
    x.id = g["BgpGroupId"].str();
    x.vbrId = g["RouterId"].str();
    x.status = g["Status"].str();
    x.localAsn = g["LocalAsn"].u32();
    x.peerAsn = g["PeerAsn"].u32();
    x.routeLimit = g["RouteLimit"].u32();
    std::string key = g["AuthKey"].str();
    if (!key.empty()) x.authKeyHash = sha256Prefix(key), x.authKeyLength = key.size();
    (void)g["IsFake"].boolean();
    in.groups.push_back(x);
  }
}

void readAlibabaBgpPeers(const At& root, Intent& in) {
  for (const At& p : root["BgpPeers"].list("BgpPeer")) {
    BgpPeer x;
    x.source = p.file + ": " + p.path;
    x.id = p["BgpPeerId"].str();
    x.groupId = p["BgpGroupId"].str();
    x.vbrId = p["RouterId"].str();
    x.peerIpAddress = p["PeerIpAddress"].str();
    x.status = p["Status"].str();
    x.bgpStatus = p["BgpStatus"].str();
    x.enableBfd = p["EnableBfd"].boolean();
    x.bfdMultiHop = p["BfdMultiHop"].u32() ? std::optional<bool>(*p["BfdMultiHop"].u32() > 1) : std::nullopt;
    in.peers.push_back(x);
  }
}

void readAlibabaPhysicalConnections(const At& root, Intent& in) {
  for (const At& c : root["PhysicalConnectionSet"].list("PhysicalConnectionType")) {
    PhysicalConnection x;
    x.source = c.file + ": " + c.path;
    x.id = c["PhysicalConnectionId"].str();
    x.portType = c["PortType"].str();
    x.status = c["Status"].str();
    x.businessStatus = c["BusinessStatus"].str();
    x.loaStatus = c["LoaStatus"].str();
    x.redundantId = c["RedundantPhysicalConnectionId"].str();
    x.lineOperator = c["LineOperator"].str();
    x.productType = c["ProductType"].str();
    x.vpconnStatus = c["VpconnStatus"].str();
    x.vlanId = c["VlanId"].u32();
    x.ownerUid = c["ParentPhysicalConnectionAliUid"].str();
    x.name = c["Name"].str();
    x.circuitCode = c["CircuitCode"].str();
    x.portNumber = c["PortNumber"].str();
    in.connections.push_back(x);
  }
}

}  // namespace linkready::cloud::detail
