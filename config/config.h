// The linkready configuration: YAML in, one validated immutable struct out.
// Every error names file:line:column and the key; unknown keys are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "config/net/ip.h"

namespace linkready::config {

inline constexpr const char* kDefaultPath = "/etc/linkready/linkready.yaml";
inline constexpr uint32_t kAlibabaAsn = 45104;
inline constexpr uint32_t kAlibabaRouteLimit = 110;

enum class VlanMode { Untagged, Dot1q, Qinq };
enum class Duplex { Full, Half };

struct Order {
  std::string portType;                 // "10GBASE-LR"; empty = not ordered / not checked
  std::optional<uint32_t> speedMbps;
  Duplex duplex = Duplex::Full;         // Alibaba: fixed speed, full duplex
  bool autoneg = false;                 // Alibaba asks for auto-negotiation off
  std::string physicalConnectionId;
  std::string vbrId;
};

struct Vlan {
  VlanMode mode = VlanMode::Untagged;
  uint16_t id = 0;          // dot1q
  uint16_t sTag = 0;        // qinq outer
  uint16_t cTag = 0;        // qinq inner
  uint16_t tpid = 0;        // outer tag's TPID: 0x8100 (dot1q default), 0x88a8 (qinq default), 0x9100
  bool terminatedExternally = false;  // a switch or NIC in front of the host does the tagging
};

struct Ip {
  std::optional<IpPrefix> local;     // customer side (Alibaba PeerGatewayIp / mask)
  std::optional<IpAddress> gateway;  // Alibaba side (LocalGatewayIp)
  std::optional<IpPrefix> local6;
  std::optional<IpAddress> gateway6;
};

struct Bgp {
  IpAddress peer;                    // the VBR's address for the IPv4 session
  std::optional<IpAddress> peer6;    // IPv6 session, when configured
  uint32_t remoteAs = kAlibabaAsn;
  std::optional<uint32_t> localAs;
  std::string vrf = "default";
  uint32_t minPrefixes = 1;
  uint32_t maxPrefixes = kAlibabaRouteLimit;
  bool bfd = false;
  // A session that reset and came back less than this long ago is a WARNING (flapping).
  uint32_t stabilityWindowS = 300;
};

// The IEEE limits for the ordered media, overridden per link where the provider states
// other figures. Empty = the table's values for order.port_type.
struct OpticsLimits {
  bool check = true;  // false: no transceiver to check (copper port, virtual interface)
  std::optional<double> rxMinDbm, rxMaxDbm, txMinDbm, txMaxDbm;
};

struct Link {
  std::string name;
  std::string interface;
  Order order;
  OpticsLimits optics;
  Vlan vlan;
  Ip ip;
  std::optional<Bgp> bgp;
  std::string redundantWith;  // another link's name, or empty
};

struct Agent {
  std::string id;
  uint32_t intervalMs = 10000;            // full check of every link
  std::string listenHost = "127.0.0.1";   // status and metrics (HTTP)
  uint16_t listenPort = 9470;             // 0: no HTTP endpoint
  uint32_t flapGuardS = 120;              // after a flap, DEGRADED until this long without one
  uint32_t historyS = 300;                // the flight recorder's span per link (a sample a second)
  // A steady link's on-wire proof and echoes are made again after this long (0: at every
  // check); a change, a failed verdict or an unanswered recorder echo re-proves it sooner.
  uint32_t reproveS = 300;
};

// Where readiness reports go (optional: without it the agent only serves status).
struct Orchestrator {
  std::string url;             // https://..., or http:// to a loopback address (tests)
  std::string tokenFile;       // bearer token; refused when readable by others
  std::string caFile;          // extra CA bundle for TLS verification (optional)
  std::string spoolDir = "/var/lib/linkready/spool";
  uint64_t spoolMaxBytes = 16ull << 20;
  uint32_t heartbeatMs = 60000;
  uint32_t timeoutMs = 5000;
  uint32_t backoffMaxMs = 60000;
};

struct Frr {
  std::string vtyDir = "/var/run/frr";
  std::string pathspace;  // FRR -N NAME: sockets live in vtyDir/NAME
  uint32_t timeoutMs = 2000;  // deadline of every exchange with an FRR daemon
  std::string socketDir() const { return pathspace.empty() ? vtyDir : vtyDir + "/" + pathspace; }
};

struct Config {
  std::string sourceName;  // file path or "<string>"
  Agent agent;
  Frr frr;
  std::optional<Orchestrator> orchestrator;
  std::vector<Link> links;

  const Link* findLink(const std::string& name) const;
};

struct Error {
  std::string file;
  int line = 0;    // 1-based; 0 = no position (file unreadable)
  int column = 0;  // 1-based
  std::string key;  // dotted path: links[0].vlan.id
  std::string message;
  std::string toString() const;  // "file:line:column: key: message"
};

using Errors = std::vector<Error>;
using Result = tl::expected<Config, Errors>;

Result fromFile(const std::string& path);
Result fromString(const std::string& yaml, const std::string& name = "<string>");

std::string formatErrors(const Errors& errors);

// "10s", "5m", "1h", "500ms", or a plain number of seconds, in milliseconds; nullopt when
// it is none of these.
std::optional<uint64_t> parseDurationMs(std::string_view text);

}  // namespace linkready::config
