// Redundant pairs through the check engine: a pair is judged whichever side of it names
// the other in the config, and only once.
#include <catch2/catch.hpp>

#include "agent/check/engine.h"

using namespace linkready;

namespace {

// Two physical ports as rtnetlink reports them, carrier up, on two NICs.
class TwoPorts final : public link::LinkSource {
 public:
  tl::expected<std::vector<link::InterfaceFacts>, std::string> interfaces() override {
    std::vector<link::InterfaceFacts> out;
    for (int n : {1, 2}) {
      link::InterfaceFacts i;
      i.name = "eth" + std::to_string(n);
      i.ifindex = 2 + n;
      i.adminUp = true;
      i.carrier = true;
      i.operState = "up";
      i.mtu = 1500;
      i.busInfo = "0000:0" + std::to_string(n) + ":00.0";
      out.push_back(i);
    }
    return out;
  }
  tl::expected<link::LinkModes, std::string> linkModes(const std::string&) override {
    link::LinkModes m;
    m.speedMbps = 10000, m.fullDuplex = true, m.autoneg = false;
    return m;
  }
};

std::vector<PairReport> pairsOf(const std::string& links) {
  auto cfg = config::fromString("links:\n" + links);
  INFO((cfg ? "" : config::formatErrors(cfg.error())));
  REQUIRE(cfg);
  TwoPorts ports;
  ProbeSources s;
  s.link = &ports;
  return runChecks(*cfg, s, CheckOptions{{}, {Layer::Link}}).pairs;
}

}  // namespace

TEST_CASE("a pair is judged when either link names the other", "[pair][engine]") {
  for (const char* links : {
           "  - {name: primary, interface: eth1, redundant_with: secondary}\n  - {name: secondary, interface: eth2}\n",
           "  - {name: primary, interface: eth1}\n  - {name: secondary, interface: eth2, redundant_with: primary}\n",
           "  - {name: primary, interface: eth1, redundant_with: secondary}\n"
           "  - {name: secondary, interface: eth2, redundant_with: primary}\n"}) {
    INFO(links);
    auto pairs = pairsOf(links);
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].first == "primary");
    CHECK(pairs[0].second == "secondary");
    CHECK(pairs[0].verdict == PairVerdict::Redundant);
  }
  CHECK(pairsOf("  - {name: primary, interface: eth1}\n  - {name: secondary, interface: eth2}\n").empty());
}
