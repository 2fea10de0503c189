#include "probes/bgp/bgp_probe.h"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "probes/bgp/frr_json.h"

namespace linkready::bgp {

namespace {

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool sameNetns(const std::string& procA, const std::string& procB) {
  struct stat a {}, b {};
  return stat((procA + "/ns/net").c_str(), &a) == 0 && stat((procB + "/ns/net").c_str(), &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

namespace {

// Only the configured sessions, one small query each, pipelined on one connection: FRR
// renders one peer's JSON (a few KB) per query, not every peer of every VRF (186 KB at 100
// peers), and hundreds of queries cost one round trip's wait.
bool askNeighbors(FrrQuery& frr, const std::vector<WantedSession>& sessions, BgpFacts& f) {
  std::set<std::string> asked;
  std::vector<std::string> commands, vrfs;
  for (const WantedSession& s : sessions) {
    if (!asked.insert(sessionKey(s.vrf, s.peer)).second) continue;
    commands.push_back("show bgp vrf " + s.vrf + " neighbors " + s.peer + " json");
    vrfs.push_back(s.vrf);
  }
  auto answers = frr.showMany("bgpd", commands);
  for (size_t i = 0; i < answers.size(); ++i) {
    if (!answers[i]) {
      f.queryError = answers[i].error().message;
      f.queryErrorKind = answers[i].error().kind;
      return false;
    }
    auto parsed = parseVrfNeighbors(*answers[i], vrfs[i]);
    if (!parsed) {
      f.queryError = parsed.error();
      f.queryErrorKind = QueryErrorKind::Protocol;
      return false;
    }
    for (Neighbor& n : *parsed) f.neighbors.push_back(std::move(n));
  }
  return true;
}

}  // namespace

// bfdd's state of a single-hop session, as bgpd's own view spells it ("Up", "Down").
std::string bfdStatusWord(const std::string& s) {
  if (s.empty()) return s;
  std::string out = s;
  out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  BgpFacts f;
  std::vector<const WantedSession*> asked;
  std::vector<std::string> commands;
  std::set<std::string> seen;
  for (const WantedSession& s : sessions) {
    if (!seen.insert(sessionKey(s.vrf, s.peer)).second) continue;
    asked.push_back(&s);
    commands.push_back("show bgp vrf " + s.vrf + " summary neighbor " + s.peer + " json");
  }
  auto answers = frr.showMany("bgpd", commands);
  std::vector<WantedSession> detail;  // not in any family's summary, or FRR refused the summary form
  for (size_t i = 0; i < asked.size(); ++i) {
    const WantedSession& s = *asked[i];
    if (!answers[i]) {
      if (answers[i].error().kind != QueryErrorKind::CommandFailed) {
        f.queryError = answers[i].error().message;
        f.queryErrorKind = answers[i].error().kind;
        f.via = frr.via();
        return f;
      }
      detail.push_back(s);
      continue;
    }
    auto parsed = parseSummaryNeighbor(*answers[i], s.vrf, s.peer);
    if (!parsed) {
      f.queryError = parsed.error();
      f.queryErrorKind = QueryErrorKind::Protocol;
      f.via = frr.via();
      return f;
    }
    if (*parsed) f.neighbors.push_back(std::move(**parsed));
    else detail.push_back(s);
  }
  if (!detail.empty() && !askNeighbors(frr, detail, f)) {
    f.via = frr.via();
    return f;
  }
  // BFD from bfdd itself, once for every session (the summary does not carry it).
  bool anyBfd = false;
  for (const WantedSession& s : sessions) anyBfd |= s.bfd;
  if (anyBfd) {
    f.bfdQueried = true;
    auto bfd = frr.show("bfdd", "show bfd peers json");
    if (!bfd) f.bfdError = bfd.error().message;
    else if (auto peers = parseBfdPeers(*bfd)) f.bfdPeers = std::move(*peers);
    else f.bfdError = peers.error();
    for (Neighbor& n : f.neighbors) {
      if (n.bfd) continue;  // from the neighbor query: bgpd's own view
      for (const BfdPeer& b : f.bfdPeers)
        if (!b.multihop && b.peer == n.address && b.vrf == n.vrf) {
          PeerBfdInfo info;
          info.type = "single hop";
          info.status = bfdStatusWord(b.status);
          info.detectMultiplier = b.detectMultiplier;
          info.rxMinIntervalMs = b.receiveIntervalMs, info.txMinIntervalMs = b.transmitIntervalMs;
          n.bfd = info;
        }
    }
  }
  f.via = frr.via();
  return f;
}

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot) {
  BgpFacts f;
  bool asked = askNeighbors(frr, sessions, f);
  f.via = frr.via();
  if (!asked) return f;

  if (wantBfd) {
    f.bfdQueried = true;
    auto bfd = frr.show("bfdd", "show bfd peers json");
    if (!bfd) f.bfdError = bfd.error().message;
    else if (auto peers = parseBfdPeers(*bfd)) f.bfdPeers = std::move(*peers);
    else f.bfdError = peers.error();
  }

  // What we announce: only for sessions that are up, pipelined over the same connection.
  std::vector<const WantedSession*> up;
  std::vector<std::string> commands;
  for (const WantedSession& s : sessions) {
    bool established = false;
    for (const Neighbor& n : f.neighbors)
      if (n.vrf == s.vrf && n.address == s.peer && n.state == "Established") established = true;
    if (!established) continue;
    up.push_back(&s);
    commands.push_back("show bgp vrf " + s.vrf + (s.ipv6 ? " ipv6" : " ipv4") + " unicast neighbors " + s.peer +
                       " advertised-routes json");
  }
  auto answers = frr.showMany("bgpd", commands);
  for (size_t i = 0; i < up.size(); ++i) {
    std::string key = sessionKey(up[i]->vrf, up[i]->peer);
    if (!answers[i]) {
      f.advertisedErrors[key] = answers[i].error().message;
    } else if (auto routes = parseAdvertisedRoutes(*answers[i], up[i]->remoteAs)) {
      f.advertised[key] = *routes;
    } else {
      f.advertisedErrors[key] = routes.error();
    }
  }

  // MD5 trouble is invisible in FRR; the kernel counts it in bgpd's network namespace.
  if (int pid = frr.daemonPid("bgpd"); pid > 0) {
    std::string proc = procRoot + "/" + std::to_string(pid);
    auto text = readFile(proc + "/net/netstat");
    // In bgpd's network namespace ourselves, our own counters are the same set.
    if (!text && sameNetns(proc, procRoot + "/self")) text = readFile(procRoot + "/self/net/netstat");
    if (text) f.md5 = parseTcpExtMd5(*text);
  }
  return f;
}

}  // namespace linkready::bgp
