// The BGP probe: asks FRR for each configured session's neighbor (never for every peer
// FRR has), once for BFD, and for the advertised routes of each configured session that
// is up; reads the kernel's MD5 counters in bgpd's network namespace. Facts only.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/bgp/bgp_facts.h"
#include "probes/bgp/frr_vty.h"

namespace linkready::bgp {

struct WantedSession {
  std::string vrf;
  std::string peer;   // address as text
  bool ipv6 = false;
  uint32_t remoteAs = 0;
  bool bfd = false;  // gatherSessionStates: ask bfdd for this session's BFD state
};

// What a window samples once a second, for the configured sessions: from 8 sessions of one
// VRF and remote AS on, that AS's summary (FRR walks its peers once and prints those of the
// AS: state and resets, a tenth of the neighbor query's bytes); the neighbor query for fewer
// and for a session no summary lists; BFD from bfdd once when any session wants it.
BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions);

// gatherSessionStates a second at a time for less: FRR's list of the sessions of each VRF
// and remote AS that are not Established (`summary failed remote-as ASN`: ~0.3 KB while all
// are up, against 31 KB of summary and 41 KB of BFD peers at 64 sessions), and the full
// read only when that list says something changed (a session in or out of it, a failed
// one's connection counters moved), every `fullEvery` reads, or while a session is not
// listed by its AS's summary (read in full every time then, as before). Between full reads
// a session's state, resets and BFD are those of the last full read, which the short list
// confirms for every session that is Established; what it cannot see until the next full
// read is a session that dropped and came back within the second, and a BFD session that
// changed without taking its BGP session along (with `bfd` on the neighbor a BFD down
// resets the session, which the list shows at once).
class SessionWatch {
 public:
  explicit SessionWatch(unsigned fullEvery = 10) : fullEvery_(fullEvery ? fullEvery : 1) {}
  // Valid until the next read() (no copy of every session's facts each second).
  const BgpFacts& read(FrrQuery& frr, const std::vector<WantedSession>& sessions);
  // Whether the last read() asked for everything (for tests and the benchmark).
  bool lastReadWasFull() const { return lastFull_; }
  // A full read of these sessions made elsewhere, begun no earlier than `began`, taken as
  // this watch's own (the agent's check reads the same summaries and BFD peers every
  // interval: FRR renders them once, not twice). Not taken with an error, nor when the
  // watch's own last full read began later (an older read would take back a change it saw).
  // After one, the watch's own full read waits kOfferGrace reads more than fullEvery, so
  // that the next offer, due as often, comes first.
  void offer(std::shared_ptr<const BgpFacts> full, const std::vector<WantedSession>& sessions,
             std::chrono::steady_clock::time_point began);
  static constexpr unsigned kOfferGrace = 2;

 private:
  bool shortReadStands(FrrQuery& frr, const std::vector<WantedSession>& sessions);

  unsigned fullEvery_;
  unsigned sinceFull_ = 0;
  bool lastFull_ = false;
  bool offered_ = false;  // full_ came from offer()
  std::chrono::steady_clock::time_point fullBegan_;  // when the read behind full_ began
  std::shared_ptr<const BgpFacts> full_;  // its own read's or one offered
  std::vector<std::string> fullOf_;  // the sessions (sessionKey) the full read was for
};

// What the agent's check keeps of FRR's answers from one interval to the next, so that a
// steady session's neighbor document (~3 KB of JSON each, most of the BGP layer's time at
// scale) is not read and parsed again every interval. Used where the summary serves (from
// 8 sessions of a VRF and remote AS on, as for gatherSessionStates). A session that was
// Established when its document was read takes that document again, and its advertised
// routes, while its summary line is the same (state, connections established and dropped,
// prefixes received and sent, in every family; when it was established, within 2 s) and,
// where bgpd showed BFD, bfdd shows the same BFD status; its uptime then comes from the
// summary. Every `fullEvery`-th gather reads every document. What waits for that full read: a change that moves none of these (a
// maximum-prefix limit or BFD timers edited, an announced prefix swapped for another).
// The agent uses it for its checks of every link only (a check of some links on request
// reads theirs in full), so the full reads keep their pace.
struct NeighborMemo {
  struct Entry {
    Neighbor neighbor;
    std::string summaryLine;  // the session's summary line when the document was read
    std::optional<uint64_t> establishedEpoch;  // and when it says the session was established
    std::optional<AdvertisedRoutes> advertised;
  };
  unsigned fullEvery = 6;  // at the agent's default interval of 10 s: every minute
  unsigned sinceFull = 0;
  bool lastFull = false;  // the last gather read every document (for tests and the benchmark)
  std::map<std::string, Entry> entries;  // by sessionKey
  // The kernel's TCP-MD5 counters as the gathers of the last kMd5Span read them. Their rise
  // over that span is the news: FRR retries a refused connect about every 2 minutes and a
  // peer's SYNs back off, so over one interval they often stand still during a mismatch.
  static constexpr std::chrono::minutes kMd5Span{5};
  std::deque<std::pair<std::chrono::steady_clock::time_point, Md5Counters>> md5Seen;
  // Records the reading `now` made at `at`; returns the one of kMd5Span ago, once the
  // readings reach that far back (before that: none, and the totals are all there is).
  std::optional<Md5Counters> md5Baseline(std::chrono::steady_clock::time_point at, const Md5Counters& now);
  void clear() { entries.clear(), sinceFull = 0; }
};

// With a memo: as NeighborMemo says (the summary of each VRF and remote AS asked first, BFD
// before the documents). Without: every document, as `linkready check` does.
BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot = "/proc", NeighborMemo* memo = nullptr);

}  // namespace linkready::bgp
