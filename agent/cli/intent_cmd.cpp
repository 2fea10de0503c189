// `intent import` and `intent reconcile`: the clouds' API output as config, and judged
// against itself before anyone goes to the cage.
#include <fstream>
#include <iostream>

#include "agent/check/check.h"
#include "agent/check/intent.h"
#include "agent/cli/commands.h"
#include "agent/render/intent_yaml.h"
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
  Status worst = Status::Ok;
  for (const auto& f : intent::reconcile(*in)) {
    Status st = Status(f.status);
    worst = worse(worst, st);
    std::cout << std::string(statusName(st)) << std::string(10 - statusName(st).size(), ' ') << f.what << "\n";
    if (st != Status::Ok) {
      std::cout << "          seen:     " << f.seen << "\n          expected: " << f.expected << "\n";
      if (!f.hint.empty()) std::cout << "          hint:     " << f.hint << "\n";
    }
  }
  return int(worst);
}

}  // namespace linkready::cli
