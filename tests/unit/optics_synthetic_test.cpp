// What no real dump covers, built with the test encoder: SFF-8472 external calibration
// (section 9.3) with negative offsets and the full Rx polynomial, odd temperatures, CMIS
// bias multipliers, banks, active-application lanes, flat memory.
#include <catch2/catch.hpp>

#include <cmath>

#include "agent/check/eval_optics.h"
#include "eeprom_encoder.h"
#include "test_util.h"

using namespace linkready::optics;
using namespace linkready::test;

namespace {

// External calibration constants: slopes 8.8 fixed point, signed offsets, Rx polynomial.
ModuleMemory::Bytes externalA2(uint16_t tempAd, uint16_t rxAd) {
  ModuleMemory::Bytes a2{};
  putFloat(a2, 56, 1e-12f);   // Rx_PWR(4)
  putFloat(a2, 60, -2e-9f);   // Rx_PWR(3)
  putFloat(a2, 64, 3e-5f);    // Rx_PWR(2)
  putFloat(a2, 68, 0.9f);     // Rx_PWR(1)
  putFloat(a2, 72, -15.0f);   // Rx_PWR(0)
  put16(a2, 76, 512);         // Tx_I slope 2.0
  put16(a2, 78, uint16_t(int16_t(-1000)));
  put16(a2, 80, 128);         // Tx_PWR slope 0.5
  put16(a2, 82, uint16_t(int16_t(-200)));
  put16(a2, 84, 384);         // T slope 1.5
  put16(a2, 86, uint16_t(int16_t(-640)));  // -2.5 degC
  put16(a2, 88, 256);         // V slope 1.0
  put16(a2, 90, uint16_t(int16_t(-500)));
  put16(a2, 0, 0x4000);       // temperature high alarm, raw A/D
  put16(a2, 32, 10000);       // Rx power high alarm, raw A/D
  put16(a2, 34, 100);         // Rx power low alarm, raw A/D
  put16(a2, 96, tempAd);
  put16(a2, 98, 33000);
  put16(a2, 100, 15000);
  put16(a2, 102, 5000);
  put16(a2, 104, rxAd);
  return a2;
}

double rxPoly(double ad) {  // the same floats the module stores, summed in double
  return (double(1e-12f) * std::pow(ad, 4) + double(-2e-9f) * std::pow(ad, 3) + double(3e-5f) * ad * ad +
          double(0.9f) * ad + double(-15.0f)) / 10000.0;
}

// One verdict of the optics layer for a decoded module on a link with no order: the check
// of id `id`, or nullopt when there is none.
std::optional<linkready::CheckResult> verdictOf(const ModuleFacts& module, const std::string& id,
                                                const std::string& portType = "") {
  linkready::optics::OpticsFacts of;
  of.probed = true;
  of.module = module;
  linkready::config::Link link;
  link.name = "primary";
  link.interface = "eth1";
  link.order.portType = portType;
  for (const auto& c : linkready::evaluateOptics(link, of))
    if (c.id == id) return c;
  return std::nullopt;
}

}  // namespace

TEST_CASE("SFF-8472 external calibration: slopes, negative offsets, the full Rx polynomial", "[optics][calibration]") {
  SfpSpec spec;
  spec.external = true;
  auto a2 = externalA2(0x1900, 4000);
  auto f = decodeModule(sfpModule(spec, &a2));
  REQUIRE(f.corrupt.empty());
  CHECK(f.externalCalibration);
  CHECK(*f.temperatureC == Approx((1.5 * 6400 - 640) / 256.0));  // 35.0 degC
  CHECK(*f.vccV == Approx(3.25));
  CHECK(*f.lanes[0].biasMa == Approx(58.0));       // (2.0 * 15000 - 1000) * 2 uA
  CHECK(f.lanes[0].txPower->mw == Approx(0.23));   // (0.5 * 5000 - 200) * 0.1 uW
  // All five coefficients with their powers of AD: 0.4193 mW. ethtool 6.11 computes
  // Rx_PWR(1) * AD + Rx_PWR(0) only (0.3585 mW here), which is wrong.
  CHECK(f.lanes[0].rxPower->mw == Approx(rxPoly(4000)).epsilon(1e-9));
  CHECK(f.lanes[0].rxPower->mw == Approx(0.4193).margin(1e-6));
  // Thresholds are A/D counts too and are calibrated the same way.
  CHECK(f.temperatureThresholds->highAlarm == Approx((1.5 * 16384 - 640) / 256.0));  // 93.5
  CHECK(f.rxPowerThresholds->highAlarm == Approx(rxPoly(10000)).epsilon(1e-9));
  CHECK(f.rxPowerThresholds->lowAlarm == Approx(std::max(0.0, rxPoly(100))).epsilon(1e-9));
}

TEST_CASE("SFF-8472 external calibration that gives 0 mW or less for a count above 0 is no light, not a "
          "number",
          "[optics][calibration]") {
  SfpSpec spec;
  spec.external = true;
  auto a2 = externalA2(0x1900, 10);  // Rx_PWR(1) * 10 + Rx_PWR(0) < 0: clamped to 0 mW
  auto f = decodeModule(sfpModule(spec, &a2));
  REQUIRE(f.lanes[0].rxPower);
  CHECK(f.lanes[0].rxPower->raw == 10);
  CHECK(f.lanes[0].rxPower->noLight());
  CHECK_FALSE(f.lanes[0].rxPower->dbm());
  auto rx = verdictOf(f, "optics.lane1.rx_power");
  REQUIRE(rx);
  CHECK_THAT(rx->observed, Catch::Contains("no light (0 mW, raw 10)"));
}

TEST_CASE("SFF-8472: temperature thresholds all zero (a cheap module) say nothing, as for the other monitors",
          "[optics][decode]") {
  SfpSpec spec;  // internal calibration, A2h thresholds left at 0, 25 degC
  auto module = decodeModule(sfpModule(spec));
  REQUIRE(module.temperatureC);
  CHECK(*module.temperatureC == Approx(25.0));
  auto t = verdictOf(module, "optics.temperature");
  REQUIRE(t);
  CHECK(t->status == linkready::Status::Ok);  // before: CRITICAL "module HIGH_ALARM"
}

TEST_CASE("SFF-8472: the module's Tx fault is a verdict of its own (it was shown only in the JSON)", "[optics][decode]") {
  auto withFault = [](uint16_t txRaw) {
    SfpSpec spec;
    spec.txRaw = txRaw;
    ModuleMemory m;
    auto a0 = sfpA0(spec);
    a0[93] |= 0x20;  // soft TX_FAULT monitoring implemented
    sealChecksum(a0, 64, 94, 95);
    m.set(lowerHalf(kA0), a0);
    m.set(upperPage(0, 0, kA0), ModuleMemory::Bytes{});
    ModuleMemory::Bytes a2{};
    put16(a2, 96, spec.tempRaw);
    put16(a2, 98, spec.vccRaw);
    put16(a2, 100, spec.biasRaw);
    put16(a2, 102, spec.txRaw);
    put16(a2, 104, spec.rxRaw);
    a2[110] = 0x04;  // TX_FAULT state
    sealChecksum(a2, 0, 94, 95);
    m.set(lowerHalf(kA2), a2);
    return verdictOf(decodeModule(m), "optics.lane1.tx_fault");
  };
  auto dark = withFault(0);
  REQUIRE(dark);
  CHECK(dark->status == linkready::Status::Critical);
  CHECK(dark->summary == "the module reports a transmitter fault");
  CHECK_THAT(dark->hint, Catch::EndsWith("reseat the optic once, then replace it (serial SN0001)"));
  auto lit = withFault(5000);
  REQUIRE(lit);
  CHECK(lit->status == linkready::Status::Warning);
}

TEST_CASE("SFF-8472: negative temperatures stay negative under external calibration (SONiC reads the offset unsigned)",
          "[optics][calibration]") {
  SfpSpec spec;
  spec.external = true;
  auto a2 = externalA2(0xf000, 4000);  // -4096
  auto f = decodeModule(sfpModule(spec, &a2));
  CHECK(*f.temperatureC == Approx((1.5 * -4096 - 640) / 256.0));  // -26.5 degC, not +230
}

TEST_CASE("SFF-8472 internal calibration: negative and 0x8000 temperatures", "[optics][decode]") {
  SfpSpec cold;
  cold.tempRaw = 0xf380;  // -12.5 degC
  CHECK(*decodeModule(sfpModule(cold)).temperatureC == Approx(-12.5));
  SfpSpec floor;
  floor.tempRaw = 0x8000;  // the most negative value: -128 degC, a broken sensor
  CHECK(*decodeModule(sfpModule(floor)).temperatureC == Approx(-128.0));
}

TEST_CASE("CMIS: the Tx bias multiplier multiplies (ethtool 6.11 divides)", "[optics][cmis]") {
  for (int code : {0, 1, 2}) {
    CmisSpec s;
    s.biasMultiplierCode = code;
    auto f = decodeModule(cmisModule(s));
    REQUIRE(f.corrupt.empty());
    int mult = 1 << code;
    INFO("multiplier x" << mult);
    CHECK(*f.lanes[0].biasMa == Approx(5000 * 0.002 * mult));         // 10, 20, 40 mA
    CHECK(f.biasThresholds->highAlarm == Approx(20000 * 0.002 * mult));  // thresholds scale too
  }
}

TEST_CASE("CMIS: only the media lanes of the active application are reported", "[optics][cmis]") {
  CmisSpec s;
  s.mediaLanes = 4;  // a 400G-LR4: 8 host lanes, 4 media lanes
  auto f = decodeModule(cmisModule(s));
  CHECK(f.lanes.size() == 4);
  REQUIRE(f.dataPaths.size() == 1);
  CHECK(f.dataPaths[0].appSel == 1);
  CHECK(f.dataPaths[0].mediaLanes == std::vector<int>{1, 2, 3, 4});
  CHECK(f.identity.compliance == std::vector<std::string>{"400G-LR4-10"});  // SFF-8024 1Eh since rev 4.7
  CHECK(f.identity.media == Media::SingleMode);
  CHECK(f.lanes[3].rxPower->raw == 8003);
  CHECK(*f.identity.wavelengthNm == Approx(1310).margin(0.05));
}

TEST_CASE("CMIS: lanes beyond 8 come from bank 1's page 11h", "[optics][cmis]") {
  CmisSpec s;
  s.banksCode = 1;
  s.mediaLanes = 8;  // one 8-lane data path in each bank
  auto f = decodeModule(cmisModule(s));
  REQUIRE(f.lanes.size() == 16);
  CHECK(f.dataPaths.size() == 2);
  CHECK(f.lanesTotal == 16);
  CHECK(f.lanes[8].number == 9);
  CHECK(f.lanes[8].rxPower->raw == 8000 + 100);  // bank 1, its lane 1
  CHECK(f.lanes[11].biasMa == Approx((5000 + 100 + 3) * 0.002));
}

TEST_CASE("CMIS: flat memory has module monitors only, a checksum that fails is corrupt", "[optics][cmis]") {
  CmisSpec s;
  s.flat = true;
  s.tempRaw = -5 * 256;
  auto f = decodeModule(cmisModule(s));
  CHECK(f.flatMemory);
  CHECK(*f.temperatureC == Approx(-5.0));
  CHECK(f.lanes.empty());
  auto m = cmisModule(CmisSpec{});
  auto p0 = *m.half(upperPage(0));
  p0[150 - 128] ^= 1;
  m.set(upperPage(0), p0);
  CHECK_THAT(decodeModule(m).corrupt, Catch::StartsWith("page 00h checksum mismatch"));
}

TEST_CASE("a latched Rx LOS beside light, with nothing to judge the level against, is a past loss, not no light",
          "[optics][los]") {
  // An SFF-8636 LR4 read with page 03h missing (no module thresholds) and an order whose
  // PMD has no IEEE row: byte 3 says LOS (latched), lane 1 reads -3 dBm.
  auto raw = linkready::test::fixture("optics/sff8636_100g_lr4_fs_QSFP28-IR4-100G/eeprom.bin");
  auto m = parseDump(raw, {0x00, 0x01, 0x02, 0x03});
  REQUIRE(m);
  auto module = decodeModule(*m);
  module.rxPowerThresholds.reset();
  REQUIRE_FALSE(module.lanes.empty());
  auto& lane = module.lanes[0];
  lane.rxLos = lane.losReported = true;
  lane.rxPower = linkready::optics::Power{5000, 0.5};  // -3.01 dBm
  auto rx = verdictOf(module, "optics.lane1.rx_power", "100GBASE-ER4");  // a PMD with no IEEE row here
  REQUIRE(rx);
  INFO(rx->summary << " / " << rx->observed);
  CHECK(rx->status == linkready::Status::Warning);  // before: CRITICAL "no light (Rx LOS)"
  CHECK_THAT(rx->summary, Catch::Contains("Rx LOS latched"));
  // At -25 dBm, with the flag, it is no light.
  lane.rxPower = linkready::optics::Power{32, 0.0032};
  auto dark = verdictOf(module, "optics.lane1.rx_power", "100GBASE-ER4");
  REQUIRE(dark);
  CHECK(dark->status == linkready::Status::Critical);
}
