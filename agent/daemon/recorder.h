// The agent's flight recorder: per link, the last minutes of window samples (about one a
// second), packed small: counters as rises since the previous sample, light in 0.01 dB,
// bias in 0.01 mA, only the lanes the module uses. The window verdicts, /v1/history and
// the summary attached to a readiness change read it back as window::Sample.
// Not thread-safe: the agent holds its lock.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agent/check/window.h"

namespace linkready {

class FlightRecorder {
 public:
  explicit FlightRecorder(size_t capacity = 300) : capacity_(capacity) {}

  void add(const std::string& link, const window::Sample& s);
  // The echo and sessions of the newest sample, once known: add() stored the interface part
  // (Sampler::sampleInterfaces) at once; this fills in the rest (Sampler::complete). A
  // sample that is no longer the newest is left as it was.
  void complete(const std::string& link, const window::Sample& s);
  // The samples of the last `span` before `now` (oldest first); counters are rebuilt as
  // running totals from 0, which is all a window needs (rises).
  std::vector<window::Sample> window(const std::string& link, std::chrono::seconds span,
                                     window::TimePoint now) const;
  std::vector<window::Sample> all(const std::string& link) const;
  // Whether an echo sent in the last `span` before `now` (or at the sample before it, as
  // window() counts) went unanswered: read from the ring as it is, nothing unpacked.
  bool echoLost(const std::string& link, std::chrono::seconds span, window::TimePoint now) const;
  void retain(const std::set<std::string>& links);
  size_t capacity() const { return capacity_; }
  // Bytes held by the samples (the rings' storage, allocated in full).
  size_t bytes() const;

 private:
  static constexpr int16_t kNone = INT16_MIN;  // no light / not reported
  struct Point {
    int64_t atMs = 0;
    uint32_t carrierChanges = 0;  // the kernel's counter is 32 bits anyway
    uint32_t errorsRise = 0, txErrorsRise = 0, crcRise = 0, dropsRise = 0;
    uint32_t fecCorrectedRise = 0, fecUncorrectableRise = 0;
    float rttMs = 0;
    uint16_t sessionDroppedRise[2] = {0, 0};
    uint8_t flags = 0;         // kPresent | kCarrier | kEchoSent | kEchoAnswered | kFec
    uint8_t sessionFlags[2] = {0, 0};  // kKnown | kEstablished | kBfdKnown | kBfdUp
  };
  struct LanePoint {
    int16_t rx = kNone, tx = kNone;  // 0.01 dBm
    uint16_t bias = 0xffff;          // 0.01 mA; 0xffff: not reported
    uint8_t los = 0;
  };
  struct Ring {
    std::vector<Point> points;       // capacity, circular
    std::vector<LanePoint> lanes;    // capacity x laneNumbers.size()
    std::vector<int> laneNumbers;
    std::vector<std::pair<std::string, std::string>> sessions;  // family, peer
    size_t next = 0, size = 0;
    bool havePrevious = false;
    window::Sample previous;         // raw counters of the last sample, for the next rise
    bool haveBeforeLast = false;
    window::Sample beforeLast;       // the one before it: the newest's session resets, in complete()
  };
  window::Sample unpack(const Ring& r, size_t index, window::Sample& running) const;
  std::vector<window::Sample> unpackLast(const Ring& r, size_t count) const;

  size_t capacity_;
  std::map<std::string, Ring> rings_;
};

}  // namespace linkready
