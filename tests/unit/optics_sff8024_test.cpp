// The SFF-8024 rev 4.13 code tables: the names the issue found wrong, and the whole table
// without a name twice (a repeated name hides which code a module declares).
#include <catch2/catch.hpp>

#include <functional>
#include <map>

#include "probes/optics/decode_util.h"

using namespace linkready::optics::detail;

namespace {

// Every code of one table with a name, and the codes each name is given to.
std::map<std::string, std::vector<int>> namesOf(const std::function<std::string(uint8_t)>& lookup) {
  std::map<std::string, std::vector<int>> names;
  for (int code = 0; code < 256; ++code)
    if (auto n = lookup(uint8_t(code)); !n.empty()) names[n].push_back(code);
  return names;
}

}  // namespace

TEST_CASE("SFF-8024 rev 4.13: the single-mode media codes the field meets", "[optics][sff8024]") {
  CHECK(cmisMediaInterfaceName(0x02, 0x1e) == "400G-LR4-10");  // renamed in rev 4.7
  CHECK(cmisMediaInterfaceName(0x02, 0x43) == "400GBASE-LR4-6");
  CHECK(cmisMediaInterfaceName(0x02, 0x19) == "200GBASE-LR4");
  CHECK(cmisMediaInterfaceName(0x02, 0x1d) == "400GBASE-FR4");
  CHECK(cmisMediaInterfaceName(0x02, 0x3e) == "400ZR (DWDM, amplified)");
  CHECK(cmisMediaInterfaceName(0x02, 0x3f) == "400ZR (single wavelength, unamplified)");
  CHECK(cmisMediaInterfaceName(0x02, 0x4d) == "400GBASE-ZR");
  CHECK(cmisMediaInterfaceName(0x02, 0x46) == "ZR400-OFEC-16QAM");
  CHECK(cmisMediaInterfaceName(0x02, 0x56) == "800GBASE-DR8");
  CHECK(cmisMediaInterfaceName(0x02, 0x25).empty());  // reserved
  CHECK(cmisMediaInterfaceName(0x01, 0x09) == "100GBASE-SR4");
  CHECK(cmisMediaInterfaceName(0x04, 0x02) == "Active cable, BER < 5e-5");
  CHECK(cmisHostInterfaceName(0x50) == "400GAUI-4-L C2M");
  CHECK(cmisHostInterfaceName(0x11) == "400GAUI-8 C2M");
  // Table 4-4 (SFF-8636 byte 192, SFF-8472 byte 36): its own codes for the same PMDs.
  CHECK(extendedComplianceName(0x49, true) == "400GBASE-LR4-6");
  CHECK(extendedComplianceName(0x4b, true) == "400G-LR4-10");
  CHECK(extendedComplianceName(0x04, true) == "100GBASE-ER4");
  CHECK(extendedComplianceName(0x04, false) == "25GBASE-ER");
  CHECK(extendedComplianceName(0x09, true).empty());  // obsolete
}

TEST_CASE("SFF-8024 rev 4.13: no name twice in a table", "[optics][sff8024]") {
  struct Table {
    const char* name;
    std::function<std::string(uint8_t)> lookup;
  };
  for (const Table& t : {Table{"4-4 QSFP", [](uint8_t c) { return extendedComplianceName(c, true); }},
                         Table{"4-4 SFP", [](uint8_t c) { return extendedComplianceName(c, false); }},
                         Table{"4-5", cmisHostInterfaceName},
                         Table{"4-6", [](uint8_t c) { return cmisMediaInterfaceName(0x01, c); }},
                         Table{"4-7", [](uint8_t c) { return cmisMediaInterfaceName(0x02, c); }},
                         Table{"4-8", [](uint8_t c) { return cmisMediaInterfaceName(0x03, c); }},
                         Table{"4-9", [](uint8_t c) { return cmisMediaInterfaceName(0x04, c); }},
                         Table{"4-10", [](uint8_t c) { return cmisMediaInterfaceName(0x05, c); }}}) {
    auto names = namesOf(t.lookup);
    CHECK(names.size() >= 3);
    for (const auto& [name, codes] : names) {
      INFO("table " << t.name << ": '" << name << "'");
      CHECK(codes.size() == 1);
    }
  }
}
