// libFuzzer target: the intent parser reads whatever an API (or a copy-paste) hands it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/intent.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto in = linkready::intent::parse(text, "fuzz.json");
  if (in) {
    (void)linkready::intent::importYaml(*in, {});
    (void)linkready::intent::reconcile(*in);
  }
  return 0;
}
