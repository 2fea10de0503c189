// Prints the cost of gathering BGP facts (the real probe: one neighbors query, one BFD
// query, advertised routes of each established session) through FRR's VTY socket and
// through `vtysh -c`, for the sessions named on the command line. Figures, no verdicts.
//
//   linkready_bench_bgp SOCKET_DIR ROUNDS PEER...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "probes/bgp/bgp_probe.h"

using namespace linkready::bgp;
using Clock = std::chrono::steady_clock;

namespace {

double medianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::vector<double> measure(FrrQuery& q, const std::vector<WantedSession>& sessions, int rounds, size_t& neighbors) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    BgpFacts f = gatherBgp(q, sessions, true);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!f.queryError.empty()) {
      std::fprintf(stderr, "gather failed: %s\n", f.queryError.c_str());
      std::exit(1);
    }
    neighbors = f.neighbors.size();
  }
  return ms;
}

// The way per-peer monitoring plugins do it: a vtysh process per peer.
std::vector<double> measurePerPeer(FrrQuery& vtysh, const std::vector<WantedSession>& sessions, int rounds) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    for (const auto& s : sessions) (void)vtysh.show("bgpd", "show bgp vrf " + s.vrf + " neighbors " + s.peer + " json");
    (void)vtysh.show("bfdd", "show bfd peers json");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s SOCKET_DIR ROUNDS PEER...\n", argv[0]);
    return 2;
  }
  VtyOptions o;
  o.socketDir = argv[1];
  o.timeout = std::chrono::milliseconds(10000);
  int rounds = std::stoi(argv[2]);
  std::vector<WantedSession> sessions;
  for (int i = 3; i < argc; ++i) {
    std::string peer = argv[i];
    sessions.push_back({"default", peer, peer.find(':') != std::string::npos, 45104});
  }
  size_t neighbors = 0;
  auto socket = makeVtySocketQuery(o);     // one persistent connection per daemon
  auto vtysh = makeVtyshQuery(o);          // one vtysh process per command
  auto s = measure(*socket, sessions, rounds, neighbors);
  auto v = measure(*vtysh, sessions, std::max(3, rounds / 10), neighbors);
  auto p = measurePerPeer(*vtysh, sessions, 3);
  double sm = medianMs(s), vm = medianMs(v), pm = medianMs(p);
  std::printf("%4zu peers in FRR, %3zu sessions: vty socket %7.3f ms | same commands by vtysh -c %8.1f ms (1/%.0f)"
              " | vtysh -c per peer %8.1f ms (1/%.0f)\n",
              neighbors, sessions.size(), sm, vm, sm > 0 ? vm / sm : 0.0, pm, sm > 0 ? pm / sm : 0.0);
  return 0;
}
