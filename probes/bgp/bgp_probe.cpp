#include "probes/bgp/bgp_probe.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
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

// bfdd's sessions, once (`show bfd peers json`), into the facts.
void askBfd(FrrQuery& frr, BgpFacts& f) {
  f.bfdQueried = true;
  auto bfd = frr.show("bfdd", "show bfd peers json");
  if (!bfd) f.bfdError = bfd.error().message;
  else if (auto peers = parseBfdPeers(*bfd)) f.bfdPeers = std::move(*peers);
  else f.bfdError = peers.error();
}

// bfdd's state of a single-hop session, as bgpd's own view spells it ("Up", "Down").
std::string bfdStatusWord(const std::string& s) {
  if (s.empty()) return s;
  std::string out = s;
  out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

namespace {

// The VRF and remote AS whose summary a session state read asks for: those with
// kSummaryFrom configured sessions or more (every VBR session of a cloud shares its ASN).
// For a few sessions the neighbor queries are as cheap and do not list the AS's other peers.
std::vector<std::pair<std::string, uint32_t>> summaryGroups(const std::vector<WantedSession>& sessions) {
  constexpr size_t kSummaryFrom = 8;
  std::map<std::pair<std::string, uint32_t>, size_t> perGroup;
  for (const WantedSession& s : sessions)
    if (s.remoteAs != 0) ++perGroup[{s.vrf, s.remoteAs}];
  std::vector<std::pair<std::string, uint32_t>> groups;
  for (const auto& [group, count] : perGroup)
    if (count >= kSummaryFrom) groups.push_back(group);
  return groups;
}

}  // namespace

BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  BgpFacts f;
  // One summary per VRF and remote AS: FRR walks its peers once and prints only those of
  // that AS, a line of ~0.4 KB each against a neighbor document of ~4 KB.
  std::set<std::string> wanted, wantsBfd;  // by sessionKey
  for (const WantedSession& s : sessions) {
    wanted.insert(sessionKey(s.vrf, s.peer));
    if (s.bfd) wantsBfd.insert(sessionKey(s.vrf, s.peer));
  }
  std::vector<std::pair<std::string, uint32_t>> groups = summaryGroups(sessions);
  std::vector<std::string> commands;
  for (const auto& [vrf, as] : groups)
    commands.push_back("show bgp vrf " + vrf + " summary remote-as " + std::to_string(as) + " json");
  auto answers = frr.showMany("bgpd", commands);
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!answers[i]) {
      if (answers[i].error().kind == QueryErrorKind::CommandFailed) continue;  // an FRR without the filter
      f.queryError = answers[i].error().message;
      f.queryErrorKind = answers[i].error().kind;
      f.via = frr.via();
      return f;
    }
    auto parsed = parseSummary(*answers[i], groups[i].first);
    if (!parsed) {
      f.queryError = parsed.error();
      f.queryErrorKind = QueryErrorKind::Protocol;
      f.via = frr.via();
      return f;
    }
    for (Neighbor& n : *parsed)  // the AS's other peers are not ours to report
      if (wanted.count(sessionKey(n.vrf, n.address))) f.neighbors.push_back(std::move(n));
  }
  // The neighbor query for a session no summary listed: FRR knows it under another AS (a
  // typo on either side), not at all, or has no summary filter.
  std::vector<WantedSession> detail;
  std::set<std::string> listed;
  for (const Neighbor& n : f.neighbors) listed.insert(sessionKey(n.vrf, n.address));
  for (const WantedSession& s : sessions)
    if (listed.insert(sessionKey(s.vrf, s.peer)).second) detail.push_back(s);
  if (!detail.empty() && !askNeighbors(frr, detail, f)) {
    f.via = frr.via();
    return f;
  }
  // BFD from bfdd itself, once for every session the summary listed (it does not carry it).
  bool anyBfd = false;  // a session that wants BFD and whose neighbor query did not say it
  for (const Neighbor& n : f.neighbors) anyBfd |= !n.bfd && wantsBfd.count(sessionKey(n.vrf, n.address));
  if (anyBfd) {
    askBfd(frr, f);
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

bool SessionWatch::shortReadStands(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  if (!full_ || !full_->queryError.empty() || sinceFull_ + 1 >= fullEvery_) return false;
  std::vector<std::string> keys;
  for (const WantedSession& s : sessions) keys.push_back(sessionKey(s.vrf, s.peer));
  if (keys != fullOf_) return false;
  // Every session listed by its AS's summary at the last full read: the short list of that
  // summary speaks for it. A session FRR knows under another AS, or not at all, is not on it.
  auto groups = summaryGroups(sessions);
  std::set<std::pair<std::string, uint32_t>> inGroups(groups.begin(), groups.end());
  std::map<std::string, const Neighbor*> known;
  for (const Neighbor& n : full_->neighbors) known.emplace(sessionKey(n.vrf, n.address), &n);
  std::map<std::string, std::pair<uint32_t, uint32_t>> expectFailed;  // key -> established, dropped
  for (const WantedSession& s : sessions) {
    auto it = known.find(sessionKey(s.vrf, s.peer));
    if (!inGroups.count({s.vrf, s.remoteAs}) || it == known.end() || it->second->remoteAs != s.remoteAs) return false;
    if (it->second->state != "Established")
      expectFailed[it->first] = {it->second->connectionsEstablished, it->second->connectionsDropped};
  }
  std::vector<std::string> commands;
  for (const auto& [vrf, as] : groups)
    commands.push_back("show bgp vrf " + vrf + " summary failed remote-as " + std::to_string(as) + " json");
  auto answers = frr.showMany("bgpd", commands);
  std::map<std::string, std::pair<uint32_t, uint32_t>> failed;
  std::set<std::string> wanted(keys.begin(), keys.end());
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!answers[i]) return false;  // the full read says why (or an FRR without the filter)
    auto parsed = parseSummary(*answers[i], groups[i].first);
    if (!parsed) return false;
    for (const Neighbor& n : *parsed)
      if (std::string key = sessionKey(n.vrf, n.address); wanted.count(key))
        failed[key] = {n.connectionsEstablished, n.connectionsDropped};
  }
  return failed == expectFailed;
}

const BgpFacts& SessionWatch::read(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  if (shortReadStands(frr, sessions)) {
    ++sinceFull_;
    lastFull_ = false;
    full_->via = frr.via();
    return *full_;
  }
  full_ = gatherSessionStates(frr, sessions);
  fullOf_.clear();
  for (const WantedSession& s : sessions) fullOf_.push_back(sessionKey(s.vrf, s.peer));
  sinceFull_ = 0;
  lastFull_ = true;
  return *full_;
}

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot) {
  BgpFacts f;
  bool asked = askNeighbors(frr, sessions, f);
  f.via = frr.via();
  if (!asked) return f;

  if (wantBfd) askBfd(frr, f);

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
