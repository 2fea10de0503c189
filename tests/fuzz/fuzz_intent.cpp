// libFuzzer target: the cloud decoders read whatever an API, gcloud (JSON or its default
// YAML) or a copy-paste hands them: Alibaba, Equinix connections and ports, Google
// diagnostics, interconnects and Cloud Router status. What they accept goes on through
// import, reconcile and the far-end verdicts, which must not throw either.
#include <cstddef>
#include <cstdint>
#include <string>

#include "agent/check/eval_far_end.h"
#include "agent/check/intent.h"
#include "agent/check/reconcile.h"
#include "agent/render/intent_yaml.h"
#include "agent/render/reconcile_view.h"
#include "probes/cloud/cloud.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto in = linkready::cloud::parse(text, "fuzz.json");
  if (in) {
    (void)linkready::intent::importYaml(*in, {});
    auto r = linkready::intent::reconcile(*in);
    (void)linkready::intent::reconcileJson(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    (void)linkready::intent::reconcileText(r);
    linkready::optics::OpticsFacts ours;
    linkready::link::LinkFacts link;
    for (const auto& d : in->googleDiagnostics)
      for (const auto& l : d.links) (void)linkready::google::evaluateFarEnd(ours, link, l, d);
  }
  return 0;
}
