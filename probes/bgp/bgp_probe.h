// The BGP probe: asks FRR for each configured session's neighbor (never for every peer
// FRR has), once for BFD, and for the advertised routes of each configured session that
// is up; reads the kernel's MD5 counters in bgpd's network namespace. Facts only.
#pragma once

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

 private:
  bool shortReadStands(FrrQuery& frr, const std::vector<WantedSession>& sessions);

  unsigned fullEvery_;
  unsigned sinceFull_ = 0;
  bool lastFull_ = false;
  std::optional<BgpFacts> full_;
  std::vector<std::string> fullOf_;  // the sessions (sessionKey) the full read was for
};

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot = "/proc");

}  // namespace linkready::bgp
