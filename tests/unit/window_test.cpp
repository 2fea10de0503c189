// Stability over a window: sequences of counter readings and light levels, as the link
// source and a real module (its Rx power bytes rewritten per sample) serve them, through
// the sampler to the verdicts. Error counters and FEC cannot be produced on veth.
#include <catch2/catch.hpp>

#include <deque>

#include "agent/check/window.h"
#include "agent/check/window_sampler.h"
#include "fake_eeprom.h"
#include "probes/optics/memory_map.h"
#include "probes/optics/optics_reader.h"
#include "test_util.h"

using namespace linkready;
using namespace linkready::test;
using namespace std::chrono_literals;

namespace {

config::Link oneLink() {
  auto cfg = config::fromString(
      "links:\n  - name: primary\n    interface: eth1\n"
      "    order: {port_type: 10GBASE-LR, speed_mbps: 10000, physical_connection_id: pc-bp1abc}\n"
      "    ip: {local: 10.0.0.2/30, gateway: 10.0.0.1}\n"
      "    bgp: {peer: 10.0.0.1, local_as: 65010}\n");
  REQUIRE(cfg);
  return cfg->links[0];
}

// A physical port whose counters move as the test scripts: each interfaces() call serves
// the next reading (the last one repeats).
struct Reading {
  bool carrier = true;
  uint32_t carrierChanges = 1;
  uint64_t rxErrors = 0, crc = 0;
  std::optional<uint64_t> fecCorr, fecUncorr;
};

class ScriptedNic final : public link::LinkSource {
 public:
  explicit ScriptedNic(std::deque<Reading> r) : readings_(std::move(r)) {}
  tl::expected<std::vector<link::InterfaceFacts>, std::string> interfaces() override {
    const Reading& r = readings_.front();
    link::InterfaceFacts i;
    i.name = "eth1";
    i.ifindex = 3;
    i.adminUp = true;
    i.carrier = r.carrier;
    i.operState = r.carrier ? "up" : "down";
    i.carrierChanges = r.carrierChanges;
    i.rxErrors = r.rxErrors, i.rxCrcErrors = r.crc;
    i.mtu = 1500;
    current_ = r;
    if (readings_.size() > 1) readings_.pop_front();
    return std::vector<link::InterfaceFacts>{i};
  }
  tl::expected<link::LinkModes, std::string> linkModes(const std::string&) override { return link::LinkModes{}; }
  tl::expected<link::FecStats, std::string> fecStats(const std::string&) override {
    if (!current_.fecUncorr) return tl::unexpected(std::string("no FEC statistics"));
    return link::FecStats{current_.fecCorr, current_.fecUncorr};
  }

 private:
  std::deque<Reading> readings_;
  Reading current_;
};

// Rx power as SFF-8472 A2h bytes 104-105 hold it: 0.1 uW units, big endian.
std::vector<uint8_t> rxPowerBytes(double dbm) {
  auto raw = dbm <= -40 ? uint16_t(0) : uint16_t(std::lround(std::pow(10.0, dbm / 10.0) * 10000.0));
  return {uint8_t(raw >> 8), uint8_t(raw & 0xff)};
}

struct Run {
  std::vector<window::Sample> samples;
  std::vector<CheckResult> checks;
};

// Samples the scripted port once per reading; `rx` gives the Rx power for each sample.
Run soak(const config::Link& link, std::deque<Reading> readings, const std::vector<double>& rx) {
  ScriptedNic nic(readings);
  FakeEeprom io(*optics::parseDump(fixture("optics/sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin"), {}));
  optics::OpticsReader reader(io);
  ProbeSources sources;
  sources.link = &nic;
  sources.optics = &reader;
  window::Sampler sampler(sources, {&link});
  Run r;
  auto t0 = std::chrono::system_clock::now();
  for (size_t k = 0; k < std::max(readings.size(), rx.size()); ++k) {
    if (k < rx.size()) io.patch(0x51, 0, 0, 104, rxPowerBytes(rx[k]));
    auto s = sampler.sample(std::chrono::steady_clock::now() + 100ms);
    REQUIRE(s.size() == 1);
    s[0].at = t0 + std::chrono::seconds(k);  // a sample a second
    r.samples.push_back(s[0]);
  }
  r.checks = window::judgeWindow(link, r.samples, r.samples.back().at);
  return r;
}

const CheckResult* byId(const std::vector<CheckResult>& checks, const std::string& id) {
  for (const auto& c : checks)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("window: a steady link with old errors since boot is OK: history, not a warning", "[window]") {
  auto link = oneLink();
  Reading old{true, 1, 1234, 1200, 5000, 17};  // a year of counting, none of it now
  Run r = soak(link, {old, old, old, old, old}, {-2.6, -2.6, -2.55, -2.6, -2.62});
  REQUIRE(r.samples.size() == 5);
  for (const char* id : {"link.flaps", "link.errors_rising", "link.fec", "optics.lane1.light_swing"}) {
    const CheckResult* c = byId(r.checks, id);
    INFO(id);
    REQUIRE(c);
    CHECK(c->status == Status::Ok);
  }
  CHECK(byId(r.checks, "link.errors_rising")->observed.find("0 errors in 4 s") == 0);
  CHECK(byId(r.checks, "optics.lane1.light_swing")->observed.find("Rx -2.62..-2.55 dBm") == 0);
}

TEST_CASE("window: CRC errors that climb are a warning with how many and how fast", "[window]") {
  auto link = oneLink();
  Run r = soak(link, {{true, 1, 10, 10}, {true, 1, 12, 12}, {true, 1, 18, 17}, {true, 1, 30, 29}, {true, 1, 50, 48}}, {});
  const CheckResult* c = byId(r.checks, "link.errors_rising");
  REQUIRE(c);
  CHECK(c->status == Status::Warning);
  CHECK(c->summary == "40 errors on eth1 in 4 s");
  CHECK(c->observed == "40 errors in 4 s (10.00/s), 38 CRC, 0 rx drops");
  CHECK(c->hint.find("CRC errors that rise") == 0);
  CHECK_FALSE(byId(r.checks, "link.fec"));  // this driver keeps no FEC statistics: nothing judged
}

TEST_CASE("window: a counter reset (driver reload) is not a huge negative or positive rise", "[window]") {
  CHECK(window::rise(1000, 1005) == 5);
  CHECK(window::rise(1000, 3) == 3);  // reset: what it counted since
  auto link = oneLink();
  Run r = soak(link, {{true, 1, 1000, 1000}, {true, 1, 0, 0}, {true, 1, 0, 0}}, {});
  CHECK(byId(r.checks, "link.errors_rising")->status == Status::Ok);
}

TEST_CASE("window: uncorrectable FEC blocks that rise are a warning: corrected ones alone are not", "[window]") {
  auto link = oneLink();
  Reading a{true, 1, 0, 0, 100, 0}, b{true, 1, 0, 0, 90000, 0}, c{true, 1, 0, 0, 180000, 3};
  Run clean = soak(link, {a, b, b}, {});
  CHECK(byId(clean.checks, "link.fec")->status == Status::Ok);
  CHECK(byId(clean.checks, "link.fec")->observed == "0 uncorrectable, 89900 corrected blocks in 2 s (44950.00/s)");
  Run bad = soak(link, {a, b, c}, {});
  const CheckResult* f = byId(bad.checks, "link.fec");
  REQUIRE(f);
  CHECK(f->status == Status::Warning);
  CHECK(f->summary == "3 uncorrectable FEC blocks in 2 s");
}

TEST_CASE("window: light that swings over 1 dB points at a connector: light that goes dark and back too",
          "[window]") {
  auto link = oneLink();
  Reading up{};
  Run swing = soak(link, {up}, {-2.6, -3.1, -4.0, -2.7});
  const CheckResult* c = byId(swing.checks, "optics.lane1.light_swing");
  REQUIRE(c);
  CHECK(c->status == Status::Warning);
  CHECK(c->summary == "lane 1: Rx light swung 1.4 dB");
  CHECK(c->hint.find("connector") != std::string::npos);
  Run steady = soak(link, {up}, {-2.6, -3.2, -2.8});  // 0.6 dB: within what a static link shows
  CHECK(byId(steady.checks, "optics.lane1.light_swing")->status == Status::Ok);
  Run dark = soak(link, {up}, {-2.6, -99, -2.6});  // raw count 0: no light at all
  CHECK(byId(dark.checks, "optics.lane1.light_swing")->summary == "lane 1: Rx light came and went");
}

TEST_CASE("window: a flap is a warning saying when, and the guard holds the link DEGRADED after it", "[window]") {
  auto link = oneLink();
  Run r = soak(link, {{true, 1}, {false, 2}, {true, 3}, {true, 3}, {true, 3}}, {});
  const CheckResult* c = byId(r.checks, "link.flaps");
  REQUIRE(c);
  CHECK(c->status == Status::Warning);
  CHECK(c->summary == "eth1 flapped 2 s ago; DEGRADED until 2 min pass without a flap");
  CHECK(c->observed.find("2 carrier changes in 4 s, carrier down in 1 of 5 samples, last at ") == 0);
  CHECK(c->hint.find("pc-bp1abc") != std::string::npos);  // the id the colo and the cloud ask for
  // Seen from later: the flap is old; the guard's words go.
  auto later = window::judgeWindow(link, r.samples, r.samples.back().at + 10min);
  CHECK(byId(later, "link.flaps")->summary == "eth1 flapped 10 min 2 s ago");
  // A window without it is clean.
  std::vector<window::Sample> after(r.samples.begin() + 2, r.samples.end());
  CHECK(byId(window::judgeWindow(link, after, after.back().at), "link.flaps")->status == Status::Ok);
}

TEST_CASE("window: echo loss, RTT and jitter: any loss warns, 5% is critical", "[window]") {
  auto link = oneLink();
  std::vector<window::Sample> s(21);
  auto t0 = std::chrono::system_clock::now();
  for (size_t i = 0; i < s.size(); ++i) {
    s[i].at = t0 + std::chrono::seconds(i);
    s[i].present = s[i].carrier = true;
    s[i].echoSent = true;
    s[i].echoAnswered = i != 20;
    s[i].rttMs = i % 2 ? 0.5 : 0.3;
  }
  auto first = window::judgeWindow(link, s, s.back().at);
  const CheckResult* e = byId(first, "ip.echo_loss");
  REQUIRE(e);
  CHECK(e->status == Status::Warning);  // 1 of 21: 4.8%
  CHECK(e->observed == "1 of 21 echoes lost (4.8%), RTT 0.300/0.400/0.500 ms min/avg/max, jitter 0.200 ms");
  s[3].echoAnswered = false;
  auto checks = window::judgeWindow(link, s, s.back().at);
  CHECK(byId(checks, "ip.echo_loss")->status == Status::Critical);  // 2 of 21: 9.5%
  CHECK(byId(checks, "ip.echo_loss")->summary == "9.5% of echoes to 10.0.0.1 lost");
  // Echoes sent while the carrier was down are the flap's, not loss on a working link.
  s[3].carrier = s[20].carrier = false;
  auto flapped = window::judgeWindow(link, s, s.back().at);
  CHECK(byId(flapped, "ip.echo_loss")->status == Status::Ok);
  CHECK(byId(flapped, "ip.echo_loss")->observed.find("0 of 19 echoes lost (0.0%) (2 more sent without carrier: see link.flaps)") == 0);
}

TEST_CASE("window: a BGP session that reset within the window", "[window]") {
  auto link = oneLink();
  std::vector<window::Sample> s(4);
  auto t0 = std::chrono::system_clock::now();
  for (size_t i = 0; i < s.size(); ++i) {
    s[i].at = t0 + std::chrono::seconds(i);
    window::SessionSample ss{"ipv4", "10.0.0.1", true, i != 1, i >= 1 ? 5u : 4u, std::nullopt};
    s[i].sessions.push_back(ss);
  }
  auto checks = window::judgeWindow(link, s, s.back().at);
  const CheckResult* b = byId(checks, "bgp.ipv4.resets");
  REQUIRE(b);
  CHECK(b->status == Status::Warning);
  CHECK(b->summary == "session with 10.0.0.1 reset 1 time(s) in 3 s");
  CHECK(b->observed == "1 resets, not Established in 1 of 4 samples");
  for (auto& x : s) x.sessions[0].dropped = 5, x.sessions[0].established = true;
  CHECK(byId(window::judgeWindow(link, s, s.back().at), "bgp.ipv4.resets")->status == Status::Ok);
}
