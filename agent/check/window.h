// Stability over a window of time: samples taken about once a second (by `check --soak`,
// or by the agent's flight recorder), and the verdicts on them. A counter is judged by how
// much it rose within the window, never by its value since boot. Pure: no I/O here (the
// sampler is window_sampler.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/check/check.h"
#include "agent/check/report.h"
#include "config/config.h"

namespace linkready::window {

using TimePoint = std::chrono::system_clock::time_point;

struct LaneSample {
  int lane = 1;                       // 1-based media lane
  std::optional<double> rxDbm, txDbm;  // nullopt: no light (or not reported)
  std::optional<double> biasMa;
  bool rxLos = false;
};

struct SessionSample {
  std::string family;          // "ipv4", "ipv6": the id part of bgp.<family>.*
  std::string peer;
  bool known = false;          // FRR answered and knows the neighbor
  bool established = false;
  uint64_t dropped = 0;        // connectionsDropped: rises by one per reset
  std::optional<bool> bfdUp;   // nullopt: no BFD on this session
};

struct Sample {
  TimePoint at;
  bool present = false;  // the interface exists
  bool carrier = false;
  uint64_t carrierChanges = 0;
  uint64_t rxErrors = 0, txErrors = 0, rxCrcErrors = 0, rxDropped = 0;
  std::optional<uint64_t> fecCorrected, fecUncorrectable;  // where the driver has them
  std::vector<LaneSample> lanes;                            // a module with DOM only
  bool echoSent = false, echoAnswered = false;             // one echo to the gateway
  double rttMs = 0;
  std::vector<SessionSample> sessions;
};

// Thresholds the field uses (README, "Stability over time", says where each comes from).
struct Limits {
  double lightSwingDb = 1.0;        // a static link's light moves by tenths of a dB
  double echoLossCriticalPct = 5.0; // any loss is a WARNING; this much is CRITICAL
  std::chrono::seconds flapGuard{120};  // after a flap, DEGRADED until this long without one
};

// A counter's rise from a to b; a counter that went backwards was reset (driver reload,
// module swap): what it counted since then is b.
uint64_t rise(uint64_t a, uint64_t b);

// Everything that moved within the window, for text and for the orchestrator's summary.
struct Summary {
  double seconds = 0;
  size_t samples = 0;
  uint64_t carrierChanges = 0;
  size_t samplesWithoutCarrier = 0;
  std::optional<TimePoint> lastFlap;  // the last sample in which the carrier changed
  uint64_t errors = 0, crcErrors = 0, drops = 0;
  std::optional<uint64_t> fecCorrected, fecUncorrectable;
  struct Lane {
    int lane = 1;
    std::optional<double> rxMin, rxMax, txMin, txMax;
    size_t dark = 0;  // samples without Rx light
  };
  std::vector<Lane> lanes;
  int echoesSent = 0, echoesAnswered = 0;  // while the carrier was up (a flap is link.flaps' news)
  int echoesWithoutCarrier = 0;
  double rttMin = 0, rttAvg = 0, rttMax = 0, jitterMs = 0;  // jitter: mean |difference| of successive RTTs
  struct Session {
    std::string family, peer;
    uint64_t resets = 0;
    size_t samplesDown = 0, samplesBfdDown = 0, samplesKnown = 0;
  };
  std::vector<Session> sessions;
};

Summary summarize(const std::vector<Sample>& samples);

// The window's verdicts for one link (ids link.flaps, link.errors_rising, link.fec,
// optics.laneN.light_swing, ip.echo_loss, bgp.<family>.resets), in the report's usual
// fields. `now` places "flapped N s ago"; a flap within limits.flapGuard of `now` keeps
// the link DEGRADED even when the window is longer ago clean.
std::vector<CheckResult> judgeWindow(const config::Link& link, const std::vector<Sample>& samples, TimePoint now,
                                     const Limits& limits = {});

// The link's instant verdicts with the window's added, finalized again (readiness, first
// broken layer). The instant report is taken whole (move it in): its checks are moved, not copied.
LinkReport withWindow(LinkReport instant, std::vector<CheckResult> windowChecks);

// "12 s", "3 min 4 s"
std::string durationText(double seconds);

}  // namespace linkready::window
