// Re-proof: a check handed an earlier check's on-wire proof and echoes takes them instead of
// probing again, but only for the interface they were made on. The sources count what they
// were asked: the kernel's interfaces and neighbours (a NIC's view as rtnetlink gives it),
// the tagged ARP answers and echo replies a healthy gateway gives.
#include <catch2/catch.hpp>

#include <thread>

#include "agent/check/engine.h"
#include "test_util.h"

using namespace linkready;
using namespace std::chrono_literals;

namespace {

struct Port {
  int ifindex;
  std::string mac;
  uint32_t carrierChanges = 1;
};

class TwoNics final : public link::LinkSource {
 public:
  std::map<std::string, Port> ports{{"eth1", {3, "02:00:00:00:00:01"}}, {"eth2", {4, "02:00:00:00:00:02"}}};
  std::string gatewayMac = "02:00:00:00:01:01";

  tl::expected<std::vector<link::InterfaceFacts>, std::string> interfaces() override {
    std::vector<link::InterfaceFacts> out;
    for (const auto& [name, p] : ports) {
      link::InterfaceFacts i;
      i.name = name;
      i.ifindex = p.ifindex;
      i.adminUp = i.carrier = true;
      i.operState = "up";
      i.carrierChanges = p.carrierChanges;
      i.mtu = 1500;
      i.mac = p.mac;
      i.addresses.push_back(*IpPrefix::parse(name == "eth1" ? "10.0.0.2/30" : "10.0.0.6/30"));
      out.push_back(i);
    }
    return out;
  }
  tl::expected<link::LinkModes, std::string> linkModes(const std::string&) override {
    link::LinkModes m;
    m.speedMbps = 10000, m.fullDuplex = true, m.autoneg = false;
    return m;
  }
  tl::expected<std::vector<link::NeighborEntry>, std::string> neighbors() override {
    ++neighborReads;
    std::vector<link::NeighborEntry> out;
    for (const auto& [gw, ifindex] : {std::pair{"10.0.0.1", 3}, std::pair{"10.0.0.5", 4}})
      out.push_back({ifindex, *IpAddress::parse(gw), gatewayMac, "REACHABLE"});
    return out;
  }
  int neighborReads = 0;
};

// Untagged ARP answered by the gateway, as the capture of a healthy port gives it.
class AnsweringWire final : public vlan::WireProbe {
 public:
  std::vector<std::string> asked;
  std::vector<std::vector<std::vector<vlan::Tag>>> otherLinks;  // what each request knew of the port's other links
  std::string silentOn;  // a port whose far end does not answer: the probe waits to its deadline
  std::chrono::steady_clock::time_point deadline;  // the one it was given
  std::vector<vlan::WireResult> probeAll(const std::vector<vlan::WireRequest>& requests,
                                         std::chrono::steady_clock::time_point deadline) override {
    this->deadline = deadline;
    std::vector<vlan::WireResult> out;
    for (const auto& rq : requests) {
      asked.push_back(rq.interface);
      otherLinks.push_back(rq.otherLinks);
      vlan::WireResult r;
      if (rq.interface == silentOn) {
        std::this_thread::sleep_until(deadline);
        r.framesSent = 3;
        out.push_back(r);
        continue;
      }
      r.framesSent = 1, r.framesSeen = 1, r.seconds = 0.001;
      r.arpAnswerStack = std::vector<vlan::Tag>{};
      r.gatewayMac = "02:00:00:00:01:01";
      out.push_back(r);
    }
    return out;
  }
};

class AnsweringGateways final : public l3::Pinger {
 public:
  std::vector<std::string> asked;
  double rttMs = 0.4;
  std::chrono::steady_clock::time_point deadline;  // the one it was given
  std::chrono::milliseconds timeLeft{0};            // before it, when asked
  std::vector<l3::PingResult> pingAll(const std::vector<l3::PingRequest>& requests,
                                      std::chrono::steady_clock::time_point deadline) override {
    this->deadline = deadline;
    timeLeft = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    std::vector<l3::PingResult> out;
    for (const auto& rq : requests) {
      asked.push_back(rq.target.toString());
      l3::PingResult r;
      r.sent = r.received = rq.count;
      r.minRttMs = r.avgRttMs = r.maxRttMs = rttMs;
      out.push_back(r);
    }
    return out;
  }
};

struct Lab {
  config::Config cfg;
  TwoNics nics;
  AnsweringWire wire;
  AnsweringGateways gateways;
  ProbeSources sources;
  Lab() {
    auto c = config::fromString(
        "links:\n"
        "  - {name: primary, interface: eth1, order: {speed_mbps: 10000}, vlan: {mode: untagged},\n"
        "     optics: {check: false}, ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}}\n"
        "  - {name: secondary, interface: eth2, order: {speed_mbps: 10000}, vlan: {mode: untagged},\n"
        "     optics: {check: false}, ip: {local: 10.0.0.6/30, gateway: 10.0.0.5}}\n");
    INFO((c ? "" : config::formatErrors(c.error())));
    REQUIRE(c);
    cfg = *c;
    sources.link = &nics;
    sources.wire = &wire;
    sources.pinger = &gateways;
  }
  void forget() { wire.asked.clear(), gateways.asked.clear(); }
};

// The verdicts of one link as a line each: id, status, observed.
std::vector<std::string> verdicts(const LinkReport& l) {
  std::vector<std::string> out;
  for (const CheckResult& c : l.checks) out.push_back(c.id + " " + std::string(statusName(c.status)) + " " + c.observed);
  return out;
}

CheckOptions withProofs(const std::vector<Observation>& obs, const Report& r, std::chrono::system_clock::time_point at) {
  CheckOptions o;
  for (size_t i = 0; i < obs.size(); ++i)
    if (auto p = proofOf(obs[i], at)) o.earlierProof[r.links[i].name] = *p;
  return o;
}

}  // namespace

TEST_CASE("re-proof: a steady link's earlier proof is taken, not probed again, and the neighbour table read afresh",
          "[reproof]") {
  Lab lab;
  std::vector<Observation> first;
  Report r1 = runChecks(lab.cfg, lab.sources, {}, &first);
  REQUIRE(r1.links.size() == 2);
  CHECK(r1.links[0].readiness == Readiness::Ready);
  CHECK(lab.wire.asked == std::vector<std::string>{"eth1", "eth2"});
  CHECK(lab.gateways.asked.size() == 4);  // small and 1500-byte DF echoes per gateway
  CHECK_FALSE(r1.links[0].proofFrom);     // made by this check

  auto at = std::chrono::system_clock::now() - 30s;
  CheckOptions again = withProofs(first, r1, at);
  REQUIRE(again.earlierProof.size() == 2);
  lab.forget();
  lab.gateways.rttMs = 9.0;  // an echo now would show another figure
  int reads = lab.nics.neighborReads;
  std::vector<Observation> second;
  Report r2 = runChecks(lab.cfg, lab.sources, again, &second);
  CHECK(lab.wire.asked.empty());
  CHECK(lab.gateways.asked.empty());
  CHECK(lab.nics.neighborReads == reads + 1);
  for (size_t i = 0; i < 2; ++i) {
    INFO(r2.links[i].name);
    CHECK(verdicts(r2.links[i]) == verdicts(r1.links[i]));
    REQUIRE(r2.links[i].proofFrom);
    CHECK(*r2.links[i].proofFrom == at);
    CHECK(second[i].reach.ping4.avgRttMs == Approx(0.4));
    REQUIRE(second[i].reach.neighbors.size() == 1);
  }
  // A proof handed on again keeps the time it was made, not the time it was last taken.
  auto handedOn = proofOf(second[0], std::chrono::system_clock::now());
  REQUIRE(handedOn);
  CHECK(handedOn->at == at);
}

TEST_CASE("re-proof: a flap, a new MAC or a re-created port is proved again, the other link keeps its proof",
          "[reproof]") {
  Lab lab;
  std::vector<Observation> first;
  Report r1 = runChecks(lab.cfg, lab.sources, {}, &first);
  CheckOptions again = withProofs(first, r1, std::chrono::system_clock::now());
  std::string what;
  SECTION("carrier changed since") {
    lab.nics.ports["eth2"].carrierChanges += 2;
    what = "flap";
  }
  SECTION("another MAC (the port was swapped)") {
    lab.nics.ports["eth2"].mac = "02:00:00:00:00:99";
    what = "mac";
  }
  SECTION("another ifindex (the port was re-created)") {
    lab.nics.ports["eth2"].ifindex = 9;
    what = "ifindex";
  }
  INFO(what);
  lab.forget();
  Report r2 = runChecks(lab.cfg, lab.sources, again);
  CHECK(lab.wire.asked == std::vector<std::string>{"eth2"});
  CHECK(lab.gateways.asked == std::vector<std::string>{"10.0.0.5", "10.0.0.5"});
  CHECK(r2.links[0].proofFrom);
  CHECK_FALSE(r2.links[1].proofFrom);
}

TEST_CASE("re-proof: a link the earlier check could not prove hands nothing on", "[reproof]") {
  Lab lab;
  lab.nics.ports.erase("eth2");  // missing: neither the on-wire proof nor echoes ran
  std::vector<Observation> first;
  Report r1 = runChecks(lab.cfg, lab.sources, {}, &first);
  CHECK(proofOf(first[0], std::chrono::system_clock::now()));
  CHECK_FALSE(proofOf(first[1], std::chrono::system_clock::now()));
}

TEST_CASE("re-proof: a check of other layers does not say its verdicts rest on a proof", "[reproof]") {
  Lab lab;
  std::vector<Observation> first;
  Report r1 = runChecks(lab.cfg, lab.sources, {}, &first);
  CheckOptions again = withProofs(first, r1, std::chrono::system_clock::now());
  again.onlyLayers = {Layer::Optics, Layer::Link};  // the agent's fast path on a link event
  Report r2 = runChecks(lab.cfg, lab.sources, again);
  CHECK_FALSE(r2.links[0].proofFrom);
  CHECK_FALSE(r2.links[1].proofFrom);
}

// The echoes run after the on-wire proof: a far end silent to the proof must not leave the
// echoes of every other link no time before the deadline (they would go out too late to be
// answered, or not at all).
TEST_CASE("deadline: a far end silent to the on-wire proof leaves the echoes their share of the deadline",
          "[reproof][deadline]") {
  Lab lab;
  lab.wire.silentOn = "eth2";
  CheckOptions o;
  o.deadline = 1200ms;
  Report r = runChecks(lab.cfg, lab.sources, o);
  REQUIRE(r.links.size() == 2);
  // The proof's wait ends half a second before the echoes' deadline, whatever the machine's
  // speed: the echoes were asked after it, with that half second still ahead of them.
  CHECK(lab.gateways.deadline - lab.wire.deadline == 500ms);
  CHECK(lab.gateways.timeLeft > 0ms);
  CHECK(r.links[0].readiness == Readiness::Ready);
  CHECK(r.links[1].readiness == Readiness::NotReady);  // no answer on the wire
}

TEST_CASE("on-wire proof: links sharing a port (hosted connections on one trunk) know each other's tags",
          "[reproof][vlan]") {
  Lab lab;
  auto c = config::fromString(
      "links:\n"
      "  - {name: a, interface: eth1, vlan: {mode: dot1q, id: 100}, optics: {check: false},\n"
      "     ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}}\n"
      "  - {name: b, interface: eth1, vlan: {mode: dot1q, id: 200}, optics: {check: false},\n"
      "     ip: {local: 10.0.0.6/30, gateway: 10.0.0.5}}\n"
      "  - {name: c, interface: eth2, vlan: {mode: dot1q, id: 100}, optics: {check: false},\n"
      "     ip: {local: 10.0.0.10/30, gateway: 10.0.0.9}}\n");
  REQUIRE(c);
  runChecks(*c, lab.sources, {});
  REQUIRE(lab.wire.otherLinks.size() == 3);
  using Stacks = std::vector<std::vector<vlan::Tag>>;
  CHECK(lab.wire.otherLinks[0] == Stacks{{{0x8100, 200, 0}}});  // a knows b's VLAN on eth1
  CHECK(lab.wire.otherLinks[1] == Stacks{{{0x8100, 100, 0}}});  // and b knows a's
  CHECK(lab.wire.otherLinks[2].empty());                        // c is alone on eth2
}
