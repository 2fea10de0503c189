#include "agent/render/history_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "agent/render/render.h"

namespace linkready {

namespace {

using nlohmann::json;
using Value = std::optional<double>;

json valueJson(Value v) { return v ? json(*v) : json(nullptr); }

struct SeriesDef {
  std::string name, unit;
  bool rise;
  std::function<Value(const window::Sample& prev, const window::Sample& cur, bool first)> get;
};

Value laneValue(const window::Sample& s, int lane, Value window::LaneSample::*field) {
  for (const auto& l : s.lanes)
    if (l.lane == lane) return l.*field;
  return std::nullopt;
}

const window::SessionSample* sessionOf(const window::Sample& s, const std::string& family) {
  for (const auto& ss : s.sessions)
    if (ss.family == family) return &ss;
  return nullptr;
}

std::vector<SeriesDef> seriesFor(const std::vector<window::Sample>& samples) {
  using S = window::Sample;
  auto counter = [](uint64_t S::*field) {
    return [field](const S& p, const S& c, bool first) -> Value {
      if (first || !c.present) return std::nullopt;
      return double(window::rise(p.*field, c.*field));
    };
  };
  std::vector<SeriesDef> d = {
      {"carrier", "", false, [](const S&, const S& c, bool) -> Value { return c.present ? Value(c.carrier ? 1 : 0) : std::nullopt; }},
      {"carrier_changes", "", true, counter(&S::carrierChanges)},
      {"errors", "", true,
       [](const S& p, const S& c, bool first) -> Value {
         if (first || !c.present) return std::nullopt;
         return double(window::rise(p.rxErrors, c.rxErrors) + window::rise(p.txErrors, c.txErrors));
       }},
      {"crc_errors", "", true, counter(&S::rxCrcErrors)},
      {"rx_drops", "", true, counter(&S::rxDropped)},
  };
  bool fec = false;
  std::set<int> lanes;
  std::vector<std::string> families;
  bool echo = false;
  for (const auto& s : samples) {
    fec = fec || s.fecUncorrectable;
    echo = echo || s.echoSent;
    for (const auto& l : s.lanes) lanes.insert(l.lane);
    for (const auto& ss : s.sessions)
      if (std::find(families.begin(), families.end(), ss.family) == families.end()) families.push_back(ss.family);
  }
  if (fec) {
    for (auto [name, field] : {std::pair{"fec_corrected", &S::fecCorrected}, std::pair{"fec_uncorrectable", &S::fecUncorrectable}})
      d.push_back({name, "", true, [field = field](const S& p, const S& c, bool first) -> Value {
                     if (first || !(p.*field) || !(c.*field)) return std::nullopt;
                     return double(window::rise(*(p.*field), *(c.*field)));
                   }});
  }
  for (int lane : lanes) {
    std::string n = std::to_string(lane);
    d.push_back({"rx_dbm_lane" + n, "dBm", false, [lane](const S&, const S& c, bool) { return laneValue(c, lane, &window::LaneSample::rxDbm); }});
    d.push_back({"tx_dbm_lane" + n, "dBm", false, [lane](const S&, const S& c, bool) { return laneValue(c, lane, &window::LaneSample::txDbm); }});
    d.push_back({"bias_ma_lane" + n, "mA", false, [lane](const S&, const S& c, bool) { return laneValue(c, lane, &window::LaneSample::biasMa); }});
  }
  if (echo) {
    d.push_back({"echo_rtt_ms", "ms", false,
                 [](const S&, const S& c, bool) -> Value { return c.echoSent && c.echoAnswered ? Value(c.rttMs) : std::nullopt; }});
    d.push_back({"echo_lost", "", true,
                 [](const S&, const S& c, bool) -> Value { return c.echoSent ? Value(c.echoAnswered ? 0 : 1) : std::nullopt; }});
  }
  for (const std::string& f : families) {
    d.push_back({"bgp_" + f + "_established", "", false, [f](const S&, const S& c, bool) -> Value {
                   const auto* ss = sessionOf(c, f);
                   return ss && ss->known ? Value(ss->established ? 1 : 0) : std::nullopt;
                 }});
    d.push_back({"bgp_" + f + "_resets", "", true, [f](const S& p, const S& c, bool first) -> Value {
                   const auto *a = sessionOf(p, f), *b = sessionOf(c, f);
                   if (first || !a || !b || !a->known || !b->known) return std::nullopt;
                   return double(window::rise(a->dropped, b->dropped));
                 }});
  }
  return d;
}

std::string fmt(double v, int decimals) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

json historyToJson(const std::string& link, const std::string& interface, const std::vector<window::Sample>& samples) {
  json times = json::array();
  for (const auto& s : samples)
    times.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(s.at.time_since_epoch()).count());
  json series = json::array();
  for (const SeriesDef& d : seriesFor(samples)) {
    json values = json::array();
    for (size_t i = 0; i < samples.size(); ++i) values.push_back(valueJson(d.get(samples[i ? i - 1 : 0], samples[i], i == 0)));
    series.push_back({{"name", d.name}, {"unit", d.unit}, {"kind", d.rise ? "rise" : "level"}, {"values", values}});
  }
  return {{"link", link}, {"interface", interface}, {"time_ms", times}, {"series", series}};
}

tl::expected<std::vector<History>, std::string> historyFromJson(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return tl::unexpected(std::string("not JSON"));
  if (!doc.is_object() || !doc.contains("links") || !doc["links"].is_array())
    return tl::unexpected(std::string("no 'links' array (is this a linkready /v1/history document?)"));
  std::vector<History> out;
  size_t li = 0;
  for (const json& l : doc["links"]) {
    std::string where = "links[" + std::to_string(li++) + "]";
    if (!l.is_object() || !l.contains("link") || !l["link"].is_string())
      return tl::unexpected(where + ": no link name");
    History h;
    h.link = l["link"].get<std::string>();
    if (l.contains("interface") && l["interface"].is_string()) h.interface = l["interface"].get<std::string>();
    if (!l.contains("time_ms") || !l["time_ms"].is_array()) return tl::unexpected(where + ".time_ms: not an array");
    for (const json& t : l["time_ms"]) {
      // 1970..2200 in milliseconds: beyond that the clock's nanoseconds overflow (found by fuzzing).
      if (!t.is_number_integer() || t.get<int64_t>() < 0 || t.get<int64_t>() > 7258118400000)
        return tl::unexpected(where + ".time_ms: not a time between 1970 and 2200 in milliseconds");
      h.timesMs.push_back(t.get<int64_t>());
    }
    if (!l.contains("series") || !l["series"].is_array()) return tl::unexpected(where + ".series: not an array");
    size_t si = 0;
    for (const json& s : l["series"]) {
      std::string sw = where + ".series[" + std::to_string(si++) + "]";
      if (!s.is_object() || !s.contains("name") || !s["name"].is_string() || !s.contains("values") ||
          !s["values"].is_array())
        return tl::unexpected(sw + ": needs a name and values");
      Series x;
      x.name = s["name"].get<std::string>();
      if (s.contains("unit") && s["unit"].is_string()) x.unit = s["unit"].get<std::string>();
      x.rise = s.contains("kind") && s["kind"] == "rise";
      for (const json& v : s["values"]) {
        if (v.is_null()) x.values.push_back(std::nullopt);
        else if (v.is_number()) x.values.push_back(v.get<double>());
        else return tl::unexpected(sw + ".values: " + std::string(v.type_name()) + " is not a number or null");
      }
      if (x.values.size() != h.timesMs.size())
        return tl::unexpected(sw + ": " + std::to_string(x.values.size()) + " values for " +
                              std::to_string(h.timesMs.size()) + " samples");
      h.series.push_back(std::move(x));
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::string sparkline(const std::vector<Value>& values, size_t width, bool rise) {
  static const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return "";
  size_t columns = std::min(width, values.size());
  std::vector<Value> col(columns);
  for (size_t c = 0; c < columns; ++c) {
    // Columns hold whole samples, the newest at the right.
    size_t from = values.size() * c / columns, to = values.size() * (c + 1) / columns;
    for (size_t i = from; i < to; ++i) {
      if (!values[i]) continue;
      if (!col[c]) col[c] = *values[i];
      else col[c] = rise ? *col[c] + *values[i] : std::min(*col[c], *values[i]);
    }
  }
  double lo = 0, hi = 0;
  bool any = false;
  for (const Value& v : col)
    if (v && std::isfinite(*v)) lo = any ? std::min(lo, *v) : *v, hi = any ? std::max(hi, *v) : *v, any = true;
  if (rise) lo = 0;  // a rise of 0 is the floor
  std::string out;
  for (const Value& v : col) {
    if (!v || !std::isfinite(*v)) {
      out += " ";
      continue;
    }
    int level = hi > lo ? int(std::lround((*v - lo) / (hi - lo) * 7)) : (rise && *v == 0 ? 0 : 3);
    out += kBars[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string renderHistory(const History& h, size_t width) {
  std::string out = h.link + (h.interface.empty() ? "" : " (" + h.interface + ")") + ": " +
                    std::to_string(h.timesMs.size()) + " samples";
  if (h.timesMs.size() >= 2)
    out += " over " + window::durationText((h.timesMs.back() - h.timesMs.front()) / 1000.0) + ", newest at " +
           isoTime(std::chrono::system_clock::time_point(std::chrono::milliseconds(h.timesMs.back())));
  out += "\n";
  size_t nameWidth = 0;
  for (const Series& s : h.series) nameWidth = std::max(nameWidth, s.name.size());
  for (const Series& s : h.series) {
    std::optional<double> lo, hi, last;
    double sum = 0;
    for (const auto& v : s.values) {
      if (!v) continue;
      lo = lo ? std::min(*lo, *v) : *v, hi = hi ? std::max(*hi, *v) : *v, last = *v, sum += *v;
    }
    std::string line = "  " + s.name + std::string(nameWidth - s.name.size(), ' ') + " " +
                       sparkline(s.values, width, s.rise);
    int decimals = s.unit == "dBm" || s.unit == "mA" ? 2 : s.unit == "ms" ? 3 : 0;
    std::string u = s.unit.empty() ? "" : " " + s.unit;
    if (!last) line += "  (nothing measured)";
    else if (s.rise) line += "  " + fmt(sum, 0) + " in the window" + (sum > 0 ? ", at most " + fmt(*hi, 0) + " in a second" : "");
    else line += "  now " + fmt(*last, decimals) + u + " (min " + fmt(*lo, decimals) + ", max " + fmt(*hi, decimals) + ")";
    out += line + "\n";
  }
  return out;
}

void LightTrend::add(const Report& report, const std::vector<Observation>& observed) {
  for (size_t i = 0; i < report.links.size() && i < observed.size(); ++i) {
    const auto& m = observed[i].optics.module;
    auto& lanes = series_[report.links[i].name];
    for (const optics::Lane& l : m.lanes) {
      auto& v = lanes[l.number];
      v.push_back(l.rxPower ? l.rxPower->dbm() : std::nullopt);
      if (v.size() > kFrames) v.erase(v.begin());
    }
  }
}

std::string LightTrend::render() const {
  std::string out;
  for (const auto& [link, lanes] : series_)
    for (const auto& [lane, v] : lanes) {
      std::optional<double> lo, hi;
      for (const auto& x : v)
        if (x) lo = lo ? std::min(*lo, *x) : *x, hi = hi ? std::max(*hi, *x) : *x;
      std::string tail = "no light";
      if (v.back()) tail = "now " + fmt(*v.back(), 2) + " dBm (min " + fmt(*lo, 2) + ", max " + fmt(*hi, 2) + ")";
      else if (lo) tail = "no light now (min " + fmt(*lo, 2) + ", max " + fmt(*hi, 2) + " dBm)";
      out += "  " + link + " lane " + std::to_string(lane) + " Rx " + sparkline(v, kFrames) + " " + tail + "\n";
    }
  return out.empty() ? "" : "Rx light, last " + std::to_string(kFrames) + " s:\n" + out;
}

json windowSummaryJson(const window::Summary& w) {
  json lanes = json::array();
  for (const auto& l : w.lanes)
    lanes.push_back({{"lane", l.lane}, {"rx_min_dbm", valueJson(l.rxMin)}, {"rx_max_dbm", valueJson(l.rxMax)},
                     {"tx_min_dbm", valueJson(l.txMin)}, {"tx_max_dbm", valueJson(l.txMax)}, {"dark_samples", l.dark}});
  json sessions = json::array();
  for (const auto& s : w.sessions)
    sessions.push_back({{"family", s.family}, {"peer", s.peer}, {"resets", s.resets}, {"samples_down", s.samplesDown},
                        {"samples_bfd_down", s.samplesBfdDown}});
  json j = {{"seconds", std::round(w.seconds * 10) / 10},
            {"samples", w.samples},
            {"carrier_changes", w.carrierChanges},
            {"samples_without_carrier", w.samplesWithoutCarrier},
            {"last_flap", w.lastFlap ? json(isoTime(*w.lastFlap)) : json(nullptr)},
            {"errors", w.errors},
            {"crc_errors", w.crcErrors},
            {"fec_corrected", w.fecCorrected ? json(*w.fecCorrected) : json(nullptr)},
            {"fec_uncorrectable", w.fecUncorrectable ? json(*w.fecUncorrectable) : json(nullptr)},
            {"echoes_sent", w.echoesSent},
            {"echoes_answered", w.echoesAnswered},
            {"rtt_ms", w.echoesAnswered ? json{{"min", w.rttMin}, {"avg", w.rttAvg}, {"max", w.rttMax}, {"jitter", w.jitterMs}}
                                        : json(nullptr)},
            {"lanes", lanes},
            {"sessions", sessions}};
  return j;
}

}  // namespace linkready
