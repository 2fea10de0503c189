// The monitoring-plugin output format as a monitoring engine reads it (monitoring-plugins
// development guidelines, "Plugin Output" and "Performance data"): the status line, long
// text, and perfdata 'label'=value[UOM];[warn];[crit];[min];[max] with its ranges.
// Shared by the unit test of the renderer and the [cli] test on the lab.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace linkready::test {

struct Range {  // [@][start:][end]; start "~" = minus infinity
  bool inside = false;
  double start = 0, end = INFINITY;
  bool alerts(double v) const { return inside ? (v >= start && v <= end) : (v < start || v > end); }
};

inline Range parseRange(const std::string& text) {
  static const std::regex re(R"((@)?(?:(~|-?[0-9]+(?:\.[0-9]+)?):)?(-?[0-9]+(?:\.[0-9]+)?)?)");
  std::smatch m;
  REQUIRE(std::regex_match(text, m, re));
  Range r;
  r.inside = m[1].matched;
  if (m[2].matched) r.start = m[2] == "~" ? -INFINITY : std::stod(m[2]);
  if (m[3].matched) r.end = std::stod(m[3]);
  return r;
}

struct Perf {
  std::string label;
  std::optional<double> value;  // nullopt: "U"
  std::string uom;
  std::optional<Range> warn, crit;
  std::optional<double> min, max;
};

struct PluginOutput {
  std::string statusLine;
  std::vector<std::string> longText;
  std::vector<Perf> perf;
  const Perf* find(const std::string& label) const {
    for (const auto& p : perf)
      if (p.label == label) return &p;
    return nullptr;
  }
};

inline PluginOutput parsePlugin(const std::string& out) {
  PluginOutput p;
  std::istringstream in(out);
  std::string first;
  REQUIRE(std::getline(in, first));
  auto bar = first.find('|');
  p.statusLine = first.substr(0, bar);
  std::string line;
  while (std::getline(in, line)) {
    CHECK(line.find('|') == std::string::npos);  // no perfdata (or stray bars) in the long text
    p.longText.push_back(line);
  }
  if (bar == std::string::npos) return p;
  REQUIRE(p.statusLine.back() == ' ');
  // label=value[UOM];[warn];[crit];[min];[max], space-separated; quoted labels have no ' or =.
  static const std::regex item(
      R"('([^'=]+)'=(U|-?[0-9]+(?:\.[0-9]+)?)([a-zA-Z%]*)(?:;([^; ]*))?(?:;([^; ]*))?(?:;(-?[0-9.]*))?(?:;(-?[0-9.]*))?)");
  std::istringstream perf(first.substr(bar + 1));
  std::string token;
  while (perf >> token) {
    std::smatch m;
    INFO(token);
    REQUIRE(std::regex_match(token, m, item));
    Perf d;
    d.label = m[1];
    if (m[2] != "U") d.value = std::stod(m[2]);
    d.uom = m[3];
    // The guidelines' units, and dBm for light (Icinga knows it; Nagios passes it on).
    CHECK((d.uom == "" || d.uom == "s" || d.uom == "ms" || d.uom == "us" || d.uom == "%" || d.uom == "c" ||
           d.uom == "B" || d.uom == "dBm"));
    if (m[4].length()) d.warn = parseRange(m[4]);
    if (m[5].length()) d.crit = parseRange(m[5]);
    if (m[6].length()) d.min = std::stod(m[6]);
    if (m[7].length()) d.max = std::stod(m[7]);
    p.perf.push_back(d);
  }
  return p;
}

// What a monitoring engine would conclude from one perfdata item alone: 0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN (no value).
inline int statusFromRanges(const Perf& p) {
  if (!p.value) return 3;
  if (p.crit && p.crit->alerts(*p.value)) return 2;
  if (p.warn && p.warn->alerts(*p.value)) return 1;
  return 0;
}

}  // namespace linkready::test
