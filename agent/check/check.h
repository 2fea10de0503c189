// The vocabulary every layer shares: statuses, layers, check results, link readiness.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linkready {

// Monitoring-plugin order: the numeric value is the exit code, the JSON code and the
// metric value everywhere.
enum class Status { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };

// Bottom up: the order of the enum is the order of evaluation.
enum class Layer { Optics = 0, Link = 1, Vlan = 2, Ip = 3, Bgp = 4 };
inline constexpr Layer kLayers[] = {Layer::Optics, Layer::Link, Layer::Vlan, Layer::Ip, Layer::Bgp};

enum class Readiness { Ready, Degraded, NotReady };

std::string_view statusName(Status s);     // "OK", "WARNING", ...
std::string_view layerName(Layer l);       // "optics", "link", ...
std::string_view readinessName(Readiness r);  // "READY", ...
std::optional<Layer> layerFromName(std::string_view name);

// Which verdict wins when two meet: CRITICAL > UNKNOWN > WARNING > OK. UNKNOWN ranks
// above WARNING because an unproven layer cannot be called ready.
int severityRank(Status s);
Status worse(Status a, Status b);

struct CheckResult {
  std::string id;        // stable, dotted: "link.carrier", "bgp.ipv4.state"
  Layer layer = Layer::Link;
  Status status = Status::Unknown;
  std::string summary;   // one line for the table: "no carrier on eth1"
  std::string observed;  // what was seen
  std::string expected;  // what the order / config says
  std::string hint;      // what to do, in the field's words; empty when OK
  // Set by the engine when a lower layer of the same link is broken: this verdict may
  // only be a consequence of it.
  std::optional<Layer> dependsOn;
};

// Small helpers so evaluators read as a list of verdicts.
CheckResult ok(std::string id, Layer layer, std::string summary, std::string observed,
               std::string expected);
CheckResult verdict(Status status, std::string id, Layer layer, std::string summary,
                    std::string observed, std::string expected, std::string hint);

}  // namespace linkready
