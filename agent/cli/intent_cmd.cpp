// `intent import` and `intent reconcile`: the clouds' API output as config, and judged
// against itself before anyone goes to the cage.
#include <fstream>
#include <iostream>

#include "agent/check/check.h"
#include "agent/check/intent.h"
#include "agent/check/reconcile.h"
#include "agent/cli/commands.h"
#include "agent/render/intent_yaml.h"
#include "agent/render/reconcile_view.h"
#include "agent/render/render.h"
#include "probes/cloud/cloud.h"

namespace linkready::cli {

namespace {

std::optional<cloud::Intent> loadIntent(const std::vector<std::string>& files) {
  auto in = cloud::load(files);
  if (!in) {
    std::cerr << "linkready: " << in.error() << "\n";
    return std::nullopt;
  }
  return std::move(*in);
}

}  // namespace

int runIntentImport(const IntentArgs& args) {
  auto in = loadIntent(args.files);
  if (!in) return kExitUsage;
  auto yaml = intent::importYaml(*in, {args.interface});
  if (!yaml) {
    std::cerr << "linkready: " << yaml.error() << "\n";
    return kExitUsage;
  }
  if (args.output.empty()) {
    std::cout << *yaml;
    return 0;
  }
  std::ofstream out(args.output);
  out << *yaml;
  if (!out) {
    std::cerr << "linkready: cannot write " << args.output << "\n";
    return kExitUsage;
  }
  return 0;
}

int runIntentReconcile(const IntentArgs& args) {
  auto in = loadIntent(args.files);
  if (!in) return kExitUsage;
  intent::Reconciliation r = intent::reconcile(*in);
  if (args.json)
    std::cout << jsonText(intent::reconcileJson(r), 2) << "\n";
  else
    std::cout << intent::reconcileText(r);
  return int(r.status);
}

}  // namespace linkready::cli
