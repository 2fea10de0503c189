#include "agent/daemon/recorder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace linkready {

namespace {

enum : uint8_t { kPresent = 1, kCarrier = 2, kEchoSent = 4, kEchoAnswered = 8, kFec = 16 };
enum : uint8_t { kKnown = 1, kEstablished = 2, kBfdKnown = 4, kBfdUp = 8 };

uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : uint32_t(v); }
uint16_t clamp16(uint64_t v) { return v > UINT16_MAX ? UINT16_MAX : uint16_t(v); }

int16_t centi(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return INT16_MIN;
  double c = std::round(*v * 100.0);
  return int16_t(std::clamp(c, double(INT16_MIN + 1), double(INT16_MAX)));
}

std::optional<double> uncenti(int16_t v) {
  if (v == INT16_MIN) return std::nullopt;
  return v / 100.0;
}

int64_t toMs(window::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

void FlightRecorder::add(const std::string& link, const window::Sample& s) {
  Ring& r = rings_[link];
  std::vector<int> laneNumbers;
  for (const auto& l : s.lanes) laneNumbers.push_back(l.lane);
  std::vector<std::pair<std::string, std::string>> sessions;
  for (const auto& ss : s.sessions) sessions.emplace_back(ss.family, ss.peer);
  if (sessions.size() > 2) sessions.resize(2);
  if (r.points.empty() || laneNumbers != r.laneNumbers || sessions != r.sessions) {
    // First sample, another module, or other sessions: the series start again.
    bool had = r.havePrevious;
    window::Sample prev = r.previous;
    r = Ring{};
    r.points.resize(capacity_);
    r.laneNumbers = laneNumbers;
    r.lanes.resize(capacity_ * laneNumbers.size());
    r.sessions = sessions;
    r.havePrevious = had, r.previous = prev;  // the interface's counters go on
  }
  Point p;
  p.atMs = toMs(s.at);
  p.carrierChanges = uint32_t(s.carrierChanges);
  p.flags = (s.present ? kPresent : 0) | (s.carrier ? kCarrier : 0) | (s.echoSent ? kEchoSent : 0) |
            (s.echoAnswered ? kEchoAnswered : 0) | (s.fecUncorrectable ? kFec : 0);
  p.rttMs = float(s.rttMs);
  if (r.havePrevious) {
    const window::Sample& q = r.previous;
    p.errorsRise = clamp32(window::rise(q.rxErrors, s.rxErrors));
    p.txErrorsRise = clamp32(window::rise(q.txErrors, s.txErrors));
    p.crcRise = clamp32(window::rise(q.rxCrcErrors, s.rxCrcErrors));
    p.dropsRise = clamp32(window::rise(q.rxDropped, s.rxDropped));
    if (q.fecCorrected && s.fecCorrected) p.fecCorrectedRise = clamp32(window::rise(*q.fecCorrected, *s.fecCorrected));
    if (q.fecUncorrectable && s.fecUncorrectable)
      p.fecUncorrectableRise = clamp32(window::rise(*q.fecUncorrectable, *s.fecUncorrectable));
  }
  for (size_t k = 0; k < s.sessions.size() && k < 2; ++k) {
    const auto& ss = s.sessions[k];
    p.sessionFlags[k] = (ss.known ? kKnown : 0) | (ss.established ? kEstablished : 0) |
                        (ss.bfdUp ? kBfdKnown : 0) | (ss.bfdUp && *ss.bfdUp ? kBfdUp : 0);
    if (r.havePrevious)
      for (const auto& qs : r.previous.sessions)
        if (qs.family == ss.family && qs.known && ss.known) p.sessionDroppedRise[k] = clamp16(window::rise(qs.dropped, ss.dropped));
  }
  r.points[r.next] = p;
  for (size_t k = 0; k < r.laneNumbers.size(); ++k) {
    const auto& l = s.lanes[k];
    LanePoint& lp = r.lanes[r.next * r.laneNumbers.size() + k];
    lp.rx = centi(l.rxDbm), lp.tx = centi(l.txDbm);
    lp.bias = l.biasMa && *l.biasMa >= 0 && *l.biasMa < 655 ? uint16_t(std::lround(*l.biasMa * 100)) : 0xffff;
    lp.los = l.rxLos;
  }
  r.next = (r.next + 1) % capacity_;
  r.size = std::min(r.size + 1, capacity_);
  r.beforeLast = std::move(r.previous);
  r.haveBeforeLast = r.havePrevious;
  r.previous = s;
  r.havePrevious = true;
}

void FlightRecorder::complete(const std::string& link, const window::Sample& s) {
  auto it = rings_.find(link);
  if (it == rings_.end() || it->second.size == 0) return;
  Ring& r = it->second;
  Point& p = r.points[(r.next + capacity_ - 1) % capacity_];
  if (p.atMs != toMs(s.at)) return;
  p.flags = uint8_t((p.flags & ~(kEchoSent | kEchoAnswered)) | (s.echoSent ? kEchoSent : 0) |
                    (s.echoAnswered ? kEchoAnswered : 0));
  p.rttMs = float(s.rttMs);
  for (size_t k = 0; k < 2; ++k) p.sessionFlags[k] = 0, p.sessionDroppedRise[k] = 0;
  for (size_t k = 0; k < s.sessions.size() && k < 2; ++k) {
    const auto& ss = s.sessions[k];
    if (k >= r.sessions.size() || r.sessions[k] != std::make_pair(ss.family, ss.peer)) continue;
    p.sessionFlags[k] = (ss.known ? kKnown : 0) | (ss.established ? kEstablished : 0) |
                        (ss.bfdUp ? kBfdKnown : 0) | (ss.bfdUp && *ss.bfdUp ? kBfdUp : 0);
    if (r.haveBeforeLast)
      for (const auto& qs : r.beforeLast.sessions)
        if (qs.family == ss.family && qs.known && ss.known) p.sessionDroppedRise[k] = clamp16(window::rise(qs.dropped, ss.dropped));
  }
  r.previous.echoSent = s.echoSent, r.previous.echoAnswered = s.echoAnswered, r.previous.rttMs = s.rttMs;
  r.previous.sessions = s.sessions;  // the next sample's resets count from these
}

window::Sample FlightRecorder::unpack(const Ring& r, size_t index, window::Sample& running) const {
  const Point& p = r.points[index];
  window::Sample s;
  s.at = window::TimePoint(std::chrono::milliseconds(p.atMs));
  s.present = p.flags & kPresent, s.carrier = p.flags & kCarrier;
  s.echoSent = p.flags & kEchoSent, s.echoAnswered = p.flags & kEchoAnswered;
  s.rttMs = p.rttMs;
  s.carrierChanges = p.carrierChanges;
  running.rxErrors += p.errorsRise, running.txErrors += p.txErrorsRise;
  running.rxCrcErrors += p.crcRise, running.rxDropped += p.dropsRise;
  s.rxErrors = running.rxErrors, s.txErrors = running.txErrors;
  s.rxCrcErrors = running.rxCrcErrors, s.rxDropped = running.rxDropped;
  if (p.flags & kFec) {
    running.fecCorrected = running.fecCorrected.value_or(0) + p.fecCorrectedRise;
    running.fecUncorrectable = running.fecUncorrectable.value_or(0) + p.fecUncorrectableRise;
    s.fecCorrected = running.fecCorrected, s.fecUncorrectable = running.fecUncorrectable;
  }
  s.lanes.reserve(r.laneNumbers.size());
  for (size_t k = 0; k < r.laneNumbers.size(); ++k) {
    const LanePoint& lp = r.lanes[index * r.laneNumbers.size() + k];
    window::LaneSample l;
    l.lane = r.laneNumbers[k];
    l.rxDbm = uncenti(lp.rx), l.txDbm = uncenti(lp.tx);
    if (lp.bias != 0xffff) l.biasMa = lp.bias / 100.0;
    l.rxLos = lp.los;
    s.lanes.push_back(l);
  }
  if (running.sessions.size() < r.sessions.size()) running.sessions.resize(r.sessions.size());
  s.sessions.reserve(r.sessions.size());
  for (size_t k = 0; k < r.sessions.size(); ++k) {
    window::SessionSample ss;
    ss.family = r.sessions[k].first, ss.peer = r.sessions[k].second;
    uint8_t f = p.sessionFlags[k];
    ss.known = f & kKnown, ss.established = f & kEstablished;
    if (f & kBfdKnown) ss.bfdUp = bool(f & kBfdUp);
    running.sessions[k].dropped += p.sessionDroppedRise[k];
    ss.dropped = running.sessions[k].dropped;
    s.sessions.push_back(std::move(ss));
  }
  return s;
}

std::vector<window::Sample> FlightRecorder::unpackLast(const Ring& r, size_t count) const {
  std::vector<window::Sample> out;
  count = std::min(count, r.size);
  out.reserve(count + 1);  // and room for the check's own reading (Agent::recentSamples): no copy of them all
  window::Sample running;
  size_t first = (r.next + capacity_ - count) % capacity_;
  for (size_t i = 0; i < count; ++i) out.push_back(unpack(r, (first + i) % capacity_, running));
  return out;
}

std::vector<window::Sample> FlightRecorder::all(const std::string& link) const {
  auto it = rings_.find(link);
  return it == rings_.end() ? std::vector<window::Sample>{} : unpackLast(it->second, it->second.size);
}

std::vector<window::Sample> FlightRecorder::window(const std::string& link, std::chrono::seconds span,
                                                   window::TimePoint now) const {
  auto it = rings_.find(link);
  if (it == rings_.end()) return {};
  const Ring& r = it->second;
  int64_t from = toMs(now) - int64_t(span.count()) * 1000;
  size_t count = 0;
  for (size_t i = 0; i < r.size; ++i) {
    size_t idx = (r.next + capacity_ - 1 - i) % capacity_;
    if (r.points[idx].atMs < from) break;
    ++count;
  }
  // One sample before the span: a rise at the span's first sample is measured from it.
  return unpackLast(r, std::min(r.size, count + 1));
}

bool FlightRecorder::echoLost(const std::string& link, std::chrono::seconds span, window::TimePoint now) const {
  auto it = rings_.find(link);
  if (it == rings_.end()) return false;
  const Ring& r = it->second;
  int64_t from = toMs(now) - int64_t(span.count()) * 1000;
  for (size_t i = 0; i < r.size; ++i) {
    const Point& p = r.points[(r.next + capacity_ - 1 - i) % capacity_];
    if ((p.flags & kEchoSent) && !(p.flags & kEchoAnswered)) return true;
    if (p.atMs < from) break;  // the sample before the span was the last one looked at
  }
  return false;
}

void FlightRecorder::retain(const std::set<std::string>& links) {
  for (auto it = rings_.begin(); it != rings_.end();) it = links.count(it->first) ? std::next(it) : rings_.erase(it);
}

size_t FlightRecorder::bytes() const {
  size_t b = 0;
  for (const auto& [name, r] : rings_)
    b += sizeof(Ring) + name.capacity() + r.points.capacity() * sizeof(Point) + r.lanes.capacity() * sizeof(LanePoint) +
         sizeof(window::Sample);
  return b;
}

}  // namespace linkready
