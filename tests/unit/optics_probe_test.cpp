// The optics probe and the `check` path end to end on real dumps served by a fake ethtool
// reader: cache and I2C budget, a page that fails, a corrupt read, no driver support.
#include <catch2/catch.hpp>

#include "agent/check/engine.h"
#include "fake_eeprom.h"
#include "probes/optics/memory_map.h"
#include "probes/optics/optics_reader.h"
#include "test_util.h"

using namespace linkready;
using namespace linkready::test;

namespace {

optics::ModuleMemory dump(const std::string& name) {
  return *optics::parseDump(fixture("optics/" + name + "/eeprom.bin"), {});
}

optics::ModuleMemory realDump(const std::string& name) {
  return *optics::parseDump(fixture("optics/real/" + name + ".pages.txt"), {});
}

// A physical NIC as rtnetlink reports one: no IFLA_INFO_KIND.
class PhysicalNic final : public link::LinkSource {
 public:
  tl::expected<std::vector<link::InterfaceFacts>, std::string> interfaces() override {
    link::InterfaceFacts i;
    i.name = "eth1";
    i.ifindex = 3;
    i.adminUp = true;
    i.carrier = carrier;
    i.operState = carrier ? "up" : "down";
    i.mtu = 1500;
    return std::vector<link::InterfaceFacts>{i};
  }
  tl::expected<link::LinkModes, std::string> linkModes(const std::string&) override {
    link::LinkModes m;
    if (carrier) m.speedMbps = 10000, m.fullDuplex = true, m.autoneg = false;
    return m;
  }
  bool carrier = true;
};

config::Config oneLink(const std::string& portType) {
  auto cfg = config::fromString("links:\n  - {name: primary, interface: eth1, order: {port_type: " + portType +
                                ", speed_mbps: 10000}}\n");
  REQUIRE(cfg);
  return *cfg;
}

const CheckResult* find(const Report& r, const std::string& id) {
  for (const auto& c : r.links[0].checks)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("steady state: static pages once, then at most 17 bytes a poll for an SFP", "[optics][probe]") {
  FakeEeprom io(dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA"));
  optics::OpticsReader reader(io);
  auto first = reader.poll("eth1");
  CHECK(first.fullRead);
  CHECK(first.bytesRequested == 384);  // A0h 0-255, A2h 0-127
  CHECK(first.facts.lanes[0].rxPower->raw > 0);
  for (int i = 0; i < 3; ++i) {
    auto next = reader.poll("eth1");
    CHECK_FALSE(next.fullRead);
    CHECK(next.bytesRequested <= 17);  // 2 identity + 10 monitors + Rx LOS/Tx fault (110) + 4 flag bytes
    CHECK(next.facts.identity.vendorSn == "F79B5KH");
  }
}

TEST_CASE("steady state: at most 48 bytes for SFF-8636, and a swapped module is noticed", "[optics][probe]") {
  FakeEeprom io(dump("sff8636_100g_lr4_fs_QSFP28-IR4-100G"));
  optics::OpticsReader reader(io);
  reader.poll("eth1");
  auto next = reader.poll("eth1");
  CHECK_FALSE(next.fullRead);
  CHECK(next.bytesRequested <= 48);
  CHECK(next.facts.lanes.size() == 4);
  io.replace(dump("sff8636_qsfp_dac_fs_Q28-PC"));  // someone swapped the module
  auto swapped = reader.poll("eth1");
  CHECK(swapped.fullRead);
  CHECK(swapped.facts.identity.vendorSn == "C1907253451-2");
}

TEST_CASE("a page that fails is reported unavailable, the rest is decoded", "[optics][probe]") {
  FakeEeprom io(dump("sff8636_100g_lr4_fs_QSFP28-IR4-100G"));
  io.failing[optics::upperPage(3)] = EIO;
  optics::OpticsReader reader(io);
  auto r = reader.poll("eth1");
  CHECK(r.facts.corrupt.empty());
  CHECK_FALSE(r.facts.temperatureThresholds);
  REQUIRE(r.facts.unavailable.size() >= 1);
  CHECK_THAT(r.facts.unavailable[0], Catch::Contains("page 03h"));
  CHECK_THAT(r.facts.unavailable[0], Catch::Contains("Input/output error"));
  CHECK(r.facts.lanes.size() == 4);
}

TEST_CASE("check, end to end: a good LR module where LR was ordered is OK per lane", "[optics][check]") {
  FakeEeprom io(dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA"));
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  ProbeSources s;
  s.link = &nic;
  s.optics = &reader;
  Report r = runChecks(oneLink("10GBase-LR"), s);  // spelled as Alibaba's PortType
  INFO(r.links[0].checks.size());
  CHECK(r.links[0].readiness == Readiness::Ready);
  REQUIRE(find(r, "optics.lane1.rx_power"));
  CHECK(find(r, "optics.lane1.rx_power")->summary == "Rx -2.58 dBm: module OK, IEEE 10GBASE-LR OK");
  CHECK(find(r, "optics.type")->status == Status::Ok);
}

TEST_CASE("check, end to end: an SR module where LR was ordered is CRITICAL with the hint", "[optics][check]") {
  FakeEeprom io(dump("sff8472_10g_sr_finisar_FTLX8571D3BCL"));
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  ProbeSources s{&nic, &reader};
  Report r = runChecks(oneLink("10GBASE-LR"), s);
  const CheckResult* t = find(r, "optics.type");
  REQUIRE(t);
  CHECK(t->status == Status::Critical);
  CHECK(t->summary == "a multimode module (10GBASE-SR) where 10GBASE-LR single-mode fibre was ordered");
  CHECK_THAT(t->hint, Catch::StartsWith("swap the transceiver for a 10GBASE-LR optic"));
  CHECK(r.links[0].firstBroken == Layer::Optics);
}

TEST_CASE("check, end to end: no light is CRITICAL with the cross-connect hint", "[optics][check]") {
  FakeEeprom io(dump("sff8472_10g_lr_oem_SFP-10GB-LR_rx0"));
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  nic.carrier = false;
  ProbeSources s{&nic, &reader};
  Report r = runChecks(oneLink("10GBASE-LR"), s);
  const CheckResult* rx = find(r, "optics.lane1.rx_power");
  REQUIRE(rx);
  CHECK(rx->status == Status::Critical);
  CHECK(rx->summary == "Rx no light: module LOW_ALARM, IEEE 10GBASE-LR LOW_ALARM (Rx LOS)");
  CHECK(rx->observed == "no light (0 mW, raw 0), module Rx LOS set");  // A2h byte 110 bit 1
  CHECK_THAT(rx->hint, Catch::StartsWith("no light at all: the cross-connect is not done"));
  CHECK_THAT(rx->hint, Catch::Contains("Tx/Rx are swapped"));
  // The carrier verdict above the optics layer depends on it.
  CHECK(r.links[0].firstBroken == Layer::Optics);
  const CheckResult* carrier = find(r, "link.carrier");
  REQUIRE(carrier);
  CHECK(carrier->dependsOn == Layer::Optics);
}

TEST_CASE("check, end to end: a corrupt read is UNKNOWN, never numbers", "[optics][check]") {
  auto m = dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA");
  auto a0 = *m.half(optics::lowerHalf());
  a0[45] ^= 0x20;  // a flipped bit in the part number: CC_BASE fails
  m.set(optics::lowerHalf(), a0);
  FakeEeprom io(m);
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  ProbeSources s{&nic, &reader};
  Report r = runChecks(oneLink("10GBASE-LR"), s);
  const CheckResult* mod = find(r, "optics.module");
  REQUIRE(mod);
  CHECK(mod->status == Status::Unknown);
  CHECK(mod->summary == "EEPROM read looks corrupt: nothing is believed");
  CHECK_FALSE(find(r, "optics.lane1.rx_power"));
}

TEST_CASE("check, end to end: a driver without module support, and no CAP_NET_ADMIN", "[optics][check]") {
  FakeEeprom io(dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA"));
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  ProbeSources s{&nic, &reader};
  io.failAll = EOPNOTSUPP;
  Report r = runChecks(oneLink("10GBASE-LR"), s);
  CHECK(find(r, "optics.module")->status == Status::Unknown);
  CHECK_THAT(find(r, "optics.module")->hint, Catch::StartsWith("driver cannot read the module EEPROM"));
  io.failAll = EPERM;
  r = runChecks(oneLink("10GBASE-LR"), s);
  CHECK_THAT(find(r, "optics.module")->hint, Catch::Contains("CAP_NET_ADMIN"));
}

TEST_CASE("check: IEEE limits apply per lane beside the module's, a config override wins", "[optics][check]") {
  FakeEeprom io(dump("sff8636_100g_lr4_fs_QSFP28-IR4-100G"));
  optics::OpticsReader reader(io);
  PhysicalNic nic;
  ProbeSources s{&nic, &reader};
  Report r = runChecks(oneLink("100GBASE-LR4"), s);
  // Lane 1 Rx +2.37 dBm: fine for the module, fine for IEEE 100GBASE-LR4 (max +4.5).
  CHECK(find(r, "optics.lane1.rx_power")->status == Status::Ok);
  auto cfg = oneLink("100GBASE-LR4");
  cfg.links[0].optics.rxMaxDbm = 2.0;  // a provider that wants at most +2 dBm
  r = runChecks(cfg, s);
  const CheckResult* rx = find(r, "optics.lane1.rx_power");
  CHECK(rx->status == Status::Critical);
  CHECK(rx->summary == "lane 1 Rx 2.37 dBm: module OK, configured limits HIGH_ALARM");
  CHECK_THAT(rx->hint, Catch::StartsWith("Rx high: overload"));
  CHECK(find(r, "optics.lane3.rx_power")->status == Status::Ok);  // +0.47 dBm
}

TEST_CASE("steady state: every live field of the memory map is asked for on every poll", "[optics][probe]") {
  struct Case {
    const char* what;
    optics::ModuleMemory memory;
  };
  for (const Case& c : {Case{"SFF-8472", dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA")},
                        Case{"SFF-8636", dump("sff8636_100g_lr4_fs_QSFP28-IR4-100G")},
                        Case{"CMIS 2 x 400G-LR4-10", realDump("DR4R030015")}}) {
    INFO(c.what);
    FakeEeprom io(c.memory);
    optics::OpticsReader reader(io);
    auto first = reader.poll("eth1");
    REQUIRE(first.facts.corrupt.empty());
    io.log.clear();
    auto next = reader.poll("eth1");
    REQUIRE_FALSE(next.fullRead);
    int liveFields = 0;
    for (const optics::Field& f : optics::memoryMap(first.facts.standard)) {
      if (f.freshness != optics::Freshness::Live) continue;
      ++liveFields;
      for (int i = 0; i < f.length; ++i) {
        INFO(f.name << " byte " << f.offset + i);
        CHECK(io.asked(f.i2c, 0, f.page, f.offset + i));
      }
    }
    CHECK(liveFields >= 8);
  }
}

TEST_CASE("steady state: live bytes that change between polls show in the next poll", "[optics][probe]") {
  SECTION("SFF-8472: Rx LOS, Tx fault and the Rx power low alarm (A2h 104, 110, 113)") {
    FakeEeprom io(dump("sff8472_10g_lr_flexoptix_P.B1696.10.DA"));
    optics::OpticsReader reader(io);
    auto before = reader.poll("eth1").facts;
    REQUIRE_FALSE(before.lanes[0].rxLos);
    io.patch(optics::kA2, 0, 0, 104, {0x00, 0x01});  // Rx power raw 1
    io.patch(optics::kA2, 0, 0, 110, {0x06});        // Rx LOS and Tx fault
    io.patch(optics::kA2, 0, 0, 113, {0x40});        // Rx power low alarm
    auto after = reader.poll("eth1");
    CHECK_FALSE(after.fullRead);
    CHECK(after.facts.lanes[0].rxPower->raw == 1);
    CHECK(after.facts.lanes[0].rxLos == before.lanes[0].losReported);
    CHECK(after.facts.lanes[0].rxPowerFlags.lowAlarm);
  }
  SECTION("SFF-8636: latched Rx LOS of lane 2 (lower byte 3)") {
    FakeEeprom io(dump("sff8636_100g_lr4_fs_QSFP28-IR4-100G"));
    optics::OpticsReader reader(io);
    CHECK_FALSE(reader.poll("eth1").facts.lanes[1].rxLos);
    io.patch(optics::kA0, 0, 0, 3, {0x02});
    CHECK(reader.poll("eth1").facts.lanes[1].rxLos);
  }
  SECTION("CMIS: the host switches data path 2 off; lane flags latch (page 11h)") {
    FakeEeprom io(realDump("DR4R030015"));
    optics::OpticsReader reader(io);
    auto before = reader.poll("eth1").facts;
    REQUIRE(before.dataPaths.size() == 2);
    REQUIRE(before.dataPaths[1].activated());
    io.patch(optics::kA0, 0, 0x11, 130, {0x11, 0x11});  // host lanes 5-8: DPDeactivated
    io.patch(optics::kA0, 0, 0x11, 135, {0x20});        // Tx fault, media lane 6
    io.patch(optics::kA0, 0, 0x11, 147, {0x40});        // Rx LOS, media lane 7
    io.patch(optics::kA0, 0, 0, 3, {0x03 << 1});        // still ModuleReady
    auto after = reader.poll("eth1");
    CHECK_FALSE(after.fullRead);
    CHECK(after.facts.dataPaths[1].state == optics::DataPathState::Deactivated);
    CHECK(after.facts.lanes[5].txFault);
    CHECK(after.facts.lanes[6].rxLos);
    CHECK_FALSE(after.facts.lanes[6].carriesLight);
    CHECK(after.facts.lanes[0].carriesLight);
  }
  SECTION("CMIS: a lane monitor changes (page 11h Rx power, lane 4)") {
    FakeEeprom io(realDump("qsfp-400-lr4-10km"));  // 400G-LR4-10: media lanes 1-4
    optics::OpticsReader reader(io);
    REQUIRE(reader.poll("eth1").facts.lanes.size() == 4);
    io.patch(optics::kA0, 0, 0x11, 192, {0x12, 0x34});  // lane 4's Rx power changes
    auto after = reader.poll("eth1");
    CHECK(after.facts.lanes[3].rxPower->raw == 0x1234);
  }
}
