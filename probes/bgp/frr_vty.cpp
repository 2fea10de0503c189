#include "probes/bgp/frr_vty.h"

#include <charconv>

namespace linkready::bgp {

std::optional<VtyFrame> findVtyTrailer(std::string_view buffer) {
  size_t nul = buffer.find('\0');
  if (nul == std::string_view::npos || buffer.size() < nul + 4) return std::nullopt;
  // vtysh checks the three zero bytes the same way; anything else is a broken stream,
  // reported as a protocol status the caller does not know.
  if (buffer[nul + 1] != '\0' || buffer[nul + 2] != '\0') return VtyFrame{nul, -1};
  return VtyFrame{nul, static_cast<unsigned char>(buffer[nul + 3])};
}

tl::expected<std::vector<int>, std::string> parseNsPids(std::string_view text) {
  constexpr std::string_view kKey = "NSpid:";
  size_t at = 0;
  if (text.substr(0, kKey.size()) != kKey) {
    at = text.find("\nNSpid:");
    if (at == std::string_view::npos) return tl::unexpected(std::string("no NSpid line (a kernel before 4.1?)"));
    ++at;
  }
  std::string_view line = text.substr(at + kKey.size());
  line = line.substr(0, line.find('\n'));
  std::vector<int> pids;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == ' ' || line[i] == '\t') {
      ++i;
      continue;
    }
    int pid = 0;
    auto [end, ec] = std::from_chars(line.data() + i, line.data() + line.size(), pid);
    size_t used = size_t(end - (line.data() + i));
    if (ec != std::errc() || pid <= 0 || (i + used < line.size() && line[i + used] != ' ' && line[i + used] != '\t'))
      return tl::unexpected("NSpid: '" + std::string(line) + "' is not a list of pids (at column " +
                            std::to_string(i + 1) + ")");
    pids.push_back(pid);
    i += used;
  }
  if (pids.empty()) return tl::unexpected(std::string("NSpid: the line is empty"));
  return pids;
}

}  // namespace linkready::bgp
