// libFuzzer target: the VTY reply framing (output, then 00 00 00 <status>) on a stream
// that arrives in pieces, as the socket hands it over. The frame must not move once
// found and must lie inside what arrived. The same bytes as /proc/PID/status for the
// NSpid reader of the VTY peer's identity: a list of positive pids, or an error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "probes/bgp/frr_vty.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto pids = linkready::bgp::parseNsPids(std::string_view(reinterpret_cast<const char*>(data), size));
  if (pids && pids->empty()) __builtin_trap();
  if (pids)
    for (int p : *pids)
      if (p <= 0) __builtin_trap();
  size_t chunk = 1 + data[0] % 64;  // the read size
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string buffer;
  std::optional<linkready::bgp::VtyFrame> first;
  for (size_t off = 0; off < stream.size(); off += chunk) {
    buffer.append(stream.substr(off, chunk));
    auto f = linkready::bgp::findVtyTrailer(buffer);
    if (!f) {
      if (first) __builtin_trap();  // found, then lost
      continue;
    }
    if (f->outputLength + 4 > buffer.size() || f->status < -1 || f->status > 255) __builtin_trap();
    if (first && (first->outputLength != f->outputLength || first->status != f->status)) __builtin_trap();
    first = f;
  }
  return 0;
}
