// What FRR and the kernel say about BGP sessions. Decoded from FRR's JSON by
// frr_json.cpp; no verdicts here (see agent/eval_bgp.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace linkready::bgp {

// Why FRR could not be asked (a fact the evaluator turns into a hint).
enum class QueryErrorKind {
  NotRunning,        // no socket / connection refused / "bgpd is not running"
  PermissionDenied,  // EACCES on the socket: not in group frrvty
  Timeout,           // the daemon did not answer within the deadline
  WrongPeer,         // the process on the socket is not the one in the pid file
  CommandFailed,     // FRR answered with an error status (unknown command, ...)
  Protocol,          // anything else
};

// Key of BgpFacts::advertised for a session.
inline std::string sessionKey(const std::string& vrf, const std::string& peer) { return vrf + "|" + peer; }

struct AddressFamilyInfo {
  uint32_t acceptedPrefixes = 0;         // acceptedPrefixCounter (post-policy)
  std::optional<uint32_t> sentPrefixes;  // sentPrefixCounter: counts routes reflected back too
  std::optional<uint32_t> maxPrefixes;   // prefixAllowedMax (neighbor maximum-prefix)
  bool maxPrefixesWarningOnly = false;   // prefixAllowedMaxWarning (... warning-only: FRR only logs)
  std::optional<uint64_t> maxPrefixesRestartMs;  // prefixAllowedRestartIntervalMsecs (... restart MIN)
  bool inboundPolicyMissing = false;     // RFC 8212: ebgp-requires-policy discards updates
  bool outboundPolicyMissing = false;
};

struct PeerBfdInfo {
  std::string type;    // "single hop", "multi hop"
  std::string status;  // "Up", "Down", "Init", "Unknown"
  uint32_t detectMultiplier = 0, rxMinIntervalMs = 0, txMinIntervalMs = 0;
};

struct Neighbor {
  std::string vrf;
  std::string address;
  uint32_t remoteAs = 0;
  uint32_t localAs = 0;
  std::string state;           // FSM: Idle, Connect, Active, OpenSent, OpenConfirm, Established
  bool adminShutdown = false;  // "Idle (Admin)"
  bool prefixLimitExceeded = false;  // "Idle (PfxCt)"
  uint64_t upMs = 0;           // time since the last up/down transition (bgpTimerUpMsec)
  std::optional<uint64_t> establishedEpoch;  // when it was established, s since the epoch
  uint32_t connectionsEstablished = 0;
  uint32_t connectionsDropped = 0;
  std::string lastResetDueTo;  // FRR's reason text; see the BFD caveat in the evaluator
  int lastResetCode = -1;
  std::string lastNotificationReason;  // "OPEN Message Error/Bad Peer AS"
  std::string lastErrorCodeSubcode;    // "0202"
  uint32_t notificationsSent = 0, notificationsReceived = 0;
  uint32_t holdTimeMs = 0, configuredHoldTimeMs = 0;
  bool externalLink = false;
  std::optional<int> maxHopsAway;  // externalBgpNbrMaxHopsAway (1 = direct)
  std::optional<PeerBfdInfo> bfd;
  std::map<std::string, AddressFamilyInfo> families;  // "ipv4Unicast", "ipv6Unicast"
  // From a summary only (parseSummary): the peer's line in each family that lists it, as
  // text, without what moves all the time (uptime, message counts): the same text means
  // the same state, connections and prefixes received and sent.
  std::string summaryLine;
};

struct BfdPeer {
  std::string peer, local, vrf, interface;
  bool multihop = false;
  std::string status;  // up, down, init, shutdown
  std::string diagnostic, remoteDiagnostic;
  uint32_t uptimeS = 0;
  uint32_t detectMultiplier = 0, receiveIntervalMs = 0, transmitIntervalMs = 0;
};

struct AdvertisedRoutes {
  uint32_t total = 0;
  uint32_t ours = 0;  // not learned from this peer's AS (FRR reflects the VBR's own routes back)
  std::vector<std::string> ourPrefixes;
};

// TcpExt MD5 counters of bgpd's network namespace (/proc/PID/net/netstat).
struct Md5Counters {
  uint64_t notFound = 0;    // we expect MD5, the peer's segments lack it: we sign, the peer does not
  uint64_t unexpected = 0;  // segments carry MD5 nobody expects: the peer signs, we do not
  uint64_t failure = 0;     // both sign, the keys differ
};

// Everything the BGP probe found, for all links at once.
struct BgpFacts {
  std::string queryError;      // bgpd could not be asked: UNKNOWN with this
  std::optional<QueryErrorKind> queryErrorKind;
  std::string via;             // "vty socket /var/run/frr", "vtysh"
  std::vector<Neighbor> neighbors;
  bool bfdQueried = false;
  std::string bfdError;        // "bfdd is not running", ...
  std::vector<BfdPeer> bfdPeers;
  std::map<std::string, AdvertisedRoutes> advertised;  // by "vrf|peer"
  std::map<std::string, std::string> advertisedErrors;
  std::optional<Md5Counters> md5;
  // The same counters at the agent's previous read (NeighborMemo): what rose since is news;
  // the totals count every session since bgpd's namespace started, and may be old news.
  std::optional<Md5Counters> md5Before;
};

}  // namespace linkready::bgp
