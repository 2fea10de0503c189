#include "probes/bgp/frr_vty.h"

namespace linkready::bgp {

std::optional<VtyFrame> findVtyTrailer(std::string_view buffer) {
  size_t nul = buffer.find('\0');
  if (nul == std::string_view::npos || buffer.size() < nul + 4) return std::nullopt;
  // vtysh checks the three zero bytes the same way; anything else is a broken stream,
  // reported as a protocol status the caller does not know.
  if (buffer[nul + 1] != '\0' || buffer[nul + 2] != '\0') return VtyFrame{nul, -1};
  return VtyFrame{nul, static_cast<unsigned char>(buffer[nul + 3])};
}

}  // namespace linkready::bgp
