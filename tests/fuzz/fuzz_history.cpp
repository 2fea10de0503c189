// libFuzzer target: the /v1/history document `linkready history` reads from whatever answers
// on the agent's port. Never a crash or a throw; whatever is read renders.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/render/history_view.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto history = linkready::historyFromJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!history) return 0;
  for (const auto& h : *history) {
    (void)linkready::renderHistory(h, 40);
    for (const auto& s : h.series) (void)linkready::sparkline(s.values, 7, s.rise);
  }
  return 0;
}
