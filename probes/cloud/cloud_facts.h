// What the clouds' APIs say was ordered and what they see: Alibaba's VPC API (aliyun vpc
// Describe*) and Equinix Fabric v4, read as the real payloads come. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace linkready::cloud {

struct Vbr {
  std::string source;  // "file: $.path"
  std::string id, name, status;
  std::optional<uint32_t> vlanId;
  std::string localGatewayIp, peerGatewayIp, peeringSubnetMask;  // as given
  bool enableIpv6 = false;
  std::string localIpv6GatewayIp, peerIpv6GatewayIp, peeringIpv6SubnetMask;
  std::string physicalConnectionId, physicalConnectionStatus;
  std::optional<uint32_t> minRxIntervalMs, detectMultiplier;
};

struct BgpGroup {
  std::string source;
  std::string id, vbrId, status;
  std::optional<uint32_t> localAsn;  // Alibaba's side
  std::optional<uint32_t> peerAsn;   // ours
  std::optional<uint32_t> routeLimit;
  std::string authKeyHash;           // sha256 prefix of AuthKey; empty when none. The key itself is never kept.
  size_t authKeyLength = 0;
};

struct BgpPeer {
  std::string source;
  std::string id, groupId, vbrId, peerIpAddress, status, bgpStatus;
  std::optional<bool> enableBfd, bfdMultiHop;
};

struct PhysicalConnection {
  std::string source;
  std::string id, portType, status, businessStatus, loaStatus, redundantId, lineOperator, productType, vpconnStatus;
  std::optional<uint32_t> vlanId;
  std::string ownerUid;  // kept as text: beyond 2^53
};

struct EquinixConnection {
  std::string source;
  std::string uuid, name, state, equinixStatus, providerStatus, profileName;
  std::string aSideProtocol;  // DOT1Q, QINQ, UNTAGGED
  std::optional<uint32_t> aSideTag, aSideSTag, aSideCTag;
  std::optional<uint32_t> zSideTag;
  std::optional<uint16_t> tagProtocolId;  // from a port object, when given
};

// Everything read from a turn-up's files.
struct Intent {
  std::vector<Vbr> vbrs;
  std::vector<BgpGroup> groups;
  std::vector<BgpPeer> peers;
  std::vector<PhysicalConnection> connections;
  std::vector<EquinixConnection> equinix;
};

// "Allocation Failed" -> "allocationfailed": enum values compare without case or spaces.
std::string normalizeEnum(const std::string& s);

}  // namespace linkready::cloud
