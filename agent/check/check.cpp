#include "agent/check/check.h"

#include <utility>

namespace linkready {

std::string_view statusName(Status s) {
  switch (s) {
    case Status::Ok: return "OK";
    case Status::Warning: return "WARNING";
    case Status::Critical: return "CRITICAL";
    case Status::Unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string_view layerName(Layer l) {
  switch (l) {
    case Layer::Optics: return "optics";
    case Layer::Link: return "link";
    case Layer::Vlan: return "vlan";
    case Layer::Ip: return "ip";
    case Layer::Bgp: return "bgp";
  }
  return "?";
}

std::string_view readinessName(Readiness r) {
  switch (r) {
    case Readiness::Ready: return "READY";
    case Readiness::Degraded: return "DEGRADED";
    case Readiness::NotReady: return "NOT_READY";
  }
  return "NOT_READY";
}

std::optional<Layer> layerFromName(std::string_view name) {
  for (Layer l : kLayers)
    if (layerName(l) == name) return l;
  return std::nullopt;
}

int severityRank(Status s) {
  switch (s) {
    case Status::Ok: return 0;
    case Status::Warning: return 1;
    case Status::Unknown: return 2;
    case Status::Critical: return 3;
  }
  return 3;
}

Status worse(Status a, Status b) { return severityRank(a) >= severityRank(b) ? a : b; }

CheckResult ok(std::string id, Layer layer, std::string summary, std::string observed,
               std::string expected) {
  return verdict(Status::Ok, std::move(id), layer, std::move(summary), std::move(observed),
                 std::move(expected), "");
}

CheckResult verdict(Status status, std::string id, Layer layer, std::string summary,
                    std::string observed, std::string expected, std::string hint) {
  CheckResult r;
  r.id = std::move(id);
  r.layer = layer;
  r.status = status;
  r.summary = std::move(summary);
  r.observed = std::move(observed);
  r.expected = std::move(expected);
  r.hint = std::move(hint);
  return r;
}

}  // namespace linkready
