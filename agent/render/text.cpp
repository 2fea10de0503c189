#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "agent/render/render.h"

namespace linkready {

bool wantColour(int fd) {
  const char* noColor = std::getenv("NO_COLOR");
  if (noColor && *noColor) return false;
  return isatty(fd);
}

namespace {

struct Paint {
  bool on;
  std::string operator()(const std::string& text, const char* code) const {
    return on ? "\033[" + std::string(code) + "m" + text + "\033[0m" : text;
  }
};

const char* statusColour(Status s) {
  switch (s) {
    case Status::Ok: return "32";        // green
    case Status::Warning: return "33";   // yellow
    case Status::Critical: return "1;31";  // bold red
    case Status::Unknown: return "35";   // magenta
  }
  return "0";
}

const char* readinessColour(Readiness r) {
  return r == Readiness::Ready ? "1;32" : r == Readiness::Degraded ? "1;33" : "1;31";
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string renderText(const Report& report, const TextStyle& style) {
  Paint paint{style.colour};
  std::ostringstream out;
  out << "linkready " << report.version << " - agent " << report.agentId << " - " << isoTime(report.generatedAt)
      << "\n";
  for (const LinkReport& l : report.links) {
    out << "\n" << paint("LINK " + l.name, "1") << " (" << l.interface << "): "
        << paint(std::string(readinessName(l.readiness)), readinessColour(l.readiness));
    if (l.firstBroken) out << " - first broken layer: " << paint(std::string(layerName(*l.firstBroken)), "1");
    out << "\n";
    if (l.proofFrom)
      out << paint("  vlan and ip: the on-wire proof and echoes of " + isoTime(*l.proofFrom) +
                       " (a steady link is proved again every agent.reprove, or on a change)",
                   "2")
          << "\n";
    size_t idWidth = 0;
    for (const CheckResult& c : l.checks) idWidth = std::max(idWidth, c.id.size());
    for (const CheckResult& c : l.checks) {
      std::string status = pad(std::string(statusName(c.status)), 9);
      out << "  " << pad(std::string(layerName(c.layer)), 7) << paint(status, statusColour(c.status)) << " "
          << pad(c.id, idWidth + 2) << c.summary;
      if (c.dependsOn && c.status != Status::Ok)
        out << paint(" (depends on the " + std::string(layerName(*c.dependsOn)) + " layer, broken below)", "2");
      out << "\n";
      if (c.status != Status::Ok) {
        std::string indent(2 + 7 + 10, ' ');
        out << indent << "seen:     " << c.observed << "\n";
        out << indent << "expected: " << c.expected << "\n";
        if (!c.hint.empty()) out << indent << "hint:     " << c.hint << "\n";
      }
    }
  }
  for (const PairReport& p : report.pairs) {
    const char* c = p.verdict == PairVerdict::Redundant ? "1;32" : p.verdict == PairVerdict::Degraded ? "1;33" : "1;31";
    out << "\n" << paint("PAIR " + p.first + " + " + p.second, "1") << ": "
        << paint(std::string(pairVerdictName(p.verdict)), c) << " - " << p.summary << "\n";
  }
  out << "\n"
      << "overall: " << paint(std::string(statusName(report.status)), statusColour(report.status)) << " (exit "
      << int(report.status) << ")\n";
  return out.str();
}

}  // namespace linkready
