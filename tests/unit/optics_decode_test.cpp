// Every real module dump decoded and compared with ethtool 6.11's decode, field by field
// (tests/fixtures/optics, see SOURCE.md). Where ethtool is wrong, the test says why and
// checks the spec value.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

#include "probes/optics/decode.h"
#include "test_util.h"

using namespace linkready::optics;
using linkready::test::fixture;
using nlohmann::json;

namespace {

const char* kFixtures[] = {
    "sff8472_10g_lr_flexoptix_P.B1696.10.DA", "sff8472_10g_lr_oem_SFP-10GB-LR_rx0",
    "sff8472_10g_sr_finisar_FTLX8571D3BCL",   "sff8472_no_dom_brocade_57-1000042-02",
    "sff8636_100g_lr4_fs_QSFP28-IR4-100G",    "sff8636_qsfp_dac_fs_Q28-PC",
};

ModuleFacts decodeFixture(const std::string& name) {
  auto m = parseDump(fixture("optics/" + name + "/eeprom.bin"), {});
  REQUIRE(m);
  return decodeModule(*m);
}

// "27.872 mA" -> 27.872 and its printed precision (0.001)
std::pair<double, double> number(const std::string& text) {
  std::smatch mt;
  REQUIRE(std::regex_search(text, mt, std::regex(R"((-?\d+)(?:\.(\d+))?)")));
  double v = std::stod(mt[0]);
  double precision = mt[2].matched ? std::pow(10.0, -double(mt[2].length())) : 1.0;
  return {v, precision};
}

void near(const std::string& field, double ours, const std::string& ethtool) {
  auto [v, precision] = number(ethtool);
  INFO(field << ": ours " << ours << ", ethtool '" << ethtool << "'");
  CHECK(std::fabs(ours - v) <= precision / 2 + 1e-9);
}

std::string squash(std::string s) {  // "100G Base-LR4" -> "100GBASE-LR4"
  std::string out;
  for (char c : s)
    if (c != ' ') out.push_back(char(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

TEST_CASE("real dumps: identity and monitors agree with ethtool 6.11, field by field", "[optics][decode]") {
  for (const char* name : kFixtures) {
    INFO(name);
    json expected = json::parse(fixture(std::string("optics/") + name + "/expected.json"));
    const json& e = expected["oracle_extract"]["values"];
    ModuleFacts f = decodeFixture(name);
    REQUIRE(f.corrupt.empty());
    REQUIRE(f.readError.empty());
    const Identity& id = f.identity;
    CHECK(id.identifier == std::stoi(e["Identifier"].get<std::string>().substr(2, 2), nullptr, 16));
    CHECK(id.connector == std::stoi(e["Connector"].get<std::string>().substr(2, 2), nullptr, 16));
    CHECK(id.vendorName == e["Vendor name"]);
    CHECK(id.vendorPn == e["Vendor PN"]);
    CHECK(id.vendorRev == e["Vendor rev"]);
    CHECK(id.vendorSn == e["Vendor SN"]);
    CHECK(id.dateCode == e["Date code"]);
    CHECK(id.vendorOui == e["Vendor OUI"]);
    // Every ethtool transceiver type maps to one of our compliance names.
    json types = e["Transceiver type"].is_array() ? e["Transceiver type"] : json::array({e["Transceiver type"]});
    for (const auto& t : types) {
      std::string want = squash(t.get<std::string>().substr(t.get<std::string>().find(':') + 1));
      bool found = false;
      for (const auto& c : id.compliance) found = found || want.find(squash(c)) != std::string::npos;
      INFO("ethtool type " << t);
      CHECK(found);
    }
    if (e.contains("Laser wavelength") && number(e["Laser wavelength"]).first > 0)
      near("wavelength", *id.wavelengthNm, e["Laser wavelength"]);
    if (e.contains("Length (SMF,km)") && number(e["Length (SMF,km)"]).first > 0)
      near("reach", *id.reachSmfKm, e["Length (SMF,km)"]);

    bool hasDom = e.contains("Module temperature");
    CHECK(f.temperatureC.has_value() == hasDom);
    if (!hasDom) continue;
    near("temperature", *f.temperatureC, e["Module temperature"]);
    near("vcc", *f.vccV, e["Module voltage"]);
    for (const auto& lane : f.lanes) {
      std::string ch = " (Channel " + std::to_string(lane.number) + ")";
      std::string biasKey = f.lanes.size() == 1 ? "Laser bias current" : "Laser tx bias current" + ch;
      std::string txKey = f.lanes.size() == 1 ? "Laser output power" : "Transmit avg optical power" + ch;
      std::string rxKey = f.lanes.size() == 1 ? "Receiver signal average optical power"
                          : f.rxPowerIsOma    ? "Receiver signal OMA(Channel " + std::to_string(lane.number) + ")"
                                              : "Rcvr signal avg optical power(Channel " + std::to_string(lane.number) + ")";
      near(biasKey, *lane.biasMa, e[biasKey]);
      near(rxKey, lane.rxPower->mw, e[rxKey]);
      if (lane.txPower) near(txKey, lane.txPower->mw, e[txKey]);
    }
    struct Th {
      const char* prefix;
      const std::optional<Thresholds>& t;
    };
    for (const Th& th : {Th{"Laser bias current", f.biasThresholds}, Th{"Laser output power", f.txPowerThresholds},
                         Th{"Module temperature", f.temperatureThresholds}, Th{"Module voltage", f.vccThresholds},
                         Th{"Laser rx power", f.rxPowerThresholds}}) {
      REQUIRE(th.t);
      std::string p = th.prefix;
      near(p + " high alarm", th.t->highAlarm, e[p + " high alarm threshold"]);
      near(p + " low alarm", th.t->lowAlarm, e[p + " low alarm threshold"]);
      near(p + " high warning", th.t->highWarning, e[p + " high warning threshold"]);
      near(p + " low warning", th.t->lowWarning, e[p + " low warning threshold"]);
    }
  }
}

TEST_CASE("real dumps: what each module is, in the field's terms", "[optics][decode]") {
  auto lr = decodeFixture("sff8472_10g_lr_flexoptix_P.B1696.10.DA");
  CHECK(lr.identity.media == Media::SingleMode);
  CHECK(lr.identity.compliance == std::vector<std::string>{"10GBASE-LR"});
  CHECK_FALSE(lr.externalCalibration);
  CHECK(lr.lanes.size() == 1);

  auto dark = decodeFixture("sff8472_10g_lr_oem_SFP-10GB-LR_rx0");
  REQUIRE(dark.lanes[0].rxPower);
  CHECK(dark.lanes[0].rxPower->noLight());       // raw 0: no light, not -40 and not NaN
  CHECK_FALSE(dark.lanes[0].rxPower->dbm());
  CHECK(dark.lanes[0].rxPower->mw == 0.0);

  auto sr = decodeFixture("sff8472_10g_sr_finisar_FTLX8571D3BCL");
  CHECK(sr.identity.media == Media::MultiMode);
  CHECK(sr.identity.reachMmfM == 300u);  // OM3, byte 19 x 10 m

  auto copper = decodeFixture("sff8472_no_dom_brocade_57-1000042-02");
  CHECK(copper.identity.media == Media::Copper);
  CHECK_FALSE(copper.domImplemented);     // byte 92 = 0: A2h is not read or believed
  CHECK(copper.lanes.size() == 1);
  CHECK_FALSE(copper.lanes[0].rxPower);

  auto lr4 = decodeFixture("sff8636_100g_lr4_fs_QSFP28-IR4-100G");
  CHECK(lr4.standard == Standard::Sff8636);
  CHECK(lr4.lanes.size() == 4);
  CHECK(lr4.identity.compliance == std::vector<std::string>{"100GBASE-LR4"});
  // ethtool prints "BR, Nominal: 25500Mbps" (byte 140 = 0xFF read as 255 x 100 Mb/s).
  // SFF-8636 says 0xFF means "see byte 222" in 250 Mb/s units: 0x68 x 250 = 26000.
  CHECK(lr4.identity.nominalRateMbps == 26000u);

  auto dac = decodeFixture("sff8636_qsfp_dac_fs_Q28-PC");
  CHECK(dac.identity.media == Media::Copper);
  // ethtool prints Tx power for every channel although byte 220 bit 2 says the module
  // does not measure it: we report none.
  CHECK_FALSE(dac.lanes[0].txPower);
  CHECK(dac.identity.nominalRateMbps == 25750u);  // byte 222 = 103 x 250 Mb/s (ethtool: 25500)
}

TEST_CASE("dump forms: raw, ethtool hex text, and lower page + named upper pages", "[optics][dump]") {
  std::string raw = fixture("optics/sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin");
  // The text `ethtool -m eth1 hex on` prints for the same bytes.
  std::string hex = "Offset\t\tValues\n------\t\t------\n";
  for (size_t off = 0; off < raw.size(); off += 16) {
    char line[128];
    int n = std::snprintf(line, sizeof line, "0x%04zx:\t\t", off);
    std::string l(line, size_t(n));
    for (size_t i = 0; i < 16; ++i) {
      char b[4];
      std::snprintf(b, sizeof b, "%02x ", uint8_t(raw[off + i]));
      l += b;
    }
    hex += l + "\n";
  }
  auto fromHex = parseDump(hex, {});
  REQUIRE(fromHex);
  CHECK(decodeModule(*fromHex).identity.vendorSn == "F79B5KH");
  CHECK(decodeModule(*fromHex).lanes[0].rxPower->raw == decodeModule(*parseDump(raw, {})).lanes[0].rxPower->raw);

  std::string qsfp = fixture("optics/sff8636_100g_lr4_fs_QSFP28-IR4-100G/eeprom.bin");
  auto paged = parseDump(qsfp, {0x00, 0x01, 0x02, 0x03});
  REQUIRE(paged);
  CHECK(decodeModule(*paged).temperatureThresholds.has_value());
  std::string pages;
  auto saved = serializeDump(*paged, pages);
  CHECK(pages == "00,01,02,03");
  CHECK(std::string(saved.begin(), saved.end()) == qsfp);

  CHECK(parseDump(std::string(300, '\x03'), {}).error() ==
        "cannot tell the layout of a 300-byte dump (ethtool writes 256, 512 or 640): name its pages with --pages");
  CHECK(parseDump(qsfp, {0x00, 0x01}).error() == "--pages names 2 upper pages: expected 384 bytes, the dump has 640");
  CHECK_FALSE(parsePageList("00,zz"));
  // A page-tagged dump whose page is not hex: an error naming the line (it threw before).
  std::string badPage;
  for (int off = 0; off < 128; off += 16) {
    char l[64];
    std::snprintf(l, sizeof l, "PAGE ZZ BANK 0 OFFSET %02x:", off);
    badPage += std::string(l) + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n";
  }
  auto refused = parseDump(badPage, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == "line 1: page 'ZZ' is not hex");
  CHECK(parsePageList("00,01,02,10,11").value() == std::vector<uint8_t>{0, 1, 2, 0x10, 0x11});
}

TEST_CASE("a corrupt read is never believed", "[optics][decode]") {
  std::string raw = fixture("optics/sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin");
  std::string shifted = raw;
  shifted[40] = 'X';  // one byte of the part number changed: CC_BASE no longer holds
  auto f = decodeModule(*parseDump(shifted, {}));
  CHECK_THAT(f.corrupt, Catch::StartsWith("A0h CC_BASE checksum mismatch"));
  CHECK_FALSE(f.temperatureC);
  std::string a2 = raw;
  a2[256 + 10] ^= 0x40;  // a threshold byte: CC_DMI no longer holds
  CHECK_THAT(decodeModule(*parseDump(a2, {})).corrupt, Catch::StartsWith("A2h CC_DMI checksum mismatch"));
  std::string ff(512, '\xff');
  CHECK_THAT(decodeModule(*parseDump(ff, {0x00, 0x01, 0x02})).corrupt, Catch::Contains("EEPROM read looks corrupt"));
  std::string qsfp = fixture("optics/sff8636_100g_lr4_fs_QSFP28-IR4-100G/eeprom.bin");
  qsfp[128] = 0x0d;  // page 00h identifier disagrees with the lower page
  CHECK_THAT(decodeModule(*parseDump(qsfp, {})).corrupt, Catch::Contains("do not agree"));
}
