// The agent's flight recorder and what reads it back: the packed ring gives the window
// verdicts the raw samples give; /v1/history round-trips; sparklines; the --watch trend.
#include <catch2/catch.hpp>

#include "agent/daemon/recorder.h"
#include "agent/render/history_view.h"
#include "agent/render/render.h"
#include "probes/optics/decode.h"
#include "probes/optics/memory_map.h"
#include "test_util.h"

using namespace linkready;
using namespace linkready::test;
using namespace std::chrono_literals;

namespace {

config::Link oneLink() {
  auto cfg = config::fromString(
      "links:\n  - name: primary\n    interface: eth1\n    order: {port_type: 100GBASE-LR4}\n"
      "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n    bgp: {peer: 10.0.0.1, local_as: 65010}\n");
  REQUIRE(cfg);
  return cfg->links[0];
}

// A minute of a 4-lane link that goes wrong: CRC errors climb, lane 3's light swings and
// goes dark once, the carrier flaps, echoes are lost, the session resets; counters start
// at a year's worth.
std::vector<window::Sample> troubledMinute(window::TimePoint t0) {
  std::vector<window::Sample> s;
  for (int i = 0; i < 60; ++i) {
    window::Sample x;
    x.at = t0 + std::chrono::seconds(i);
    x.present = true;
    x.carrier = i != 30;
    x.carrierChanges = 7 + (i >= 30) + (i >= 31);
    x.rxErrors = 100000 + (i > 40 ? uint64_t(i - 40) * 3 : 0);
    x.rxCrcErrors = 90000 + (i > 40 ? uint64_t(i - 40) * 3 : 0);
    x.fecCorrected = 5'000'000'000ull + uint64_t(i) * 1000;
    x.fecUncorrectable = 12 + (i >= 45);
    for (int lane = 1; lane <= 4; ++lane) {
      window::LaneSample l;
      l.lane = lane;
      l.rxDbm = lane == 3 ? (i == 30 ? std::nullopt : std::optional<double>(-3.0 - (i % 10) * 0.2)) : -2.5;
      l.txDbm = 0.8;
      l.biasMa = 42.5;
      l.rxLos = lane == 3 && i == 30;
      x.lanes.push_back(l);
    }
    x.echoSent = true;
    x.echoAnswered = i < 29 || i > 33;
    x.rttMs = 0.5 + (i % 3) * 0.1;
    x.sessions.push_back({"ipv4", "10.0.0.1", true, i < 30 || i > 36, 3u + (i >= 30), std::nullopt});
    s.push_back(x);
  }
  return s;
}

// The window's verdicts on what the ring gives back are those on the raw samples.
std::vector<CheckResult> sameVerdicts(const config::Link& link, const std::vector<window::Sample>& raw,
                                      const std::vector<window::Sample>& packed) {
  auto now = raw.back().at;
  auto a = window::judgeWindow(link, raw, now), b = window::judgeWindow(link, packed, now);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].id);
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].status == b[i].status);
    CHECK(a[i].summary == b[i].summary);
    CHECK(a[i].observed == b[i].observed);
  }
  return b;
}

}  // namespace

TEST_CASE("recorder: the packed ring gives the same window verdicts as the raw samples", "[recorder]") {
  auto link = oneLink();
  auto t0 = std::chrono::system_clock::now() - 60s;
  auto raw = troubledMinute(t0);
  FlightRecorder rec(300);
  for (const auto& s : raw) rec.add("primary", s);
  auto packed = rec.all("primary");
  REQUIRE(packed.size() == raw.size());
  auto b = sameVerdicts(link, raw, packed);
  // What went wrong is all there.
  std::map<std::string, Status> st;
  for (const auto& c : b) st[c.id] = c.status;
  CHECK(st["link.flaps"] == Status::Warning);
  CHECK(st["link.errors_rising"] == Status::Warning);
  CHECK(st["link.fec"] == Status::Warning);
  CHECK(st["optics.lane3.light_swing"] == Status::Warning);
  CHECK(st["optics.lane1.light_swing"] == Status::Ok);
  CHECK(st["ip.echo_loss"] == Status::Critical);  // 5 of 60
  CHECK(st["bgp.ipv4.resets"] == Status::Warning);
}

TEST_CASE("recorder: a sample stored in two steps (the kernel's part at once, echo and sessions when they come) "
          "reads back as one",
          "[recorder]") {
  auto link = oneLink();
  auto t0 = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) - 60s;
  auto raw = troubledMinute(t0);
  FlightRecorder rec(300);
  for (const auto& full : raw) {
    window::Sample first = full;  // what Sampler::sampleInterfaces gives: no echo, sessions not known
    first.echoSent = first.echoAnswered = false;
    first.rttMs = 0;
    for (auto& ss : first.sessions) ss = {ss.family, ss.peer};
    rec.add("primary", first);
    // Between the two steps a check already sees this sample's carrier.
    auto newest = rec.all("primary").back();
    CHECK(newest.carrier == full.carrier);
    CHECK_FALSE(newest.echoSent);
    CHECK_FALSE(newest.sessions.at(0).known);
    rec.complete("primary", full);
  }
  auto packed = rec.all("primary");
  REQUIRE(packed.size() == raw.size());
  sameVerdicts(link, raw, packed);
  auto sum = window::summarize(packed), rawSum = window::summarize(raw);
  CHECK(sum.echoesSent == 59);  // the 60th went out without carrier: counted apart
  CHECK(sum.echoesSent == rawSum.echoesSent);
  CHECK(sum.echoesAnswered == 55);
  CHECK(sum.samplesWithoutCarrier == 1);
  REQUIRE(sum.sessions.size() == 1);
  CHECK(sum.sessions[0].resets == 1);
  // A completion that comes after a newer sample was stored changes nothing.
  window::Sample late = raw.front();
  late.echoAnswered = false;
  rec.complete("primary", late);
  CHECK(window::summarize(rec.all("primary")).echoesAnswered == 55);
}

TEST_CASE("recorder: a window is the last span plus the sample before it: the ring keeps its capacity",
          "[recorder]") {
  // Whole seconds: the recorder keeps milliseconds.
  auto t0 = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - 400s;
  FlightRecorder rec(300);
  for (int i = 0; i < 400; ++i) {
    window::Sample s;
    s.at = t0 + std::chrono::seconds(i);
    s.present = s.carrier = true;
    s.rxErrors = uint64_t(i);  // one error a second, always
    rec.add("primary", s);
  }
  auto all = rec.all("primary");
  REQUIRE(all.size() == 300);
  CHECK(all.front().at == t0 + 100s);  // the oldest 100 went
  auto last10 = rec.window("primary", 10s, t0 + 399s);
  REQUIRE(last10.size() == 12);  // 389..399 and the one before
  CHECK(window::summarize(last10).errors == 11);
  CHECK(rec.window("nosuchlink", 10s, t0).empty());
  rec.retain({});
  CHECK(rec.all("primary").empty());
}

TEST_CASE("recorder: an echo lost within a span is found in the ring as a window of it would show it",
          "[recorder]") {
  auto t0 = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - 60s;
  auto raw = troubledMinute(t0);  // echoes 29..33 unanswered, the 30th sent without carrier
  FlightRecorder rec(300);
  for (const auto& s : raw) rec.add("primary", s);
  auto now = raw.back().at;
  for (int span = 0; span <= 61; ++span) {
    INFO("span " << span << " s");
    bool byWindow = false;
    for (const auto& x : rec.window("primary", std::chrono::seconds(span), now))
      byWindow = byWindow || (x.echoSent && !x.echoAnswered);
    CHECK(rec.echoLost("primary", std::chrono::seconds(span), now) == byWindow);
  }
  CHECK_FALSE(rec.echoLost("primary", 24s, now));  // 35..59 and the one before, 34: answered
  CHECK(rec.echoLost("primary", 25s, now));         // 34..59 and the one before, 33: lost
  CHECK_FALSE(rec.echoLost("nosuchlink", 60s, now));
}

TEST_CASE("history: the lab agent's /v1/history reads back, renders, and writes out the same", "[history]") {
  auto doc = historyFromJson(fixture("history/lab-flap.json"));
  REQUIRE(doc);
  REQUIRE(doc->size() == 1);
  const History& h = (*doc)[0];
  CHECK(h.link == "primary");
  CHECK(h.interface == "eth1");
  CHECK(h.timesMs.size() == 21);
  std::map<std::string, const Series*> by;
  for (const auto& s : h.series) by[s.name] = &s;
  REQUIRE(by.count("carrier"));
  REQUIRE(by.count("carrier_changes"));
  CHECK(by["carrier_changes"]->rise);
  CHECK_FALSE(by["carrier"]->rise);
  double flaps = 0;
  for (const auto& v : by["carrier_changes"]->values) flaps += v.value_or(0);
  CHECK(flaps == 2);  // down and up
  std::string text = renderHistory(h, 40);
  INFO(text);
  CHECK(text.find("primary (eth1): 21 samples over 20 s") == 0);
  CHECK(text.find("  carrier_changes       ▁▁▁▁▁▁▁█▁▁█▁▁▁▁▁▁▁▁▁  2 in the window, at most 1 in a second\n") !=
        std::string::npos);
  CHECK(text.find("echo_lost") != std::string::npos);
}

TEST_CASE("history: a document that is not one says where it went wrong", "[history]") {
  CHECK(historyFromJson("not json").error() == "not JSON");
  CHECK(historyFromJson("{}").error() == "no 'links' array (is this a linkready /v1/history document?)");
  CHECK(historyFromJson(R"({"links":[{"link":"a","time_ms":[1,2],"series":[{"name":"x","values":[1]}]}]})").error() ==
        "links[0].series[0]: 1 values for 2 samples");
  CHECK(historyFromJson(R"({"links":[{"link":"a","time_ms":[1],"series":[{"name":"x","values":["1"]}]}]})").error() ==
        "links[0].series[0].values: string is not a number or null");
  CHECK(historyFromJson(R"({"links":[{"time_ms":[]}]})").error() == "links[0]: no link name");
  // Found by the fuzz campaign: a time whose nanoseconds overflow the clock.
  CHECK(historyFromJson(R"({"links":[{"link":"a","time_ms":[17959887219357],"series":[]}]})").error() ==
        "links[0].time_ms: not a time between 1970 and 2200 in milliseconds");
}

TEST_CASE("history: sparklines: levels at their lowest per column, rises summed, gaps blank", "[history]") {
  using V = std::vector<std::optional<double>>;
  CHECK(sparkline(V{0, 1, 2, 3, 4, 5, 6, 7}, 8) == "▁▂▃▄▅▆▇█");
  CHECK(sparkline(V{-2.5, -2.5, std::nullopt, -2.5}, 10) == "▄▄ ▄");  // steady: mid-height, a gap
  CHECK(sparkline(V{5, 5, 0, 5}, 2) == "█▁");  // the dip shows in the column that holds it
  CHECK(sparkline(V{0, 0, 1, 0, 0, 1}, 3, true) == "▁██");  // rises add up per column
  CHECK(sparkline(V{0, 0, 0}, 3, true) == "▁▁▁");
}

TEST_CASE("watch: the Rx light of each lane as a trend over the frames", "[history][watch]") {
  auto memory = *optics::parseDump(fixture("optics/sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin"), {});
  Observation o;
  o.optics.probed = true;
  o.optics.module = optics::decodeModule(memory);
  REQUIRE(o.optics.module.lanes.size() == 1);
  Report r;
  r.links.push_back(LinkReport{"primary", "eth1"});
  LightTrend trend;
  CHECK(trend.render().empty());
  trend.add(r, {o});
  uint16_t steady = o.optics.module.lanes[0].rxPower->raw;
  o.optics.module.lanes[0].rxPower->raw = 0;  // pulled
  trend.add(r, {o});
  o.optics.module.lanes[0].rxPower->raw = steady;
  o.optics.module.lanes[0].rxPower->mw = steady / 10000.0;
  trend.add(r, {o});
  std::string text = trend.render();
  INFO(text);
  CHECK(text.find("Rx light, last 60 s:\n  primary lane 1 Rx ") == 0);
  CHECK(text.find("▄ ▄ now -2.58 dBm (min -2.58, max -2.58)") != std::string::npos);  // steady, a gap while dark
}

TEST_CASE("a history or report document nested a hundred thousand levels deep is refused, not a crash",
          "[history][report]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(historyFromJson("{\"links\":[{\"link\":\"a\",\"series\":" + deep + "}]}"));
  auto j = nlohmann::json::parse("{\"links\":[{\"name\":\"a\",\"checks\":" + deep + "}]}", nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK_FALSE(reportFromJson(j));
}
