// The echo probe's pure half: echo requests and replies, and the book that matches replies
// of many targets in flight together (identifier per request, sequence per echo).
#include <catch2/catch.hpp>

#include "probes/l3/echo_book.h"

using namespace linkready;
using namespace linkready::l3;
using namespace std::chrono_literals;

namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

PingRequest request(const char* target, int count = 3) {
  PingRequest rq;
  rq.target = ip(target);
  rq.count = count;
  rq.interval = 20ms;
  rq.timeout = 500ms;
  return rq;
}

// An IPv4 echo reply as a raw socket returns it: a 20-byte header, then ICMP.
std::vector<uint8_t> reply4(const char* source, uint16_t ident, uint16_t seq) {
  std::vector<uint8_t> pkt(20, 0);
  pkt[0] = 0x45;
  auto src = ip(source);
  std::copy(src.bytes.begin(), src.bytes.begin() + 4, pkt.begin() + 12);
  auto icmp = encodeEchoRequest(false, ident, seq, 64);
  icmp[0] = 0;  // echo reply
  pkt.insert(pkt.end(), icmp.begin(), icmp.end());
  return pkt;
}

}  // namespace

TEST_CASE("echo requests carry identifier, sequence and a valid IPv4 checksum", "[ping]") {
  auto pkt = encodeEchoRequest(false, 0x1234, 7, 1472);
  REQUIRE(pkt.size() == 1472);
  CHECK(pkt[0] == 8);
  CHECK((pkt[4] << 8 | pkt[5]) == 0x1234);
  CHECK((pkt[6] << 8 | pkt[7]) == 7);
  uint32_t sum = 0;  // RFC 1071: the sum over the message, checksum included, is 0xffff
  for (size_t i = 0; i + 1 < pkt.size(); i += 2) sum += uint32_t(pkt[i] << 8 | pkt[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  CHECK(sum == 0xffff);
  CHECK(encodeEchoRequest(true, 1, 1, 64)[0] == 128);
  PingRequest big = request("10.0.0.1");
  big.packetSize = 1500;
  CHECK(icmpLengthFor(big) == 1480);
  big.target = ip("2001:db8::1");
  CHECK(icmpLengthFor(big) == 1460);
}

TEST_CASE("echo replies decode, anything else and short or garbled packets do not", "[ping]") {
  auto pkt = reply4("10.0.0.1", 42, 3);
  auto r = decodeEchoReply(false, pkt.data(), pkt.size(), {});
  REQUIRE(r);
  CHECK(r->source == ip("10.0.0.1"));
  CHECK(r->ident == 42);
  CHECK(r->seq == 3);
  for (size_t n = 0; n < pkt.size() - 56; ++n) CHECK_FALSE(decodeEchoReply(false, pkt.data(), n, {}));
  auto request = pkt;
  request[20] = 8;  // our own echo request, looped back
  CHECK_FALSE(decodeEchoReply(false, request.data(), request.size(), {}));
  auto badHeader = pkt;
  badHeader[0] = 0x4f;  // a 60-byte header in a shorter packet
  CHECK_FALSE(decodeEchoReply(false, badHeader.data(), 40, {}));
  auto v6 = encodeEchoRequest(true, 9, 1, 64);
  v6[0] = 129;
  auto r6 = decodeEchoReply(true, v6.data(), v6.size(), ip("2001:db8::1"));
  REQUIRE(r6);
  CHECK(r6->source == ip("2001:db8::1"));
  CHECK(r6->ident == 9);
}

TEST_CASE("the echo book runs every target at once and matches replies by identifier, sequence and source", "[ping]") {
  auto t0 = EchoClock::now();
  EchoBook book({request("10.0.0.1"), request("10.0.0.5"), request("10.0.0.9")}, 1000, t0);
  // First sends spread over one interval; every request has its own identifier.
  CHECK(book.due(t0).size() == 1);
  CHECK(book.due(t0 + 20ms).size() == 3);
  for (auto d : book.due(t0 + 20ms)) book.sent(d.index, t0 + 20ms);
  CHECK(book.due(t0 + 30ms).empty());
  CHECK(book.nextEvent(t0 + 30ms) == t0 + 40ms);
  CHECK(book.ident(2) == 1002);

  CHECK(book.answer({ip("10.0.0.1"), 1000, 0}, t0 + 21ms));
  CHECK_FALSE(book.answer({ip("10.0.0.1"), 1000, 0}, t0 + 22ms));  // a duplicate
  CHECK_FALSE(book.answer({ip("10.0.0.5"), 1000, 0}, t0 + 22ms));  // another target's identifier
  CHECK_FALSE(book.answer({ip("10.0.0.5"), 1001, 1}, t0 + 22ms));  // a sequence never sent
  CHECK_FALSE(book.answer({ip("10.0.0.5"), 999, 0}, t0 + 22ms));   // not ours at all
  CHECK(book.answer({ip("10.0.0.5"), 1001, 0}, t0 + 25ms));

  for (int round = 1; round < 3; ++round)
    for (auto d : book.due(t0 + 20ms + 20ms * round)) book.sent(d.index, t0 + 20ms + 20ms * round);
  CHECK(book.due(t0 + 200ms).empty());
  for (uint16_t seq = 1; seq < 3; ++seq) {
    book.answer({ip("10.0.0.1"), 1000, seq}, t0 + 90ms);
    book.answer({ip("10.0.0.5"), 1001, seq}, t0 + 90ms);
  }
  CHECK_FALSE(book.finished(t0 + 100ms));  // 10.0.0.9 is silent: its timeout runs
  CHECK(book.nextEvent(t0 + 100ms) == t0 + 60ms + 500ms);
  CHECK(book.finished(t0 + 560ms));

  auto results = book.results();
  REQUIRE(results.size() == 3);
  CHECK(results[0].sent == 3);
  CHECK(results[0].received == 3);
  CHECK(results[0].minRttMs == Approx(1.0));
  CHECK(results[1].received == 3);
  CHECK(results[1].minRttMs == Approx(5.0));
  CHECK(results[2].sent == 3);
  CHECK(results[2].received == 0);
}

TEST_CASE("a reply later than its request's timeout is lost, however long other targets keep the call going",
          "[ping]") {
  auto t0 = EchoClock::now();
  EchoBook book({request("10.0.0.1", 1), request("10.0.0.5", 1)}, 40, t0);  // timeout 500 ms each
  for (auto d : book.due(t0 + 20ms)) book.sent(d.index, t0 + 20ms);
  CHECK(book.answer({ip("10.0.0.5"), 41, 0}, t0 + 500ms));
  CHECK_FALSE(book.answer({ip("10.0.0.1"), 40, 0}, t0 + 600ms));  // 580 ms after it went out
  auto results = book.results();
  CHECK(results[0].sent == 1);
  CHECK(results[0].received == 0);
  CHECK(results[1].received == 1);
}

TEST_CASE("a target that cannot be pinged ends alone, the others carry on", "[ping]") {
  auto t0 = EchoClock::now();
  EchoBook book({request("10.0.0.1", 1), request("10.0.0.5", 1)}, 7, t0);
  book.failed(0, "the packet does not fit our own MTU (EMSGSIZE)", false, true);
  auto due = book.due(t0 + 20ms);
  REQUIRE(due.size() == 1);
  CHECK(due[0].index == 1);
  book.sent(1, t0 + 20ms);
  CHECK_FALSE(book.finished(t0 + 21ms));
  book.answer({ip("10.0.0.5"), 8, 0}, t0 + 22ms);
  CHECK(book.finished(t0 + 22ms));
  auto results = book.results();
  CHECK(results[0].localMtuTooSmall);
  CHECK(results[0].sent == 0);
  CHECK(results[1].received == 1);
}
