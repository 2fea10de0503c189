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

// bfdd's session for a BGP peer: the single-hop one when bfdd has both, else a multihop one
// (a peer that is not directly connected).
const BfdPeer* bfdPeerOf(const BgpFacts& f, const std::string& vrf, const std::string& address) {
  const BfdPeer* found = nullptr;
  for (const BfdPeer& b : f.bfdPeers)
    if (b.peer == address && b.vrf == vrf && (!found || (found->multihop && !b.multihop))) found = &b;
  return found;
}

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

// The summary of each VRF and remote AS that serves (summaryGroups): FRR walks its peers
// once and prints only those of that AS, a line of ~0.4 KB each against a neighbor
// document of ~4 KB. The configured sessions' lines go to f.neighbors (the AS's other
// peers are not ours to report). A summary FRR refuses as an unknown command (an FRR
// without the filter) lists none; any other failure is f's queryError and ends the asking:
// false then.
bool askSummaries(FrrQuery& frr, const std::vector<WantedSession>& sessions, BgpFacts& f) {
  std::set<std::string> wanted;  // by sessionKey
  for (const WantedSession& s : sessions) wanted.insert(sessionKey(s.vrf, s.peer));
  std::vector<std::pair<std::string, uint32_t>> groups = summaryGroups(sessions);
  std::vector<std::string> commands;
  for (const auto& [vrf, as] : groups)
    commands.push_back("show bgp vrf " + vrf + " summary remote-as " + std::to_string(as) + " json");
  auto answers = frr.showMany("bgpd", commands);
  for (size_t i = 0; i < groups.size() && i < answers.size(); ++i) {
    if (!answers[i]) {
      if (answers[i].error().kind == QueryErrorKind::CommandFailed) continue;
      f.queryError = answers[i].error().message;
      f.queryErrorKind = answers[i].error().kind;
      return false;
    }
    auto parsed = parseSummary(*answers[i], groups[i].first);
    if (!parsed) {
      f.queryError = parsed.error();
      f.queryErrorKind = QueryErrorKind::Protocol;
      return false;
    }
    for (Neighbor& n : *parsed)
      if (wanted.count(sessionKey(n.vrf, n.address))) f.neighbors.push_back(std::move(n));
  }
  return true;
}

}  // namespace

BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  BgpFacts f;
  std::set<std::string> wantsBfd;  // by sessionKey
  for (const WantedSession& s : sessions)
    if (s.bfd) wantsBfd.insert(sessionKey(s.vrf, s.peer));
  if (!askSummaries(frr, sessions, f)) {
    f.via = frr.via();
    return f;
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
      if (const BfdPeer* b = bfdPeerOf(f, n.vrf, n.address)) {
        PeerBfdInfo info;
        info.type = b->multihop ? "multi hop" : "single hop";
        info.status = bfdStatusWord(b->status);
        info.detectMultiplier = b->detectMultiplier;
        info.rxMinIntervalMs = b->receiveIntervalMs, info.txMinIntervalMs = b->transmitIntervalMs;
        n.bfd = info;
      }
    }
  }
  f.via = frr.via();
  return f;
}

namespace {

std::vector<std::string> keysOf(const std::vector<WantedSession>& sessions) {
  std::vector<std::string> keys;
  keys.reserve(sessions.size());
  for (const WantedSession& s : sessions) keys.push_back(sessionKey(s.vrf, s.peer));
  return keys;
}

}  // namespace

bool SessionWatch::shortReadStands(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  if (!full_ || !full_->queryError.empty() || sinceFull_ + 1 >= fullEvery_ + (offered_ ? kOfferGrace : 0))
    return false;
  if (keysOf(sessions) != fullOf_) return false;
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
  std::set<std::string> wanted(fullOf_.begin(), fullOf_.end());
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
    return *full_;
  }
  fullBegan_ = std::chrono::steady_clock::now();
  full_ = std::make_shared<const BgpFacts>(gatherSessionStates(frr, sessions));
  fullOf_ = keysOf(sessions);
  sinceFull_ = 0;
  lastFull_ = true;
  offered_ = false;
  return *full_;
}

void SessionWatch::offer(std::shared_ptr<const BgpFacts> full, const std::vector<WantedSession>& sessions,
                         std::chrono::steady_clock::time_point began) {
  if (!full || !full->queryError.empty() || (full_ && began < fullBegan_)) return;
  fullBegan_ = began;
  full_ = std::move(full);  // shared with the check's facts: no copy
  fullOf_ = keysOf(sessions);
  sinceFull_ = 0;
  offered_ = true;
}

namespace {

// Each session's line in the summaries (askSummaries), by sessionKey; after a summary
// failed, only the lines before it (the documents then say why).
std::map<std::string, Neighbor> summaryLines(FrrQuery& frr, const std::vector<WantedSession>& sessions) {
  BgpFacts summaries;
  (void)askSummaries(frr, sessions, summaries);
  std::map<std::string, Neighbor> lines;
  for (Neighbor& n : summaries.neighbors) lines[sessionKey(n.vrf, n.address)] = std::move(n);
  return lines;
}

// Whether the session's summary line says it is the connection of the last read: FRR
// prints when it was established (seconds since the epoch, computed from the uptime, so it
// may move by a second between two reads); a restarted bgpd starts its counters again at
// the same values, this moves. Without it in the summary (older FRR), the counters alone.
bool sameEstablishment(const Neighbor& now, const NeighborMemo::Entry& then) {
  if (!now.establishedEpoch || !then.establishedEpoch) return true;
  uint64_t a = *now.establishedEpoch, b = *then.establishedEpoch;
  return (a > b ? a - b : b - a) <= 2;
}

// Whether bfdd still shows what bgpd showed for this session when its document was read.
bool sameBfd(const BgpFacts& f, const Neighbor& then) {
  if (!f.bfdQueried || !f.bfdError.empty()) return !then.bfd;
  if (const BfdPeer* b = bfdPeerOf(f, then.vrf, then.address)) return then.bfd && bfdStatusWord(b->status) == then.bfd->status;
  return !then.bfd;
}

}  // namespace

std::optional<Md5Counters> NeighborMemo::md5Baseline(std::chrono::steady_clock::time_point at, const Md5Counters& now) {
  md5Seen.emplace_back(at, now);
  // Keep one reading at or before the span's start, none older.
  while (md5Seen.size() >= 2 && md5Seen[1].first <= at - kMd5Span) md5Seen.pop_front();
  if (md5Seen.size() < 2 || md5Seen.front().first > at - kMd5Span) return std::nullopt;
  return md5Seen.front().second;
}

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot, NeighborMemo* memo) {
  BgpFacts f;
  // With a memo: the summaries and BFD first, then the documents of the sessions that may
  // have moved.
  std::map<std::string, Neighbor> lines;
  std::map<std::string, const NeighborMemo::Entry*> kept;  // by sessionKey
  std::vector<WantedSession> ask;
  bool full = false;
  if (memo) {
    lines = summaryLines(frr, sessions);
    if (wantBfd) askBfd(frr, f);
    full = memo->entries.empty() || memo->sinceFull + 1 >= memo->fullEvery;
    for (const WantedSession& s : sessions) {
      std::string key = sessionKey(s.vrf, s.peer);
      auto e = memo->entries.find(key);
      auto line = lines.find(key);
      bool steady = !full && e != memo->entries.end() && line != lines.end() &&
                    e->second.neighbor.state == "Established" && line->second.state == "Established" &&
                    line->second.summaryLine == e->second.summaryLine &&
                    sameEstablishment(line->second, e->second) && sameBfd(f, e->second.neighbor);
      if (steady) kept.emplace(key, &e->second);
      else ask.push_back(s);
    }
  }
  bool asked = memo && ask.empty() ? true : askNeighbors(frr, memo ? ask : sessions, f);
  f.via = frr.via();
  if (!asked) return f;  // the memo's count stands: a full read that failed is due again
  if (memo) {
    memo->lastFull = full;
    memo->sinceFull = full ? 0 : memo->sinceFull + 1;
  }
  if (!kept.empty()) {  // in the sessions' order, each once
    std::vector<Neighbor> read = std::move(f.neighbors);
    f.neighbors.clear();
    std::set<std::string> placed;
    for (const WantedSession& s : sessions) {
      std::string key = sessionKey(s.vrf, s.peer);
      if (!placed.insert(key).second) continue;
      if (auto k = kept.find(key); k != kept.end()) {
        f.neighbors.push_back(k->second->neighbor);
        f.neighbors.back().upMs = lines[key].upMs;
      } else {
        for (Neighbor& n : read)
          if (n.vrf == s.vrf && n.address == s.peer) f.neighbors.push_back(std::move(n));
      }
    }
  }

  if (wantBfd && !memo) askBfd(frr, f);

  // What we announce: only for sessions that are up, pipelined over the same connection.
  std::vector<const WantedSession*> up;
  std::vector<std::string> commands;
  for (const WantedSession& s : sessions) {
    bool established = false;
    for (const Neighbor& n : f.neighbors)
      if (n.vrf == s.vrf && n.address == s.peer && n.state == "Established") established = true;
    if (!established) continue;
    if (auto k = kept.find(sessionKey(s.vrf, s.peer)); k != kept.end() && k->second->advertised) {
      f.advertised[sessionKey(s.vrf, s.peer)] = *k->second->advertised;
      continue;
    }
    up.push_back(&s);
    commands.push_back("show bgp vrf " + s.vrf + (s.ipv6 ? " ipv6" : " ipv4") + " unicast neighbors " + s.peer +
                       " advertised-routes json");
  }
  std::vector<tl::expected<std::string, VtyError>> answers;
  if (!commands.empty()) answers = frr.showMany("bgpd", commands);
  for (size_t i = 0; i < up.size() && i < answers.size(); ++i) {
    std::string key = sessionKey(up[i]->vrf, up[i]->peer);
    if (!answers[i]) {
      f.advertisedErrors[key] = answers[i].error().message;
    } else if (auto routes = parseAdvertisedRoutes(*answers[i], up[i]->remoteAs)) {
      f.advertised[key] = *routes;
    } else {
      f.advertisedErrors[key] = routes.error();
    }
  }

  if (memo) {  // what was read now, for the next gather
    for (const WantedSession& s : ask) {
      std::string key = sessionKey(s.vrf, s.peer);
      auto n = std::find_if(f.neighbors.begin(), f.neighbors.end(),
                            [&](const Neighbor& x) { return x.vrf == s.vrf && x.address == s.peer; });
      if (n == f.neighbors.end()) {
        memo->entries.erase(key);
        continue;
      }
      NeighborMemo::Entry& e = memo->entries[key];
      e.neighbor = *n;
      auto line = lines.find(key);
      e.summaryLine = line == lines.end() ? "" : line->second.summaryLine;
      e.establishedEpoch = line == lines.end() ? std::nullopt : line->second.establishedEpoch;
      auto routes = f.advertised.find(key);
      e.advertised = routes == f.advertised.end() ? std::nullopt : std::optional<AdvertisedRoutes>(routes->second);
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
  if (memo && f.md5) f.md5Before = memo->md5Baseline(std::chrono::steady_clock::now(), *f.md5);
  return f;
}

}  // namespace linkready::bgp
