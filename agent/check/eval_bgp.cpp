#include "agent/check/eval_bgp.h"


namespace linkready {

namespace {

constexpr Layer L = Layer::Bgp;
constexpr int kResetWaitingForOpen = 32;  // FRR's initial lastResetCode: no reset yet
constexpr double kPrefixLimitWarnShare = 0.9;
const std::string kTcpNotUpHint =
    "TCP to the peer does not come up: check the IP and VLAN layers first (gateway answers ARP and ping?), then that "
    "the VBR's BGP peer is configured and enabled";

std::string duration(uint64_t ms) {
  uint64_t s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h " + std::to_string((s % 3600) / 60) + " min";
}

// What the kernel's TCP-MD5 counters (bgpd's namespace, all sessions) point at. With the
// agent's reading of 5 minutes ago: what rose since (`rose`). Without one (a single check,
// an agent just started): the totals, which may be another session's trouble or long fixed.
struct Md5Clue {
  bgp::Md5Counters counters;
  bool rose = false;
};

std::optional<Md5Clue> md5Clue(const bgp::BgpFacts& f) {
  if (!f.md5) return std::nullopt;
  const bgp::Md5Counters& now = *f.md5;
  if (f.md5Before) {
    auto rise = [](uint64_t a, uint64_t b) { return a > b ? a - b : 0; };  // a namespace anew starts again at 0
    Md5Clue c{{rise(now.notFound, f.md5Before->notFound), rise(now.unexpected, f.md5Before->unexpected),
               rise(now.failure, f.md5Before->failure)},
              true};
    if (c.counters.notFound + c.counters.unexpected + c.counters.failure == 0) return std::nullopt;
    return c;
  }
  if (now.notFound + now.unexpected + now.failure == 0) return std::nullopt;
  return Md5Clue{now, false};
}

std::string frrErrorHint(const bgp::BgpFacts& f) {
  using K = bgp::QueryErrorKind;
  switch (f.queryErrorKind.value_or(K::Protocol)) {
    case K::NotRunning:
      return "bgpd not running: start FRR (systemctl start frr; bgpd=yes in /etc/frr/daemons), and check "
             "frr.vty_dir/pathspace in the config point at its sockets";
    case K::PermissionDenied: return "permission denied: add the agent to group frrvty";
    case K::Timeout: return "bgpd did not answer in time: it may be hung or overloaded; check its log and CPU";
    case K::WrongPeer:
      return "two bgpd share one pathspace and fight over the socket and sessions: stop the stray one";
    default: return "check that FRR runs and that its version answers 'show bgp vrf VRF neighbors PEER json'";
  }
}

// FRR's last reset reason, or why it is not worth passing on.
std::string resetReason(const bgp::Neighbor& n, bool bfdOn) {
  if (n.lastResetDueTo.empty()) return "";
  if (n.connectionsDropped == 0 && n.lastResetCode == kResetWaitingForOpen) return "";  // initial value, no reset yet
  std::string r = "last reset: " + n.lastResetDueTo;
  if (!n.lastNotificationReason.empty()) r += " (" + n.lastNotificationReason + ")";
  if (bfdOn && n.lastResetDueTo == "BFD down received")
    r += " - not trusted: FRR before 10.0.4 says this after almost any reset when BFD is on";
  return r;
}

struct Session {
  std::string af;  // "ipv4", "ipv6"
  std::string peer;
};

// One session's verdicts: each check a method, sharing what they all need.
class SessionJudge {
 public:
  SessionJudge(const config::Link& link, const config::Bgp& cfg, const Session& s, const bgp::BgpFacts& f,
               std::vector<CheckResult>& out)
      : link(link), cfg(cfg), s(s), f(f), out(out), id("bgp." + s.af + ".") {}

  void run() {
    if (!findNeighbor()) return;
    checkAsns();
    if (n->state != "Established") {
      checkNotEstablished();
      return;
    }
    out.push_back(ok(id + "state", L, "session to " + s.peer + " Established for " + duration(n->upMs),
                     "Established", "Established"));
    checkStability();
    auto afIt = n->families.find(s.af + "Unicast");
    if (afIt == n->families.end()) {
      out.push_back(verdict(Status::Critical, id + "prefixes_received", L,
                            "address family " + s.af + " unicast not active for " + s.peer, "not activated",
                            s.af + " unicast active",
                            "'address-family " + s.af + " unicast' / 'neighbor " + s.peer + " activate' in FRR"));
      return;
    }
    checkPrefixesReceived(afIt->second);
    checkAdvertised(afIt->second);
    checkHoldTime();
    if (cfg.bfd) checkBfd();
  }

 private:
  const config::Link& link;
  const config::Bgp& cfg;
  const Session& s;
  const bgp::BgpFacts& f;
  std::vector<CheckResult>& out;
  const std::string id;
  const bgp::Neighbor* n = nullptr;

  bool findNeighbor() {
    const bgp::Neighbor* elsewhere = nullptr;
    for (const auto& x : f.neighbors) {
      if (x.address != s.peer) continue;
      if (x.vrf == cfg.vrf) n = &x;
      else elsewhere = &x;
    }
    if (n) {
      out.push_back(ok(id + "neighbor", L, "neighbor " + s.peer + " configured in FRR (VRF " + n->vrf + ")",
                       "neighbor " + s.peer, "neighbor " + s.peer));
      return true;
    }
    std::string hint = elsewhere ? "the neighbor exists in VRF " + elsewhere->vrf + ", not in VRF " + cfg.vrf +
                                       ": fix bgp.vrf in the config or the VRF of 'router bgp' in FRR"
                                 : "configure it: router bgp " +
                                       (cfg.localAs ? std::to_string(*cfg.localAs) : std::string("<local AS>")) +
                                       " / neighbor " + s.peer + " remote-as " + std::to_string(cfg.remoteAs);
    out.push_back(verdict(Status::Critical, id + "neighbor", L, "no neighbor " + s.peer + " configured in FRR",
                          elsewhere ? "neighbor in VRF " + elsewhere->vrf : "no such neighbor (VRF " + cfg.vrf + ")",
                          "neighbor " + s.peer + " in VRF " + cfg.vrf, hint));
    return false;
  }

  void checkAsns() {
    // Configured ASNs first: a wrong remote-as explains a session that never comes up.
    if (n->remoteAs != cfg.remoteAs)
      out.push_back(verdict(Status::Critical, id + "remote_as", L,
                            "FRR expects the VBR to be AS " + std::to_string(n->remoteAs) + ", the order says " +
                                std::to_string(cfg.remoteAs),
                            std::to_string(n->remoteAs), std::to_string(cfg.remoteAs),
                            "ASN mismatch: Alibaba side is 45104 unless the BGP group says otherwise: neighbor " +
                                s.peer + " remote-as " + std::to_string(cfg.remoteAs)));
    else
      out.push_back(ok(id + "remote_as", L, "remote AS " + std::to_string(n->remoteAs), std::to_string(n->remoteAs),
                       std::to_string(cfg.remoteAs)));
    if (cfg.localAs) {
      if (n->localAs != *cfg.localAs)
        out.push_back(verdict(Status::Critical, id + "local_as", L,
                              "FRR speaks as AS " + std::to_string(n->localAs) + ", the BGP group expects " +
                                  std::to_string(*cfg.localAs),
                              std::to_string(n->localAs), std::to_string(*cfg.localAs),
                              "ASN mismatch: the BGP group's PeerAsn must be our local AS"));
      else
        out.push_back(ok(id + "local_as", L, "local AS " + std::to_string(n->localAs), std::to_string(n->localAs),
                         std::to_string(*cfg.localAs)));
    }

  }

  // Why the session is not up, most telling cause first; may sharpen `summary` and `seen`.
  std::string notEstablishedHint(std::string& summary, std::string& seen) {
    std::string hint;
    const auto* af = n->families.count(s.af + "Unicast") ? &n->families.at(s.af + "Unicast") : nullptr;
    bool asNotification = n->lastErrorCodeSubcode == "0202" ||
                          n->lastNotificationReason.find("Bad Peer AS") != std::string::npos;
    if (n->adminShutdown) {
      summary = "session to " + s.peer + " is shut down in FRR (Idle Admin)";
      hint = "session shut down in FRR: 'no neighbor " + s.peer + " shutdown' under router bgp";
    } else if (n->prefixLimitExceeded) {
      std::string max = af && af->maxPrefixes ? std::to_string(*af->maxPrefixes) : "?";
      summary = "session to " + s.peer + " stopped by the prefix limit (Idle PfxCt)";
      std::string again = "then 'clear bgp " + s.peer + "'";
      if (af && af->maxPrefixesRestartMs)
        again = "FRR tries again " + std::to_string(*af->maxPrefixesRestartMs / 60000) + " min after the "
                "teardown (maximum-prefix ... restart), or 'clear bgp " + s.peer + "' at once";
      hint = "prefix limit: the VBR sent more than 'neighbor " + s.peer + " maximum-prefix " + max +
             "' allows; raise it (the order allows " + std::to_string(cfg.maxPrefixes) +
             ", Alibaba's default limit is 110) or filter, " + again;
    } else if (asNotification && n->lastResetDueTo.find("send") != std::string::npos) {
      hint = "ASN mismatch: we rejected the VBR's AS (Bad Peer AS): Alibaba side is 45104 unless the BGP group "
             "says otherwise";
    } else if (asNotification) {
      hint = "ASN mismatch: the VBR rejected our AS (Bad Peer AS): the BGP group's PeerAsn must be our local AS " +
             std::to_string(n->localAs) + "; Alibaba side is 45104 unless the BGP group says otherwise";
    } else if (n->remoteAs != cfg.remoteAs) {
      hint = "ASN mismatch: FRR's remote-as " + std::to_string(n->remoteAs) + " is not the VBR's " +
             std::to_string(cfg.remoteAs) + ": Alibaba side is 45104 unless the BGP group says otherwise";
    } else if (n->notificationsReceived > n->connectionsEstablished + 1) {
      // Each established session ends with at most one NOTIFICATION; more than that
      // means the VBR answers our OPENs with one. FRR 8.4 with BFD hides which.
      hint = "the VBR rejects every OPEN (" + std::to_string(n->notificationsReceived) + " NOTIFICATIONs received, " +
             std::to_string(n->connectionsEstablished) +
             " sessions established): usually an ASN mismatch: the BGP group's PeerAsn must be our local AS " +
             std::to_string(n->localAs) +
             "; Alibaba side is 45104 unless the BGP group says otherwise (bgpd's log names the NOTIFICATION)";
    } else if (auto clue = md5Clue(f); clue && (n->state == "Active" || n->state == "Connect" || n->state == "Idle")) {
      const auto& m = clue->counters;
      seen += "; kernel TCP-MD5 counters" + std::string(clue->rose ? " in the last 5 minutes: " : " (all sessions, since "
                                                                      "bgpd's namespace started): ") +
              std::to_string(m.failure) + " failures, " + std::to_string(m.notFound) + " not found, " +
              std::to_string(m.unexpected) + " unexpected";
      if (m.failure >= m.notFound && m.failure >= m.unexpected)
        hint = "MD5 key mismatch (check for trailing spaces): 'neighbor " + s.peer +
               " password' must equal the BGP group's AuthKey";
      else if (m.notFound >= m.unexpected)
        hint = "we sign, the peer does not: the BGP group has no AuthKey; remove 'neighbor " + s.peer +
               " password' or set the key on the Alibaba side";
      else
        hint = "the peer signs, we do not: set 'neighbor " + s.peer + " password' to the BGP group's AuthKey";
      // Without an earlier reading the totals may be another session's, or long fixed.
      if (!clue->rose)
        hint += " (if the counters do not rise in bgpd's namespace while this session stays down, 'nstat -az "
                "TcpExtTCPMD5Failure', they are old news: " + kTcpNotUpHint + ")";
    } else if (n->notificationsReceived > 0 && (n->state == "Active" || n->state == "Connect")) {
      hint = "the VBR closed the session with a NOTIFICATION and does not take it back: its BGP peer may be "
             "disabled or reconfigured; check the BGP peer's status in the Alibaba console";
    } else if (n->state == "Active" || n->state == "Connect" || n->state == "Idle") {
      hint = kTcpNotUpHint;
    } else {
      hint = "the OPEN exchange does not complete: compare ASNs, router ids and hold time with the BGP group";
    }
    return hint;
  }

  void checkNotEstablished() {
    std::string seen = n->state;
    if (n->adminShutdown) seen += " (Admin)";
    if (n->prefixLimitExceeded) seen += " (PfxCt)";
    seen += n->connectionsEstablished == 0 ? ", never established"
                                            : ", down for " + duration(n->upMs) + ", " +
                                                  std::to_string(n->connectionsDropped) + " resets";
    std::string reason = resetReason(*n, cfg.bfd);
    if (!reason.empty()) seen += "; " + reason;
    std::string summary = "session to " + s.peer + " is " + n->state;
    std::string hint = notEstablishedHint(summary, seen);
    out.push_back(verdict(Status::Critical, id + "state", L, summary, seen, "Established", hint));
  }

  void checkStability() {
    std::string reason = resetReason(*n, cfg.bfd);
    std::string stab = std::to_string(n->connectionsDropped) + " resets, up " + duration(n->upMs);
    if (n->connectionsDropped > 0 && n->upMs < uint64_t(cfg.stabilityWindowS) * 1000)
      out.push_back(verdict(Status::Warning, id + "stability", L,
                            "session reset " + std::to_string(n->connectionsDropped) + " times, last " +
                                duration(n->upMs) + " ago",
                            stab + (reason.empty() ? "" : "; " + reason),
                            "up for at least " + duration(uint64_t(cfg.stabilityWindowS) * 1000),
                            "a flapping session: watch the link layer's errors and carrier changes, and BFD"));
    else
      out.push_back(ok(id + "stability", L, "stable: " + stab, stab,
                       "up for at least " + duration(uint64_t(cfg.stabilityWindowS) * 1000)));
  }

  void checkPrefixesReceived(const bgp::AddressFamilyInfo& af) {
    std::string range = std::to_string(cfg.minPrefixes) + "-" + std::to_string(cfg.maxPrefixes);
    if (af.inboundPolicyMissing || af.outboundPolicyMissing) {
      out.push_back(verdict(Status::Critical, id + "policy", L,
                            "Established, but FRR discards all updates: no route-maps (peerState Policy)",
                            std::string(af.inboundPolicyMissing ? "no inbound policy" : "") +
                                (af.inboundPolicyMissing && af.outboundPolicyMissing ? ", " : "") +
                                (af.outboundPolicyMissing ? "no outbound policy" : ""),
                            "route-maps in and out",
                            "FRR accepts and sends nothing without route-maps (RFC 8212, `bgp ebgp-requires-policy`): "
                            "add 'neighbor " + s.peer + " route-map NAME in|out'"));
    }
    std::string got = std::to_string(af.acceptedPrefixes) + " accepted";
    if (af.acceptedPrefixes < cfg.minPrefixes)
      out.push_back(verdict(Status::Critical, id + "prefixes_received", L,
                            "received " + std::to_string(af.acceptedPrefixes) + " prefixes, expected at least " +
                                std::to_string(cfg.minPrefixes),
                            got, range,
                            af.inboundPolicyMissing ? "add an inbound route-map (RFC 8212)"
                                                    : "the VBR announces nothing we accept: check the VPC route "
                                                      "table's routes to the VBR and our inbound route-map"));
    else if (af.acceptedPrefixes > cfg.maxPrefixes)
      out.push_back(verdict(Status::Critical, id + "prefixes_received", L,
                            "received " + std::to_string(af.acceptedPrefixes) + " prefixes, more than " +
                                std::to_string(cfg.maxPrefixes),
                            got, range, "more routes than ordered: check the VBR's route table and our filters"));
    else if (af.maxPrefixes && *af.maxPrefixes > 0 && *af.maxPrefixes < cfg.maxPrefixes &&
             !af.maxPrefixesWarningOnly && af.acceptedPrefixes >= kPrefixLimitWarnShare * *af.maxPrefixes)
      // Our own maximum-prefix is the lower limit: FRR tears the session down past it (not
      // with warning-only, where FRR only logs: then the order's limit is the one that counts).
      out.push_back(verdict(Status::Warning, id + "prefixes_received", L,
                            "received " + std::to_string(af.acceptedPrefixes) +
                                " prefixes, close to FRR's maximum-prefix of " + std::to_string(*af.maxPrefixes),
                            got + ", FRR's maximum-prefix " + std::to_string(*af.maxPrefixes), range,
                            "FRR tears the session down at " + std::to_string(*af.maxPrefixes + 1) +
                                " prefixes: raise 'neighbor " + s.peer + " maximum-prefix' to the order's " +
                                std::to_string(cfg.maxPrefixes) + ", or summarise on the VPC side"));
    else if (af.acceptedPrefixes >= kPrefixLimitWarnShare * cfg.maxPrefixes)
      out.push_back(verdict(Status::Warning, id + "prefixes_received", L,
                            "received " + std::to_string(af.acceptedPrefixes) + " prefixes, close to the limit of " +
                                std::to_string(cfg.maxPrefixes),
                            got, range,
                            "close to the limit: Alibaba's default route limit is 110 per peer; summarise or ask for "
                            "a higher limit before the session is torn down"));
    else
      out.push_back(ok(id + "prefixes_received", L, "received " + std::to_string(af.acceptedPrefixes) + " prefixes",
                       got, range));
  }

  void checkAdvertised(const bgp::AddressFamilyInfo& af) {
    std::string key = bgp::sessionKey(n->vrf, s.peer);
    if (auto it = f.advertised.find(key); it != f.advertised.end()) {
      const auto& adv = it->second;
      std::string list;
      for (size_t i = 0; i < adv.ourPrefixes.size() && i < 5; ++i) list += (i ? ", " : "") + adv.ourPrefixes[i];
      if (adv.ourPrefixes.size() > 5) list += ", ...";
      std::string seen = std::to_string(adv.ours) + " of ours" + (list.empty() ? "" : " (" + list + ")") +
                         (adv.total > adv.ours ? ", " + std::to_string(adv.total - adv.ours) + " of the VBR's reflected back" : "");
      if (adv.ours == 0)
        out.push_back(verdict(Status::Critical, id + "prefixes_advertised", L, "we announce nothing to " + s.peer, seen,
                              "at least 1",
                              af.outboundPolicyMissing ? "add an outbound route-map (RFC 8212)"
                                                       : "announce the on-premises prefixes ('network' or "
                                                         "redistribute) and check the outbound route-map"));
      else
        out.push_back(ok(id + "prefixes_advertised", L, "we announce " + std::to_string(adv.ours) + " prefixes", seen,
                         "at least 1"));
    } else if (auto e = f.advertisedErrors.find(key); e != f.advertisedErrors.end()) {
      out.push_back(verdict(Status::Unknown, id + "prefixes_advertised", L, "advertised routes unknown", e->second,
                            "at least 1", "FRR did not list the advertised routes"));
    }
  }

  void checkHoldTime() {
    if (n->holdTimeMs == 0)
      out.push_back(verdict(Status::Warning, id + "hold_time", L, "hold time 0: keepalives are off", "0 s", "> 0 s",
                            "a dead peer is only noticed through BFD or the link: set timers"));
    else
      out.push_back(ok(id + "hold_time", L, "hold time " + duration(n->holdTimeMs) + " negotiated",
                       duration(n->holdTimeMs) + " (configured " + duration(n->configuredHoldTimeMs) + ")", "> 0 s"));
  }

  // FRR's own view of the peer's BFD session, and bfdd's.
  void checkBfd() {
    const bgp::BfdPeer* bp = nullptr;
    for (const auto& b : f.bfdPeers)
      if (b.peer == s.peer && b.vrf == n->vrf) bp = &b;  // the same address may be another VRF's VBR
    auto peerAddress = IpAddress::parse(s.peer);
    bool direct = peerAddress && ((link.ip.local && link.ip.local->contains(*peerAddress)) ||
                                  (link.ip.local6 && link.ip.local6->contains(*peerAddress)));
    if (!n->bfd) {
      out.push_back(verdict(Status::Critical, id + "bfd", L, "BFD is not enabled for " + s.peer, "no BFD",
                            "BFD up", "'neighbor " + s.peer + " bfd' in FRR (and EnableBfd on the BGP peer)"));
    } else if (!bp) {
      out.push_back(verdict(Status::Critical, id + "bfd", L, "no BFD session for " + s.peer + " in bfdd",
                            f.bfdError.empty() ? "no session" : f.bfdError, "BFD up",
                            f.bfdError.empty() ? "bfdd has no session for the peer: restart bgpd's BFD registration"
                                               : "bfdd is not running: start it (bfdd=yes in /etc/frr/daemons)"));
    } else if (bp->status != "up") {
      out.push_back(verdict(Status::Critical, id + "bfd", L, "BFD to " + s.peer + " is " + bp->status,
                            bp->status + ", diagnostic " + bp->diagnostic + ", remote " + bp->remoteDiagnostic,
                            "up", "BFD down while BGP is up: check that EnableBfd is on for the Alibaba BGP peer and the "
                                  "timers (Alibaba default 1000 ms x 3)"));
    } else if (direct && bp->multihop) {
      out.push_back(verdict(Status::Warning, id + "bfd", L, "BFD to " + s.peer + " runs multi-hop on a direct link",
                            "multi-hop", "single-hop",
                            "on a direct fibre BFD should be single-hop: set BfdMultiHop to 1 on the Alibaba side and "
                            "no multihop in FRR"));
    } else {
      out.push_back(ok(id + "bfd", L,
                       "BFD up, " + std::string(bp->multihop ? "multi-hop" : "single-hop") + ", " +
                           std::to_string(bp->receiveIntervalMs) + " ms x " + std::to_string(bp->detectMultiplier),
                       bp->status, "up"));
    }
  }
};

void evaluateSession(const config::Link& link, const config::Bgp& cfg, const Session& s, const bgp::BgpFacts& f,
                     std::vector<CheckResult>& out) {
  SessionJudge(link, cfg, s, f, out).run();
}

}  // namespace

std::vector<CheckResult> evaluateBgp(const config::Link& link, const bgp::BgpFacts& f) {
  std::vector<CheckResult> out;
  if (!link.bgp) return out;
  const config::Bgp& cfg = *link.bgp;
  if (!f.queryError.empty()) {
    out.push_back(verdict(Status::Unknown, "bgp.frr", L, "cannot ask FRR about the BGP session", f.queryError,
                          "bgpd answering on its VTY socket", frrErrorHint(f)));
    return out;
  }
  evaluateSession(link, cfg, {"ipv4", cfg.peer.toString()}, f, out);
  if (cfg.peer6) evaluateSession(link, cfg, {"ipv6", cfg.peer6->toString()}, f, out);
  return out;
}

}  // namespace linkready
