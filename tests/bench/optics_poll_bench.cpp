// Prints the I2C budget of the optics probe: bytes asked of the module per poll, first
// poll (static pages) and steady state, beside what `ethtool -m` reads for the same
// module, and the time on the bus at 100 kHz (about 0.1 ms a byte). Served from the real
// dumps in tests/fixtures/optics and CMIS pages from the test encoder. Figures only.
//   linkready_bench_optics FIXTURE_DIR
#include <cstdio>
#include <fstream>
#include <sstream>

#include "../unit/eeprom_encoder.h"
#include "../unit/fake_eeprom.h"
#include "probes/optics/optics_reader.h"

using namespace linkready;

namespace {

optics::ModuleMemory load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return *optics::parseDump(ss.str(), {});
}

void row(const char* what, optics::ModuleMemory m, int ethtoolBytes) {
  test::FakeEeprom io(std::move(m));
  optics::OpticsReader reader(io);
  auto first = reader.poll("eth1");
  size_t steady = 0;
  const int polls = 100;
  for (int i = 0; i < polls; ++i) steady += reader.poll("eth1").bytesRequested;
  double perPoll = double(steady) / polls;
  std::printf("%-38s first poll %4zu B | steady %5.1f B/poll (%4.1f ms at 100 kHz) | ethtool -m %4d B (%5.1f ms)\n",
              what, first.bytesRequested, perPoll, perPoll * 0.1, ethtoolBytes, ethtoolBytes * 0.1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  // ethtool -m over netlink reads whole half pages: SFP A0h (256), QSFP lower + 00h + 03h
  // (384), CMIS lower + 00h + 01h + 02h + 10h + 11h (768): the figures the issue gives.
  row("SFF-8472 SFP+ 10GBASE-LR (FLEXOPTIX)", load(dir + "/sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin"), 256);
  row("SFF-8636 QSFP28 100GBASE-LR4 (FS)", load(dir + "/sff8636_100g_lr4_fs_QSFP28-IR4-100G/eeprom.bin"), 384);
  test::CmisSpec eight;
  row("CMIS QSFP-DD, 8 media lanes (encoder)", test::cmisModule(eight), 768);
  test::CmisSpec four;
  four.mediaLanes = 4;
  row("CMIS QSFP-DD 400G-LR4, 4 lanes (encoder)", test::cmisModule(four), 768);
  // Real CMIS modules (page-tagged public dumps): ethtool reads lower + 00h, 01h, 02h, 10h, 11h.
  row("CMIS 2 x 400G-LR4-10 (Eoptolink, real)", load(dir + "/real/DR4R030015.pages.txt"), 768);
  row("CMIS 400G-LR4-10, 4 lanes (CIG, real)", load(dir + "/real/qsfp-400-lr4-10km.pages.txt"), 768);
  row("CMIS 400ZR, 1 media lane (Juniper, real)", load(dir + "/real/qsfp-400-zr.pages.txt"), 768);
  return 0;
}
