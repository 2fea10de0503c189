// The raw-socket pinger against the kernel's own echo replies on loopback (root: raw ICMP
// sockets need CAP_NET_RAW): every echo answered, and none sent at or after the deadline
// (an echo that could not be waited for would count as lost).
#include <catch2/catch.hpp>

#include "probes/l3/ping.h"

using namespace linkready;
using namespace std::chrono_literals;

namespace {

std::vector<l3::PingRequest> smallAndBig(const char* target) {
  l3::PingRequest small;
  small.target = *IpAddress::parse(target);
  small.count = 3;
  l3::PingRequest big = small;
  big.packetSize = 1500;
  big.dontFragment = true;
  big.count = 2;
  return {small, big};
}

}  // namespace

TEST_CASE("pinger: echoes on loopback are answered, and none goes out at or after the deadline", "[netns][ip]") {
  auto pinger = l3::makeRawSocketPinger();
  for (const char* target : {"127.0.0.1", "::1"}) {
    INFO(target);
    auto answered = pinger->pingAll(smallAndBig(target), std::chrono::steady_clock::now() + 2s);
    REQUIRE(answered.size() == 2);
    CHECK(answered[0].error.empty());
    CHECK(answered[0].sent == 3);
    CHECK(answered[0].received == 3);
    CHECK(answered[1].sent == 2);
    CHECK(answered[1].received == 2);
    auto late = pinger->pingAll(smallAndBig(target), std::chrono::steady_clock::now());
    REQUIRE(late.size() == 2);
    for (const auto& r : late) {
      CHECK(r.sent == 0);
      CHECK(r.received == 0);
      CHECK(r.error.empty());
    }
  }
}
