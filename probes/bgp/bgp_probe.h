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

// What a window samples once a second, for the configured sessions: from 8 sessions of one
// VRF and remote AS on, that AS's summary (FRR walks its peers once and prints those of the
// AS: state and resets, a tenth of the neighbor query's bytes); the neighbor query for fewer
// and for a session no summary lists; BFD from bfdd once when any session wants it.
BgpFacts gatherSessionStates(FrrQuery& frr, const std::vector<WantedSession>& sessions);

BgpFacts gatherBgp(FrrQuery& frr, const std::vector<WantedSession>& sessions, bool wantBfd,
                   const std::string& procRoot = "/proc");

}  // namespace linkready::bgp
