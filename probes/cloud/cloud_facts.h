// What the clouds' APIs say was ordered and what they see: Alibaba's VPC API (aliyun vpc
// Describe*), Equinix Fabric v4 (connections, ports) and Google Compute (interconnect
// diagnostics, interconnects, Cloud Router status), read as the real payloads come.
// Enum values are kept as the API wrote them (unknown ones too). Plain data.
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
  std::string name, circuitCode, portNumber;  // CircuitCode: the provider's circuit id (Google's for CCI)
};

struct EquinixConnection {
  std::string source;
  std::string uuid, name, state, equinixStatus, providerStatus, profileName;
  std::string aSideProtocol;  // DOT1Q, QINQ, UNTAGGED
  std::optional<uint32_t> aSideTag, aSideSTag, aSideCTag;
  std::optional<uint32_t> zSideTag;
  std::optional<uint16_t> tagProtocolId;  // from a port object, when given
  std::string portUuid, portName;         // aSide.accessPoint.port
  std::string redundancyPriority;         // PRIMARY / SECONDARY
};

// One physical port of an Equinix Fabric port: where the fibre lands, for the colo ticket.
struct EquinixPhysicalPort {
  std::string crossConnectId;                                  // tether.crossConnectId (opaque text)
  std::string tetherPatchPanel, tetherPortA, tetherPortB;      // Equinix's leg
  std::string demarcPatchPanel, demarcPortA, demarcPortB;      // demarcationPoint: where our fibre lands
  std::string ibx, operationalStatus;
};

// GET /fabric/v4/ports/{uuid} (or one entry of the list).
struct EquinixPort {
  std::string source;
  std::string uuid, name, state, physicalPortsType, redundancyPriority;
  std::string encapsulationType;          // DOT1Q, QINQ, UNTAGGED, NULL
  std::optional<uint16_t> tagProtocolId;  // 33024, "33024" or "0x8100"
  std::vector<EquinixPhysicalPort> physicalPorts;
};

// --- Google Compute ---

// receivingOpticalPower / transmittingOpticalPower: dBm and Google's threshold state
// (OK, LOW_WARNING, HIGH_WARNING, LOW_ALARM, HIGH_ALARM; empty on a detached link).
struct GoogleOpticalPower {
  std::optional<double> valueDbm;
  std::string state;
};

struct GoogleArpEntry {
  std::string ipAddress, macAddress;
};

struct GoogleLinkDiagnostics {
  std::string source;
  std::string circuitId, googleDemarc, operationalStatus;  // LINK_OPERATIONAL_STATUS_UP/DOWN
  std::string lacpState, googleSystemId, neighborSystemId; // ACTIVE / DETACHED
  GoogleOpticalPower rx, tx;
  std::vector<GoogleArpEntry> arpCaches;  // only while the link is not bundled
  std::optional<bool> macsecOperational;
};

// interconnects get-diagnostics: one interconnect, its links.
struct GoogleDiagnostics {
  std::string source;
  std::string macAddress, bundleAggregationType, bundleOperationalStatus;
  std::vector<GoogleArpEntry> arpCaches;  // bundle level; empty when not bundled
  std::vector<GoogleLinkDiagnostics> links;
};

struct GoogleCircuitInfo {
  std::string googleCircuitId, googleDemarcId, customerDemarcId;
};

struct GoogleOutage {
  std::string name, issueType, state, description;
  std::vector<std::string> affectedCircuits;
  std::optional<uint64_t> startMs, endMs;
};

// interconnects describe. Cross-Cloud Interconnect = DEDICATED with remoteLocation set.
struct GoogleInterconnect {
  std::string source;
  std::string name, interconnectType, linkType, location, remoteLocation, operationalStatus, state;
  std::optional<bool> adminEnabled;
  std::optional<uint32_t> requestedLinkCount, provisionedLinkCount;
  std::vector<GoogleCircuitInfo> circuits;
  std::vector<GoogleOutage> expectedOutages;
  bool crossCloud() const { return !remoteLocation.empty(); }
};

struct GoogleBfdStatus {
  std::string initializationMode, localState, localDiagnostic;  // ACTIVE/PASSIVE/DISABLED; UP/DOWN...
  std::optional<uint64_t> numRx, numTx, uptimeMs;
};

// routers get-status: result.bgpPeerStatus[].
struct GoogleBgpPeerStatus {
  std::string source;
  std::string name, ipAddress, peerIpAddress;  // ipAddress: the Cloud Router's; peerIpAddress: the far end's
  std::string status, state, statusReason;     // UP/DOWN/UNKNOWN; free text (Established); reason enum
  std::optional<uint32_t> numLearnedRoutes;
  std::string uptime;
  std::optional<uint64_t> uptimeSeconds;
  std::optional<bool> md5AuthEnabled;
  std::optional<GoogleBfdStatus> bfd;
};

struct GoogleRouterStatus {
  std::string source;
  std::string network;
  std::vector<GoogleBgpPeerStatus> peers;
};

// Everything read from a turn-up's files.
struct Intent {
  std::vector<Vbr> vbrs;
  std::vector<BgpGroup> groups;
  std::vector<BgpPeer> peers;
  std::vector<PhysicalConnection> connections;
  std::vector<EquinixConnection> equinix;
  std::vector<EquinixPort> equinixPorts;
  std::vector<GoogleDiagnostics> googleDiagnostics;
  std::vector<GoogleInterconnect> googleInterconnects;
  std::vector<GoogleRouterStatus> googleRouters;
};

// "Allocation Failed" -> "allocationfailed": enum values compare without case or spaces.
std::string normalizeEnum(const std::string& s);

}  // namespace linkready::cloud
