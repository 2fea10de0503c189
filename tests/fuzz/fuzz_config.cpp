// libFuzzer target: the config loader reads whatever an engineer (or an editor gone wrong)
// wrote; it returns errors with file:line:column and never crashes, hangs or throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cfg = linkready::config::fromString(text, "fuzz.yaml");
  if (!cfg && cfg.error().empty()) __builtin_trap();  // a refusal always says why
  if (!cfg) (void)linkready::config::formatErrors(cfg.error());
  return 0;
}
