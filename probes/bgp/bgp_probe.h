// The BGP probe: asks FRR for each configured session's neighbor (never for every peer
// FRR has), once for BFD, and for the advertised routes of each configured session that
// is up; reads the kernel's MD5 counters in bgpd's network namespace. Facts only.
#pragma once

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

// What a window samples once a second, for the configured sessions only: each one's line
// of the summary (state, resets), pipelined on one connection; the neighbor query only for
// a session no family's summary lists (or an FRR without `summary neighbor`); BFD from
// bfdd once when any session wants it. At 64 sessions 1/3 of the bytes FRR renders and we
// parse, compared with the neighbor query per session.
BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions);

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot = "/proc");

}  // namespace linkready::bgp
