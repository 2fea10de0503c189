// The flight recorder as tools read it (/v1/history, JSON: one array per series, a value a
// second, null where nothing was measured) and as an engineer reads it (`linkready
// history LINK`: a sparkline per series), and a window's summary as it rides along with a
// readiness change.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "agent/check/window.h"

namespace linkready {

inline constexpr const char* kHistorySchema = "linkready.history/v1";

// One link's samples, oldest first. Counters are given as the rise since the previous
// sample (what a plot wants), gauges as read.
nlohmann::json historyToJson(const std::string& link, const std::string& interface,
                             const std::vector<window::Sample>& samples);

struct Series {
  std::string name;  // "rx_dbm_lane1", "errors", "echo_rtt_ms"
  std::string unit;  // "dBm", "", "ms"
  bool rise = false;  // values are rises per sample (counters), not levels
  std::vector<std::optional<double>> values;
};

struct History {
  std::string link, interface;
  std::vector<int64_t> timesMs;  // unix milliseconds per sample
  std::vector<Series> series;
};

// The inverse for `linkready history`: the agent's document (or one link of it). Never
// throws: an error names where the document went wrong.
tl::expected<std::vector<History>, std::string> historyFromJson(std::string_view text);

// ▁▂▃▄▅▆▇█ over at most `width` columns (the newest at the right; several samples per
// column when there are more: the lowest level, the sum of rises); ' ' where nothing was
// measured.
std::string sparkline(const std::vector<std::optional<double>>& values, size_t width, bool rise = false);

std::string renderHistory(const History& h, size_t width = 60);

// The Rx light of each lane over the last minute of `check --watch` frames, as sparklines:
// the trend while someone re-patches or cleans a connector, not only the current value.
class LightTrend {
 public:
  void add(const Report& report, const std::vector<Observation>& observed);
  std::string render() const;  // "" while no lane has been seen

 private:
  static constexpr size_t kFrames = 60;
  std::map<std::string, std::map<int, std::vector<std::optional<double>>>> series_;
};

// What a readiness change carries: the minute before it, summarised.
nlohmann::json windowSummaryJson(const window::Summary& w);

}  // namespace linkready
