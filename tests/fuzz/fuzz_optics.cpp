// libFuzzer target: the EEPROM decoders (SFF-8472, SFF-8636, CMIS), the dump parser (raw,
// ethtool hex, page-tagged text) and the poll plan must never crash or read out of bounds,
// whatever bytes a driver or a file hands them.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "probes/optics/decode.h"
#include "probes/optics/optics_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace linkready::optics;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The poll plan is derived from whatever the decode made of the bytes (lanes, banks).
  if (auto m = parseDump(bytes, {})) (void)liveReads(*m, decodeModule(*m));
  // The same bytes as a lower page plus named upper pages (the --save form), with the
  // pages CMIS needs, so that the paged decoders see arbitrary page 01h/02h/11h content.
  size_t uppers = size / 128;
  if (uppers >= 2 && size % 128 == 0) {
    static const uint8_t kPages[] = {0x00, 0x01, 0x02, 0x11, 0x03, 0x10};
    std::vector<uint8_t> pages(kPages, kPages + std::min<size_t>(uppers - 1, sizeof kPages));
    if (auto m = parseDump(bytes.substr(0, 128 * (pages.size() + 1)), pages)) (void)liveReads(*m, decodeModule(*m));
  }
  return 0;
}
