#include "probes/l3/echo_book.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace linkready::l3 {

namespace {

constexpr uint8_t kEchoRequest4 = 8, kEchoReply4 = 0, kEchoRequest6 = 128, kEchoReply6 = 129;

uint16_t inetChecksum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(p[i] << 8 | p[i + 1]);
  if (n % 2) sum += uint32_t(p[n - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

}  // namespace

std::vector<uint8_t> encodeEchoRequest(bool v6, uint16_t ident, uint16_t seq, size_t icmpLength) {
  std::vector<uint8_t> pkt(std::max<size_t>(icmpLength, 8), 0);
  pkt[0] = v6 ? kEchoRequest6 : kEchoRequest4;
  pkt[4] = uint8_t(ident >> 8), pkt[5] = uint8_t(ident);
  pkt[6] = uint8_t(seq >> 8), pkt[7] = uint8_t(seq);
  for (size_t i = 8; i < pkt.size(); ++i) pkt[i] = uint8_t(i);
  if (!v6) {
    uint16_t sum = inetChecksum(pkt.data(), pkt.size());
    pkt[2] = uint8_t(sum >> 8), pkt[3] = uint8_t(sum);
  }
  return pkt;
}

std::optional<EchoReply> decodeEchoReply(bool v6, const uint8_t* data, size_t size, const IpAddress& from6) {
  EchoReply r;
  const uint8_t* icmp = data;
  size_t len = size;
  if (v6) {
    r.source = from6;
  } else {  // RFC 791: the header length in 32-bit words, the source at offset 12
    if (size < 20 || (data[0] >> 4) != 4) return std::nullopt;
    size_t hl = size_t(data[0] & 0x0f) * 4;
    if (hl < 20 || size < hl + 8) return std::nullopt;
    r.source.family = AF_INET;
    std::memcpy(r.source.bytes.data(), data + 12, 4);
    icmp += hl;
    len -= hl;
  }
  if (len < 8 || icmp[0] != (v6 ? kEchoReply6 : kEchoReply4) || icmp[1] != 0) return std::nullopt;
  r.ident = uint16_t(icmp[4] << 8 | icmp[5]);
  r.seq = uint16_t(icmp[6] << 8 | icmp[7]);
  return r;
}

size_t icmpLengthFor(const PingRequest& rq) {
  size_t ipHeader = rq.target.isV6() ? 40 : 20;
  return rq.packetSize > ipHeader + 8 ? rq.packetSize - ipHeader : 8;
}

EchoBook::EchoBook(std::vector<PingRequest> requests, uint16_t identBase, EchoClock::time_point start)
    : requests_(std::move(requests)), flights_(requests_.size()), identBase_(identBase) {
  // Spread the first sends over one interval so replies of many links do not arrive in one burst.
  for (size_t i = 0; i < requests_.size(); ++i) {
    auto offset = requests_[i].interval * long(i) / long(requests_.size());
    flights_[i].nextSend = start + offset;
    flights_[i].lastSend = start;
  }
}

std::vector<EchoBook::Due> EchoBook::due(EchoClock::time_point now) const {
  std::vector<Due> out;
  for (size_t i = 0; i < flights_.size(); ++i) {
    const Flight& f = flights_[i];
    if (!f.done() && f.result.sent < requests_[i].count && now >= f.nextSend) out.push_back({i, uint16_t(f.result.sent)});
  }
  return out;
}

void EchoBook::sent(size_t i, EchoClock::time_point at) {
  Flight& f = flights_[i];
  f.sentAt.push_back(at);
  ++f.result.sent;
  f.lastSend = at;
  f.nextSend = at + requests_[i].interval;
}

void EchoBook::failed(size_t i, const std::string& error, bool permissionDenied, bool localMtuTooSmall) {
  PingResult& r = flights_[i].result;
  r.error = error;
  r.permissionDenied = permissionDenied;
  r.localMtuTooSmall = localMtuTooSmall;
}

bool EchoBook::answer(const EchoReply& reply, EchoClock::time_point at) {
  uint16_t i = uint16_t(reply.ident - identBase_);
  if (i >= flights_.size() || !(requests_[i].target == reply.source)) return false;
  Flight& f = flights_[i];
  if (reply.seq >= f.sentAt.size() || !f.sentAt[reply.seq]) return false;  // unknown or a duplicate
  // Later than its own timeout (the loop ran on for other targets): lost, as for ping -W;
  // a target's loss must not depend on how long the others keep the call going.
  if (at - *f.sentAt[reply.seq] > requests_[i].timeout) {
    f.sentAt[reply.seq].reset();
    return false;
  }
  f.rttsMs.push_back(std::chrono::duration<double, std::milli>(at - *f.sentAt[reply.seq]).count());
  f.sentAt[reply.seq].reset();
  ++f.result.received;
  return true;
}

bool EchoBook::settled(const Flight& f, const PingRequest& rq, EchoClock::time_point now) const {
  if (f.done()) return true;
  if (f.result.sent < rq.count) return false;
  return f.result.received >= f.result.sent || now >= f.lastSend + rq.timeout;
}

bool EchoBook::finished(EchoClock::time_point now) const {
  for (size_t i = 0; i < flights_.size(); ++i)
    if (!settled(flights_[i], requests_[i], now)) return false;
  return true;
}

EchoClock::time_point EchoBook::nextEvent(EchoClock::time_point now) const {
  auto next = EchoClock::time_point::max();
  for (size_t i = 0; i < flights_.size(); ++i) {
    const Flight& f = flights_[i];
    if (settled(f, requests_[i], now)) continue;
    next = std::min(next, f.result.sent < requests_[i].count ? f.nextSend : f.lastSend + requests_[i].timeout);
  }
  return next;
}

std::vector<PingResult> EchoBook::results() const {
  std::vector<PingResult> out;
  for (const Flight& f : flights_) {
    PingResult r = f.result;
    if (!f.rttsMs.empty()) {
      r.minRttMs = *std::min_element(f.rttsMs.begin(), f.rttsMs.end());
      r.maxRttMs = *std::max_element(f.rttsMs.begin(), f.rttsMs.end());
      double sum = 0;
      for (double x : f.rttsMs) sum += x;
      r.avgRttMs = sum / double(f.rttsMs.size());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace linkready::l3
