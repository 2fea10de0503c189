// libFuzzer target: the report JSON `linkready status` reads from whatever answers on the
// agent's port. Never a crash or a throw; what is read back writes out the same again.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "agent/render/render.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  auto report = linkready::reportFromJson(j);
  if (!report) return 0;
  (void)linkready::renderText(*report, linkready::TextStyle{false});
  nlohmann::json once = linkready::reportToJson(*report);
  auto again = linkready::reportFromJson(once);
  if (!again || linkready::reportToJson(*again) != once) __builtin_trap();  // not a fixed point
  return 0;
}
