// Link-layer verdicts on facts. The facts mirror what rtnetlink and ethtool reported in
// the lab (veth: 10000 Mb/s full duplex, autoneg off) and on a NIC without carrier.
#include <catch2/catch.hpp>

#include "check_util.h"
#include "agent/check/eval_link.h"

using namespace linkready;

namespace {

config::Link orderedLink() {
  config::Link l;
  l.name = "primary";
  l.interface = "eth1";
  l.order.portType = "10GBASE-LR";
  l.order.speedMbps = 10000;
  return l;
}

// As the lab's edge veth reported it (ip -d -s link, ethtool eth1).
link::LinkFacts healthyFacts() {
  link::LinkFacts f;
  link::InterfaceFacts i;
  i.name = "eth1";
  i.ifindex = 2;
  i.kind = "veth";
  i.adminUp = true;
  i.carrier = true;
  i.operState = "up";
  i.carrierChanges = 2;
  i.mtu = 1500;
  i.rxPackets = 312;
  i.txPackets = 297;
  f.iface = i;
  f.otherInterfaces = {"lo"};
  f.modes.speedMbps = 10000;
  f.modes.fullDuplex = true;
  f.modes.autoneg = false;
  return f;
}

using test::find;

}  // namespace

TEST_CASE("a healthy link passes every link check", "[eval][link]") {
  auto checks = evaluateLinkLayer(orderedLink(), healthyFacts());
  for (const auto& c : checks) {
    INFO(c.id << ": " << c.summary);
    CHECK(c.status == Status::Ok);
  }
  CHECK(find(checks, "link.speed").observed == "10G");
}

TEST_CASE("missing interface: CRITICAL, and the hint names the similar interfaces", "[eval][link]") {
  link::LinkFacts f;
  f.otherInterfaces = {"lo", "eth0", "eth2", "enp65s0f1", "docker0"};
  auto checks = evaluateLinkLayer(orderedLink(), f);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].status == Status::Critical);
  CHECK(checks[0].summary == "interface eth1 does not exist");
  CHECK(checks[0].hint ==
        "similar interfaces here: eth0, eth2; fix 'interface' in the config, or check that the NIC driver loaded");
}

TEST_CASE("no carrier: CRITICAL with the cabling hint", "[eval][link]") {
  auto f = healthyFacts();
  f.iface->carrier = false;
  f.iface->operState = "lowerlayerdown";
  f.iface->carrierChanges = 3;
  f.modes = {};  // speed and duplex are unknown without carrier
  auto checks = evaluateLinkLayer(orderedLink(), f);
  const auto& c = find(checks, "link.carrier");
  CHECK(c.status == Status::Critical);
  CHECK(c.observed == "no carrier, operstate lowerlayerdown, 3 carrier changes");
  CHECK_THAT(c.hint, Catch::Contains("Tx/Rx not swapped"));
  CHECK(find(checks, "link.speed").status == Status::Unknown);
  CHECK(find(checks, "link.speed").observed == "no speed without carrier");
}

TEST_CASE("admin down is CRITICAL with the command to fix it", "[eval][link]") {
  auto f = healthyFacts();
  f.iface->adminUp = false;
  f.iface->carrier = false;
  auto checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.admin").status == Status::Critical);
  CHECK(find(checks, "link.admin").hint == "bring it up: ip link set eth1 up (and in the router's config)");
}

TEST_CASE("speed different from the order is CRITICAL", "[eval][link]") {
  auto f = healthyFacts();
  f.modes.speedMbps = 1000;
  auto checks = evaluateLinkLayer(orderedLink(), f);
  const auto& c = find(checks, "link.speed");
  CHECK(c.status == Status::Critical);
  CHECK(c.observed == "1G");
  CHECK(c.expected == "10G");
}

TEST_CASE("a driver that does not report speed gives UNKNOWN with the reason, not a failure", "[eval][link]") {
  auto f = healthyFacts();
  f.modes = {};
  f.modesError = "the driver does not report link modes (Operation not supported)";
  auto checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.speed").status == Status::Unknown);
  CHECK(find(checks, "link.speed").observed == f.modesError);
  CHECK(find(checks, "link.duplex").status == Status::Unknown);
}

TEST_CASE("half duplex is CRITICAL, autoneg on where fixed was ordered is a WARNING", "[eval][link]") {
  auto f = healthyFacts();
  f.modes.fullDuplex = false;
  f.modes.autoneg = true;
  auto checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.duplex").status == Status::Critical);
  const auto& an = find(checks, "link.autoneg");
  CHECK(an.status == Status::Warning);
  CHECK_THAT(an.hint, Catch::StartsWith("Alibaba asks for auto-negotiation off"));
  CHECK_THAT(an.hint, Catch::Contains("ethtool -s eth1 autoneg off speed 10000 duplex full"));
}

TEST_CASE("MTU below 1500 is CRITICAL: errors that rise within the window are a WARNING, old ones history",
          "[eval][link]") {
  auto f = healthyFacts();
  f.iface->mtu = 1400;
  f.iface->rxErrors = 12;
  f.iface->rxCrcErrors = 12;
  f.counters = link::CounterWindow{{12, 0, 12, 0}, {15, 0, 14, 0}, 2.04};
  auto checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.mtu").status == Status::Critical);
  CHECK(find(checks, "link.errors").status == Status::Warning);
  CHECK(find(checks, "link.errors").summary == "3 errors on eth1 in 2.0 s");
  CHECK(find(checks, "link.errors").observed ==
        "3 rx (2 CRC) and 0 tx errors in 2.0 s; 12 rx errors (12 CRC, 0 frame), 0 tx errors since boot");
  // The same 12 since boot, none of them now: a router that saw errors a year ago is not WARNING forever.
  f.counters = link::CounterWindow{{12, 0, 12, 0}, {12, 0, 12, 0}, 2.0};
  checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.errors").status == Status::Ok);
  CHECK(find(checks, "link.errors").summary == "no new errors in 2.0 s");
  // One reading only: said, not judged.
  f.counters.reset();
  checks = evaluateLinkLayer(orderedLink(), f);
  CHECK(find(checks, "link.errors").summary == "errors not judged: one reading only");
}

TEST_CASE("a probe that could not read rtnetlink is UNKNOWN, not missing", "[eval][link]") {
  link::LinkFacts f;
  f.probeError = "cannot open rtnetlink: Permission denied";
  auto checks = evaluateLinkLayer(orderedLink(), f);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].status == Status::Unknown);
}

TEST_CASE("similar names: edit distance and shared stems, nearest first", "[eval][link]") {
  CHECK(similarNames("eth1", {"lo", "eth0", "eth10", "enp1s0"}) == std::vector<std::string>{"eth0", "eth10"});
  CHECK(similarNames("enp65s0f1", {"enp65s0f0", "lo"}) == std::vector<std::string>{"enp65s0f0"});
  CHECK(similarNames("xe-0/0/1", {"lo"}).empty());
}
