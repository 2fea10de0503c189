// Real module dumps (tests/fixtures/optics/real, sources in SOURCE.md) decoded and
// compared field by field with an independent reading of the specs (CMIS 5.2, SFF-8636,
// SFF-8472, SFF-8024 rev 4.13): the values below were read off the bytes by a separate
// decoder and checked by hand against the tables, not taken from linkready.
#include <catch2/catch.hpp>

#include "agent/check/eval_optics.h"
#include "probes/optics/decode.h"
#include "test_util.h"

using namespace linkready;
using namespace linkready::optics;
using linkready::test::fixture;

namespace {

ModuleMemory realDump(const std::string& name) {
  auto m = parseDump(fixture("optics/real/" + name + ".pages.txt"), {});
  REQUIRE(m);
  return *m;
}

struct ExpectedPath {
  uint8_t appSel;
  std::vector<int> hostLanes, mediaLanes;
  std::string media;
  DataPathState state;
};

struct Expected {
  const char* file;
  Standard standard;
  std::string vendor, pn, sn, date;
  std::optional<ModuleState> state;
  std::vector<ExpectedPath> paths;
  std::vector<uint16_t> rxRaw, txRaw;  // per reported lane, in order
  std::vector<bool> rxLos;
  bool rxOma;
};

constexpr auto Ready = ModuleState::Ready;
constexpr auto Act = DataPathState::Activated;

const Expected kExpected[] = {
    {"DR4R030015", Standard::Cmis, "Eoptolink", "EOLD-168HG-10-1", "DR4R030015", "250428", Ready,
     {{2, {1, 2, 3, 4}, {1, 2, 3, 4}, "400G-LR4-10", Act}, {2, {5, 6, 7, 8}, {5, 6, 7, 8}, "400G-LR4-10", Act}},
     {24581, 22837, 25964, 25075, 18168, 24799, 26419, 23416},
     {14866, 15710, 17212, 15369, 15030, 14920, 16069, 15156},
     {false, false, false, false, false, false, false, false}, false},
    {"1W1CYAA9320FQ", Standard::Cmis, "JUNIPER-1W1", "740-079871", "1W1CYAA9320FQ", "240808", Ready,
     {{1, {1, 2, 3, 4}, {1, 2, 3, 4}, "100GBASE-LR4", Act}, {1, {5, 6, 7, 8}, {5, 6, 7, 8}, "100GBASE-LR4", Act}},
     {12250, 14421, 20813, 20028, 12733, 15451, 18629, 14158},
     {15118, 12602, 13443, 14295, 12536, 14584, 11179, 16258},
     {false, false, false, false, false, false, false, false}, false},
    {"qsfp-400-zrp", Standard::Cmis, "Acacia Comm Inc.", "DP04QSDD-E30-440", "241754368", "240429",
     ModuleState::LowPower,
     {{1, {1, 2, 3, 4, 5, 6, 7, 8}, {1}, "400ZR (DWDM, amplified)", DataPathState::Deactivated}},
     {1}, {1}, {true}, true},
    {"qsfp-400-zr", Standard::Cmis, "JUNIPER-2E1", "740-157132", "2E1CZFA750085", "221228", Ready,
     {{1, {1, 2, 3, 4, 5, 6, 7, 8}, {1}, "400ZR (DWDM, amplified)", Act}}, {4025}, {1112}, {false}, false},
    {"2E1CZFA815020", Standard::Cmis, "JUNIPER-2E1", "740-157132", "2E1CZFA815020", "230414", Ready,
     {{1, {1, 2, 3, 4, 5, 6, 7, 8}, {1}, "400ZR (DWDM, amplified)", Act}}, {3915}, {1030}, {false}, false},
    {"qsfp-400-lr4-10km", Standard::Cmis, "CIG", "TRD5H20ENF-LF000", "S22JB05RR", "220926", Ready,
     {{1, {1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 3, 4}, "400G-LR4-10", Act}}, {18458, 19391, 17189, 18049},
     {21842, 22092, 21659, 22043}, {false, false, false, false}, false},
    {"juniper_qfx5240_xcvr40_juniper_800G_DR8_cmis", Standard::Cmis, "JUNIPER-1G1", "740-174932", "1G1TK1AA350AZ",
     "250826", Ready, {{5, {1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 3, 4, 5, 6, 7, 8}, "800GBASE-DR8", Act}},
     {16946, 17029, 21019, 17118, 16553, 19279, 10707, 15247},
     {19723, 14881, 15262, 13601, 17720, 11713, 18687, 15301},
     {false, false, false, false, false, false, false, false}, false},
    {"QT14241028003", Standard::Sff8636, "QSFPTEK", "QT-QSFP28-ER4", "QT14241028003", "241028", std::nullopt, {},
     {1, 1, 1, 1}, {}, {true, true, true, true}, false},
    {"QT14241028004", Standard::Sff8636, "QSFPTEK", "QT-QSFP28-ER4", "QT14241028004", "241028", std::nullopt, {},
     {99, 111, 111, 124}, {}, {true, true, true, true}, false},
    {"F2010715768", Standard::Sff8472, "FS", "SFP-10G-BX", "F2010715768", "191204", std::nullopt, {}, {2593}, {7030},
     {false}, false},
    {"sfp-bidi-10g-generic", Standard::Sff8472, "FS", "SFP-10G-BX", "F2010715769", "191204", std::nullopt, {}, {1},
     {6512}, {false}, false},
    {"sfp-dwdm-ch44-juniper", Standard::Sff8472, "FS", "DW44-10G-80-4214", "G2006599998", "200914", std::nullopt, {},
     {532}, {17172}, {false}, false},
    {"sfp-dwdm-ch44-nonjnpr", Standard::Sff8472, "FS", "DW44-10G-80-4214", "C2007088821", "200729", std::nullopt, {},
     {0}, {0}, {false}, false},
    {"sfp-arista-10g-lr", Standard::Sff8472, "Arista Networks", "SFP-10GLR-31", "F2032002143", "200811", std::nullopt,
     {}, {3397}, {4427}, {false}, false},
};

}  // namespace

TEST_CASE("real dumps: identity, module and data path states, lanes and monitors match the spec reading",
          "[optics][real]") {
  for (const Expected& e : kExpected) {
    INFO(e.file);
    ModuleFacts f = decodeModule(realDump(e.file));
    REQUIRE(f.corrupt.empty());
    REQUIRE(f.readError.empty());
    CHECK(f.standard == e.standard);
    CHECK(f.identity.vendorName == e.vendor);
    CHECK(f.identity.vendorPn == e.pn);
    CHECK(f.identity.vendorSn == e.sn);
    CHECK(f.identity.dateCode == e.date);
    CHECK(f.moduleState == e.state);
    REQUIRE(f.dataPaths.size() == e.paths.size());
    for (size_t i = 0; i < e.paths.size(); ++i) {
      INFO("data path " << i + 1);
      CHECK(f.dataPaths[i].appSel == e.paths[i].appSel);
      CHECK(f.dataPaths[i].hostLanes == e.paths[i].hostLanes);
      CHECK(f.dataPaths[i].mediaLanes == e.paths[i].mediaLanes);
      CHECK(f.dataPaths[i].mediaInterface == e.paths[i].media);
      CHECK(f.dataPaths[i].state == e.paths[i].state);
    }
    REQUIRE(f.lanes.size() == e.rxRaw.size());
    for (size_t i = 0; i < f.lanes.size(); ++i) {
      INFO("lane " << f.lanes[i].number);
      REQUIRE(f.lanes[i].rxPower);
      CHECK(f.lanes[i].rxPower->raw == e.rxRaw[i]);
      if (!e.txRaw.empty()) {
        REQUIRE(f.lanes[i].txPower);
        CHECK(f.lanes[i].txPower->raw == e.txRaw[i]);
      }
      CHECK(f.lanes[i].rxLos == e.rxLos[i]);
    }
    CHECK(f.rxPowerIsOma == e.rxOma);
    CHECK(f.missingPages.empty());
  }
}

TEST_CASE("real dumps: the coherent ZR+ module's Rx power is OMA (CMIS page 01h byte 151 bit 4 clear)",
          "[optics][real]") {
  CHECK(decodeModule(realDump("qsfp-400-zrp")).rxPowerIsOma);
  CHECK_FALSE(decodeModule(realDump("qsfp-400-zr")).rxPowerIsOma);
}

TEST_CASE("real dumps: a module with the lower page, page 00h and 11h only names the missing pages",
          "[optics][real]") {
  ModuleFacts f = decodeModule(realDump("hisense_DEF8504-2C02_cmis_sfputil_hexdump"));
  CHECK(f.missingPages == std::vector<std::string>{"01h", "02h"});
  REQUIRE(f.dataPaths.size() == 1);  // host lanes 5-8 have no application: not a data path
  CHECK(f.dataPaths[0].hostLanes == std::vector<int>{1, 2, 3, 4});
  CHECK(f.dataPaths[0].mediaInterface == "Active cable, BER < 5e-5");
  CHECK(f.identity.media == Media::ActiveCable);
}

TEST_CASE("real dumps: a two-data-path active cable names its application per data path", "[optics][real]") {
  ModuleFacts f = decodeModule(realDump("juniper_qfx5240_xcvr0_credo_aec_2x400G_cmis"));
  REQUIRE(f.dataPaths.size() == 2);
  CHECK(f.dataPaths[0].hostInterface == "400GAUI-4-S C2M");
  CHECK(f.dataPaths[1].mediaLanes == std::vector<int>{5, 6, 7, 8});
  CHECK(f.dataPaths[1].mediaInterface == "Active cable, BER < 1e-6");
}
