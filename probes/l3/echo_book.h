// The pure half of the echo probe: the ICMP echo requests we build and the replies we
// match to them, for every target at once. Each request (target, size) has its own
// identifier; each echo its sequence number. Bytes in, facts out: no I/O, no throwing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "probes/l3/reach_facts.h"

namespace linkready::l3 {

using EchoClock = std::chrono::steady_clock;

// An ICMP (v4) or ICMPv6 echo request of `icmpLength` bytes. The ICMPv6 checksum is left
// zero: the kernel fills it in for raw ICMPv6 sockets.
std::vector<uint8_t> encodeEchoRequest(bool v6, uint16_t ident, uint16_t seq, size_t icmpLength);

struct EchoReply {
  IpAddress source;
  uint16_t ident = 0, seq = 0;
};

// What a raw ICMP socket read: IPv4 sockets return the IP header, IPv6 sockets do not (the
// source comes from recvfrom). Anything but an echo reply is nullopt.
std::optional<EchoReply> decodeEchoReply(bool v6, const uint8_t* data, size_t size, const IpAddress& from6);

// The ICMP payload length that makes the whole IP packet `packetSize` bytes.
size_t icmpLengthFor(const PingRequest& request);

// The echoes of many requests in flight together: when each is due, what was sent, which
// replies match, and the result per request.
class EchoBook {
 public:
  // `identBase` + index is each request's identifier; first sends are spread over one interval.
  EchoBook(std::vector<PingRequest> requests, uint16_t identBase, EchoClock::time_point start);

  size_t size() const { return requests_.size(); }
  const PingRequest& request(size_t i) const { return requests_[i]; }
  uint16_t ident(size_t i) const { return uint16_t(identBase_ + i); }

  // The requests with an echo due at `now`, and the sequence number to send.
  struct Due {
    size_t index;
    uint16_t seq;
  };
  std::vector<Due> due(EchoClock::time_point now) const;
  void sent(size_t i, EchoClock::time_point at);
  void failed(size_t i, const std::string& error, bool permissionDenied, bool localMtuTooSmall);
  // A reply; false when it is none of ours (another identifier, source or sequence).
  bool answer(const EchoReply& reply, EchoClock::time_point at);

  // Every request has sent all it will and heard back, or waited its timeout since the last send.
  bool finished(EchoClock::time_point now) const;
  // When something next happens (a send due, a timeout), for the poll.
  EchoClock::time_point nextEvent(EchoClock::time_point now) const;

  std::vector<PingResult> results() const;  // one per request, in order

 private:
  struct Flight {
    EchoClock::time_point nextSend, lastSend;
    std::vector<std::optional<EchoClock::time_point>> sentAt;  // by sequence number
    std::vector<double> rttsMs;
    PingResult result;
    bool done() const { return !result.error.empty(); }
  };
  bool settled(const Flight& f, const PingRequest& rq, EchoClock::time_point now) const;

  std::vector<PingRequest> requests_;
  std::vector<Flight> flights_;
  uint16_t identBase_;
};

}  // namespace linkready::l3
