// Intent from the clouds: what Alibaba's VPC API (aliyun vpc Describe*) and Equinix
// Fabric v4 say was ordered, read as the real payloads come (numbers as strings, a single
// object where a list was expected, keys in any order, misspelt keys, enum values with
// spaces, ids beyond 2^53), turned into linkready links and cross-checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "config/config.h"

namespace linkready::intent {

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

struct Intent {
  std::vector<Vbr> vbrs;
  std::vector<BgpGroup> groups;
  std::vector<BgpPeer> peers;
  std::vector<PhysicalConnection> connections;
  std::vector<EquinixConnection> equinix;
};

// Reads each file and recognises what it is (VBRs, BGP groups, BGP peers, physical
// connections, an Equinix connection); errors name the file and the JSON path.
tl::expected<Intent, std::string> load(const std::vector<std::string>& files);
tl::expected<Intent, std::string> parse(const std::string& text, const std::string& name, Intent into = {});

struct ImportOptions {
  std::string interface = "CHANGEME";  // the router port; intent cannot know it
  std::string md5KeyDir = "/etc/linkready/keys";
};

// The links section of a linkready config (YAML, commented with where each value came
// from), or an error naming the field that cannot be turned into config.
tl::expected<std::string, std::string> importYaml(const Intent& intent, const ImportOptions& options);

// The same, as config links (for `check --intent`).
tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& intent, const ImportOptions& options);

struct Finding {
  int status = 0;  // 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  std::string what, seen, expected, hint;
};

// The sources against each other, before anyone goes to the cage.
std::vector<Finding> reconcile(const Intent& intent);

}  // namespace linkready::intent
