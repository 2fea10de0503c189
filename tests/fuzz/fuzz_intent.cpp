// libFuzzer target: the intent parser reads whatever an API (or a copy-paste) hands it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "agent/check/intent.h"
#include "agent/render/intent_yaml.h"
#include "probes/cloud/cloud.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto in = linkready::cloud::parse(text, "fuzz.json");
  if (in) {
    (void)linkready::intent::importYaml(*in, {});
    (void)linkready::intent::reconcile(*in);
  }
  return 0;
}
