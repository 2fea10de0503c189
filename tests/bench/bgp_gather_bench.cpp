// Prints the cost of gathering BGP facts (the real probe: one neighbor query per configured
// session, one BFD query, advertised routes of each established session) through FRR's VTY
// socket and through `vtysh -c`, for the first CONFIGURED of the peers named on the command
// line; beside it the probe's former way (every peer of every VRF in one query, whatever
// was configured). Then what the flight recorder asks once a second, both ways. Figures,
// no verdicts.
//
//   linkready_bench_bgp SOCKET_DIR ROUNDS CONFIGURED PEER...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "probes/bgp/bgp_probe.h"
#include "probes/bgp/frr_json.h"

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

// The probe before: `show bgp vrf all neighbors json` (FRR renders every peer), then BFD.
std::vector<double> measureAllNeighbors(FrrQuery& q, int rounds) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    (void)q.show("bgpd", "show bgp vrf all neighbors json");
    (void)q.show("bfdd", "show bfd peers json");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
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

// Counts the bytes FRR answered through it.
class Counting final : public FrrQuery {
 public:
  explicit Counting(FrrQuery& q) : q_(q) {}
  size_t bytes = 0;
  tl::expected<std::string, VtyError> show(const std::string& d, const std::string& c) override {
    auto a = q_.show(d, c);
    if (a) bytes += a->size();
    return a;
  }
  std::vector<tl::expected<std::string, VtyError>> showMany(const std::string& d, const std::vector<std::string>& c) override {
    auto all = q_.showMany(d, c);
    for (const auto& a : all) bytes += a ? a->size() : 0;
    return all;
  }
  std::string via() const override { return q_.via(); }
  int daemonPid(const std::string& d) const override { return q_.daemonPid(d); }

 private:
  FrrQuery& q_;
};

// What the flight recorder asks once a second: in full (gatherSessionStates: the AS's summary
// from 8 sessions on, and bfdd) every tenth second or when a session moves, else (steady)
// SessionWatch's short list of sessions that are not Established; against a neighbor query
// per session as it asked before.
std::vector<double> measureStates(FrrQuery& q, const std::vector<WantedSession>& sessions, int rounds, size_t& bytes,
                                  bool steady, int* fullReads = nullptr) {
  std::vector<double> ms;
  Counting counting(q);
  SessionWatch watch(1000000);  // a full read first, then the short list as long as nothing moves
  if (steady) watch.read(counting, sessions);
  for (int i = 0; i < rounds; ++i) {
    counting.bytes = 0;
    auto t0 = Clock::now();
    BgpFacts f = steady ? watch.read(counting, sessions) : gatherSessionStates(counting, sessions);
    if (fullReads && watch.lastReadWasFull()) ++*fullReads;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!f.queryError.empty() || f.neighbors.size() != sessions.size()) {
      std::fprintf(stderr, "session states failed: %s (%zu of %zu)\n", f.queryError.c_str(), f.neighbors.size(),
                   sessions.size());
      std::exit(1);
    }
  }
  bytes = counting.bytes;
  return ms;
}

std::vector<double> measureNeighborStates(FrrQuery& q, const std::vector<WantedSession>& sessions, int rounds,
                                          size_t& bytes) {
  std::vector<double> ms;
  std::vector<std::string> commands;
  for (const auto& s : sessions) commands.push_back("show bgp vrf " + s.vrf + " neighbors " + s.peer + " json");
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    bytes = 0;
    for (const auto& a : q.showMany("bgpd", commands)) {
      if (!a) continue;
      bytes += a->size();
      (void)parseVrfNeighbors(*a, "default");
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s SOCKET_DIR ROUNDS CONFIGURED PEER...\n", argv[0]);
    return 2;
  }
  VtyOptions o;
  o.socketDir = argv[1];
  o.timeout = std::chrono::milliseconds(10000);
  int rounds = std::stoi(argv[2]);
  int configured = std::stoi(argv[3]);
  std::vector<WantedSession> sessions;
  for (int i = 4; i < argc && int(sessions.size()) < configured; ++i) {
    std::string peer = argv[i];
    sessions.push_back({"default", peer, peer.find(':') != std::string::npos, 45104, true});
  }
  size_t neighbors = 0;
  auto socket = makeVtySocketQuery(o);     // one persistent connection per daemon
  auto vtysh = makeVtyshQuery(o);          // one vtysh process per command
  auto s = measure(*socket, sessions, rounds, neighbors);
  auto b = measureAllNeighbors(*socket, rounds);
  auto v = measure(*vtysh, sessions, std::max(3, rounds / 10), neighbors);
  auto p = measurePerPeer(*vtysh, sessions, 3);
  auto inFrr = socket->show("bgpd", "show bgp vrf all neighbors json");
  size_t peersInFrr = 0;
  if (inFrr)
    if (auto all = parseNeighbors(*inFrr)) peersInFrr = all->size();
  double sm = medianMs(s), bm = medianMs(b), vm = medianMs(v), pm = medianMs(p);
  std::printf("%4zu peers in FRR, %3zu configured: vty socket %7.3f ms (before: all neighbors %7.3f ms, %zu KB)"
              " | same commands by vtysh -c %8.1f ms (1/%.0f) | vtysh -c per peer %8.1f ms (1/%.0f)\n",
              peersInFrr, sessions.size(), sm, bm, inFrr ? inFrr->size() / 1024 : 0, vm, sm > 0 ? vm / sm : 0.0, pm,
              sm > 0 ? pm / sm : 0.0);
  size_t stateBytes = 0, steadyBytes = 0, neighborBytes = 0;
  double st = medianMs(measureStates(*socket, sessions, rounds, stateBytes, false));
  int fullReads = 0;  // under 8 sessions of the AS (no summary), or a session moved meanwhile
  double ss = medianMs(measureStates(*socket, sessions, rounds, steadyBytes, true, &fullReads));
  double nt = medianMs(measureNeighborStates(*socket, sessions, rounds, neighborBytes));
  std::printf("     sessions' state (the recorder, a second): steady %7.3f ms, %.1f KB%s; in full %7.3f ms, %zu KB |"
              " each neighbor query %7.3f ms, %zu KB\n",
              ss, steadyBytes / 1024.0, fullReads ? " (read in full: no summary to list them)" : "", st, stateBytes / 1024, nt, neighborBytes / 1024);
  (void)neighbors;
  return 0;
}
