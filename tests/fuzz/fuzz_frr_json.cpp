// libFuzzer target: FRR JSON and kernel netstat decoders must never crash, hang or
// throw on any text (the VTY socket hands us whatever the daemon wrote).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/bgp/frr_json.h"
#include "probes/bgp/frr_vty.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)linkready::bgp::parseNeighbors(text);
  (void)linkready::bgp::parseVrfNeighbors(text, "default");
  (void)linkready::bgp::parseSummary(text, "default");
  (void)linkready::bgp::parseBfdPeers(text);
  (void)linkready::bgp::parseAdvertisedRoutes(text, 45104);
  (void)linkready::bgp::parseTcpExtMd5(text);
  (void)linkready::bgp::findVtyTrailer(text);
  return 0;
}
