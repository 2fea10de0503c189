#include "agent/check/optics_limits.h"

#include <algorithm>
#include <cctype>

namespace linkready {

namespace {

using optics::Media;

// From the optics reference table (IEEE 802.3 clauses 38, 52, 87, 88, 95, 122, 124);
// rows marked unverified there are carried with verified = false.
const PmdLimits kTable[] = {
    {"1000BASE-LX", Media::SingleMode, 1000, -11.5, -3.0, -19.0, -3.0, std::nullopt, false},
    {"10GBASE-SR", Media::MultiMode, 10000, -7.3, -1.0, -9.9, -1.0, std::nullopt, false},
    {"10GBASE-LR", Media::SingleMode, 10000, -8.2, 0.5, -14.4, 0.5, 1.5, true},
    {"40GBASE-LR4", Media::SingleMode, 40000, -7.0, 2.3, -13.7, 2.3, 3.3, false},
    {"100GBASE-LR4", Media::SingleMode, 100000, -4.3, 4.5, -10.6, 4.5, 5.5, false},
    {"100GBASE-SR4", Media::MultiMode, 100000, -8.4, 2.4, -10.3, 2.4, 3.4, true},
    {"400GBASE-FR4", Media::SingleMode, 400000, -3.3, 3.5, -7.3, 3.5, 4.5, true},
    {"400GBASE-DR4", Media::SingleMode, 400000, -2.9, 4.0, -5.9, 4.0, 5.0, true},
};

}  // namespace

std::string normalizePortType(std::string_view ordered) {
  std::string s;
  for (char c : ordered) s.push_back(c == '_' ? '-' : char(std::toupper(static_cast<unsigned char>(c))));
  // Alibaba sells "40GBase-LR" and "100GBase-LR": the four-lane PMDs.
  if (s == "40GBASE-LR") return "40GBASE-LR4";
  if (s == "100GBASE-LR") return "100GBASE-LR4";
  return s;
}

const PmdLimits* ieeeLimits(std::string_view pmd) {
  std::string n = normalizePortType(pmd);
  for (const PmdLimits& l : kTable)
    if (n == l.pmd) return &l;
  return nullptr;
}

}  // namespace linkready
