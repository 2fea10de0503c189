// Judging real modules (tests/fixtures/optics/real): every data path with its own
// application, the module's state first, loss of signal as no light; and what
// `linkready optics` shows for them in text and JSON.
#include <catch2/catch.hpp>

#include <set>

#include "agent/check/eval_optics.h"
#include "agent/render/optics_view.h"
#include "probes/optics/decode.h"
#include "test_util.h"

using namespace linkready;
using linkready::test::fixture;

namespace {

optics::ModuleMemory realDump(const std::string& name) {
  auto m = optics::parseDump(fixture("optics/real/" + name + ".pages.txt"), {});
  REQUIRE(m);
  return *m;
}

config::Link ordered(const std::string& portType) {
  config::Link l;
  l.name = "primary";
  l.interface = "eth1";
  l.order.portType = portType;
  return l;
}

std::vector<CheckResult> judge(const optics::ModuleMemory& m, const std::string& portType) {
  optics::OpticsFacts f;
  f.probed = true;
  f.module = optics::decodeModule(m);
  return evaluateOptics(ordered(portType), f);
}

const CheckResult* find(const std::vector<CheckResult>& v, const std::string& id) {
  for (const auto& c : v)
    if (c.id == id) return &c;
  return nullptr;
}

const char* kReal[] = {"DR4R030015", "1W1CYAA9320FQ", "qsfp-400-zrp", "qsfp-400-zr", "2E1CZFA815020",
                       "QT14241028003", "QT14241028004", "hisense_DEF8504-2C02_cmis_sfputil_hexdump",
                       "juniper_qfx5240_xcvr0_credo_aec_2x400G_cmis", "juniper_qfx5240_xcvr40_juniper_800G_DR8_cmis",
                       "qsfp-400-lr4-10km", "sfp-bidi-10g-generic", "F2010715768", "sfp-dwdm-ch44-juniper",
                       "sfp-dwdm-ch44-nonjnpr", "sfp-arista-10g-lr"};

}  // namespace

TEST_CASE("2 x 400G-LR4-10: both data paths judged, light on media lanes 5-8 judged too", "[optics][judge]") {
  auto v = judge(realDump("DR4R030015"), "400G-LR4-10");
  REQUIRE(find(v, "optics.type"));
  CHECK(find(v, "optics.type")->status == Status::Ok);
  CHECK(find(v, "optics.type")->summary == "module runs 400G-LR4-10 as ordered");
  CHECK(find(v, "optics.module_state")->status == Status::Ok);
  REQUIRE(find(v, "optics.datapath2"));
  CHECK(find(v, "optics.datapath2")->status == Status::Ok);
  CHECK_THAT(find(v, "optics.datapath2")->summary, Catch::Contains("media lanes 5-8"));
  for (int lane = 1; lane <= 8; ++lane) {
    INFO("lane " << lane);
    REQUIRE(find(v, "optics.lane" + std::to_string(lane) + ".rx_power"));
  }
  // A dark lane in the second data path is reported.
  auto m = realDump("DR4R030015");
  m.patch(optics::kA0, 0, 0x11, 186 + 2 * 5, {0x00, 0x00});  // media lane 6: Rx raw 0
  v = judge(m, "400G-LR4-10");
  const CheckResult* rx6 = find(v, "optics.lane6.rx_power");
  REQUIRE(rx6);
  CHECK(rx6->status == Status::Critical);
  CHECK_THAT(rx6->hint, Catch::StartsWith("lanes 6 dark while others have light"));
}

TEST_CASE("the SFF-8024 names: a 400G-LR4-10 module is not a 400GBASE-LR4-6 one", "[optics][judge]") {
  auto v = judge(realDump("DR4R030015"), "400GBASE-LR4-6");
  CHECK(find(v, "optics.type")->status == Status::Critical);
  CHECK(find(v, "optics.type")->summary == "a 400G-LR4-10 module where 400GBASE-LR4-6 was ordered");
  // A module that can run both runs 400G-LR4-10: configure it, don't swap it.
  v = judge(realDump("qsfp-400-lr4-10km"), "400GBASE-LR4-6");
  CHECK(find(v, "optics.type")->status == Status::Warning);
  CHECK(find(v, "optics.type")->summary == "the module can run 400GBASE-LR4-6 but the host configured 400G-LR4-10");
  // Coherent: 3Eh has a name, no "no Ethernet compliance" warning.
  v = judge(realDump("qsfp-400-zr"), "400ZR");
  CHECK(find(v, "optics.type")->status == Status::Ok);
}

TEST_CASE("ZR+ in ModuleLowPwr, data path deactivated: the host has not enabled it, no laser or connector hints",
          "[optics][judge]") {
  auto v = judge(realDump("qsfp-400-zrp"), "400ZR");
  const CheckResult* state = find(v, "optics.module_state");
  REQUIRE(state);
  CHECK(state->status == Status::Critical);
  CHECK(state->observed == "ModuleLowPwr (CMIS lower page byte 3)");
  CHECK_THAT(state->hint, Catch::StartsWith("the host keeps the module in low power"));
  REQUIRE(find(v, "optics.datapath1"));
  CHECK(find(v, "optics.datapath1")->status == Status::Critical);
  CHECK_THAT(find(v, "optics.datapath1")->summary, Catch::Contains("DPDeactivated, the host has not enabled it"));
  CHECK_FALSE(find(v, "optics.lane1.rx_power"));
  CHECK_FALSE(find(v, "optics.lane1.tx_power"));
  for (const auto& c : v) {
    INFO(c.id);
    CHECK(c.hint.find("dirty connector") == std::string::npos);
    CHECK(c.hint.find("failing laser") == std::string::npos);
  }
}

TEST_CASE("Rx LOS set with a raw count of 1 is no light, not a weak signal", "[optics][judge]") {
  auto v = judge(realDump("QT14241028003"), "100GBASE-ER4");
  for (int lane = 1; lane <= 4; ++lane) {
    const CheckResult* rx = find(v, "optics.lane" + std::to_string(lane) + ".rx_power");
    REQUIRE(rx);
    CHECK(rx->status == Status::Critical);
    CHECK_THAT(rx->summary, Catch::StartsWith("lane " + std::to_string(lane) + " Rx no light"));
    CHECK_THAT(rx->observed, Catch::Contains("module Rx LOS set"));
    CHECK_THAT(rx->hint, Catch::StartsWith("no light at all"));
  }
}

TEST_CASE("optics text and JSON: every verdict with status, observed, expected, hint, never -inf",
          "[optics][view]") {
  for (const char* name : kReal) {
    INFO(name);
    auto facts = optics::decodeModule(realDump(name));
    auto link = ordered("400G-LR4-10");
    std::string text = renderOpticsText(name, link, facts, false);
    CHECK(text.find("inf") == std::string::npos);
    CHECK(text.find("nan") == std::string::npos);
    auto j = opticsToJson(name, link, facts);
    CHECK(j.dump().find("inf") == std::string::npos);
    optics::OpticsFacts of;
    of.probed = true;
    of.module = facts;
    auto verdicts = evaluateOptics(link, of);
    REQUIRE(j["verdicts"].size() == verdicts.size());
    for (size_t i = 0; i < verdicts.size(); ++i) {
      CHECK(j["verdicts"][i]["id"] == verdicts[i].id);
      CHECK(j["verdicts"][i]["status"] == std::string(statusName(verdicts[i].status)));
      CHECK(j["verdicts"][i]["observed"] == verdicts[i].observed);
      CHECK(j["verdicts"][i]["expected"] == verdicts[i].expected);
      CHECK(j["verdicts"][i]["hint"] == verdicts[i].hint);
      CHECK_THAT(text, Catch::Contains(verdicts[i].summary));
      if (!verdicts[i].hint.empty()) CHECK_THAT(text, Catch::Contains(verdicts[i].hint));
    }
    CHECK(j.contains("temperature"));
    CHECK(j["temperature"].contains("state"));
    CHECK(j["vcc"].contains("state"));
  }
}

TEST_CASE("optics JSON: active applications per data path, module state, missing pages", "[optics][view]") {
  auto j = opticsToJson("DR4R030015", ordered("400G-LR4-10"), optics::decodeModule(realDump("DR4R030015")));
  REQUIRE(j["data_paths"].size() == 2);
  CHECK(j["data_paths"][1]["media_interface"] == "400G-LR4-10");
  CHECK(j["data_paths"][1]["host_interface"] == "400GAUI-4-L C2M");
  CHECK(j["data_paths"][1]["media_lanes"] == nlohmann::json({5, 6, 7, 8}));
  CHECK(j["data_paths"][1]["state"] == "DPActivated");
  CHECK(j["module_state"] == "ModuleReady");
  CHECK(j["dom"]["rx_power_type"] == "average");
  CHECK(j["temperature"]["state"] == "OK");

  auto hisense = optics::decodeModule(realDump("hisense_DEF8504-2C02_cmis_sfputil_hexdump"));
  j = opticsToJson("hisense", ordered(""), hisense);
  CHECK(j["missing_pages"] == nlohmann::json({"01h", "02h"}));
  std::string text = renderOpticsText("hisense", ordered(""), hisense, false);
  CHECK_THAT(text, Catch::Contains("Missing pages         01h, 02h"));
  CHECK(text.find("byte 92") == std::string::npos);  // not the SFF-8472 DOM byte for a CMIS module
}

TEST_CASE("host lane 1 unused: only the live data path on lanes 5-8 is judged, no fallback to lane 1",
          "[optics][judge]") {
  auto m = realDump("DR4R030015");
  m.patch(optics::kA0, 0, 0x11, 206, {0x00, 0x00, 0x00, 0x00});  // host lanes 1-4: no application
  auto facts = optics::decodeModule(m);
  REQUIRE(facts.dataPaths.size() == 1);
  CHECK(facts.dataPaths[0].mediaLanes == std::vector<int>{5, 6, 7, 8});
  auto v = judge(m, "400G-LR4-10");
  CHECK_FALSE(find(v, "optics.lane1.rx_power"));
  for (int lane = 5; lane <= 8; ++lane) {
    const CheckResult* rx = find(v, "optics.lane" + std::to_string(lane) + ".rx_power");
    REQUIRE(rx);
    CHECK(rx->status == Status::Ok);
  }
}

TEST_CASE("real dumps: every CMIS page 01h and 02h sums right, and a page whose sum fails is not believed (the rest is)",
          "[optics][real]") {
  int cmis = 0;
  for (const char* name : kReal) {
    auto m = realDump(name);
    auto f = optics::decodeModule(m);
    if (f.standard != optics::Standard::Cmis) continue;
    ++cmis;
    INFO(name);
    for (const auto& u : f.unavailable) CHECK(u.find("checksum") == std::string::npos);
  }
  CHECK(cmis >= 8);
  // One byte of page 02h changed (a read shifted by the driver): its thresholds are gone,
  // and the module says which page it did not believe; the lanes are still read.
  auto m = realDump("qsfp-400-lr4-10km");
  REQUIRE(m.half(optics::upperPage(2)));
  auto p2 = *m.half(optics::upperPage(2));
  p2[0] ^= 0x40;  // temperature high alarm
  m.set(optics::upperPage(2), p2);
  auto f = optics::decodeModule(m);
  CHECK_FALSE(f.temperatureThresholds);
  bool said = false;
  for (const auto& u : f.unavailable) said = said || u == "page 02h: checksum mismatch (byte 255): its bytes are not believed";
  CHECK(said);
  CHECK_FALSE(f.lanes.empty());
  CHECK(f.corrupt.empty());
}
