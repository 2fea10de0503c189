// The binary's contract without a lab: exit codes and messages of the CLI.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "netns/lab_helpers.h"

using namespace linkready::test;

TEST_CASE("validate-config: a valid file exits 0 and lists the links", "[cli]") {
  Run r = run({binary(), "validate-config", "--config", sourceDir() + "/config/examples/alibaba-dedicated.yaml"});
  CHECK(r.exitCode == 0);
  CHECK_THAT(r.out, Catch::Contains("OK, 2 link(s): primary (eth1) secondary (eth2)"));
}

TEST_CASE("validate-config: a broken file exits 3 with file:line:column and the key", "[cli]") {
  std::string cfg = writeTempFile("links:\n  - name: p\n    interface: eth1\n    vlan: {mode: dot1q, id: 4095}\n");
  Run r = run({binary(), "validate-config", "--config", cfg});
  CHECK(r.exitCode == 3);
  CHECK_THAT(r.err, Catch::Contains(cfg + ":4:29: links[0].vlan.id: 4095 is out of range 1-4094"));
  Run c = run({binary(), "check", "--config", cfg});
  CHECK(c.exitCode == 3);
  // As a Nagios plugin: UNKNOWN on stdout, the one line a monitoring system shows (it was empty).
  Run n = run({binary(), "check", "--format", "nagios", "--config", cfg});
  CHECK(n.exitCode == 3);
  CHECK(n.out == "LINKREADY UNKNOWN - cannot check: the configuration is invalid: " + cfg +
                     " (linkready validate-config --config " + cfg + " says why)\n");
  unlink(cfg.c_str());
}

TEST_CASE("usage errors exit 3, --version and --help exit 0", "[cli]") {
  CHECK(run({binary(), "frobnicate"}).exitCode == 3);
  CHECK(run({binary()}).exitCode == 3);
  Run v = run({binary(), "--version"});
  CHECK(v.exitCode == 0);
  CHECK_THAT(v.out, Catch::StartsWith("linkready "));
  Run h = run({binary(), "--help"});
  CHECK(h.exitCode == 0);
  CHECK_THAT(h.out, Catch::Contains("check"));
  CHECK_THAT(h.out, Catch::Contains("validate-config"));
}

TEST_CASE("a missing default config is a clear error, exit 3", "[cli]") {
  Run r = run({binary(), "check", "--config", "/nonexistent/linkready.yaml"});
  CHECK(r.exitCode == 3);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent/linkready.yaml: cannot read the config file: No such file or directory"));
}

TEST_CASE("optics --decode: a saved SFP dump, judged against the ordered port type", "[cli][optics]") {
  std::string dir = sourceDir() + "/tests/fixtures/optics/";
  Run lr = run({binary(), "optics", "--decode", dir + "sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin",
                "--port-type", "10GBASE-LR", "--config", "/dev/null/none"});
  // A config that was named but cannot be read is a usage error, even for --decode.
  CHECK(lr.exitCode == 3);
  Run ok = run({binary(), "optics", "--decode", dir + "sff8472_10g_lr_flexoptix_P.B1696.10.DA/eeprom.bin",
                "--port-type", "10GBASE-LR"});
  CHECK(ok.exitCode == 0);
  CHECK_THAT(ok.out, Catch::Contains("FLEXOPTIX"));
  CHECK_THAT(ok.out, Catch::Contains("IEEE 10GBASE-LR"));
  Run sr = run({binary(), "optics", "--decode", dir + "sff8472_10g_sr_finisar_FTLX8571D3BCL/eeprom.bin",
                "--port-type", "10GBASE-LR"});
  CHECK(sr.exitCode == 2);  // a multimode module where LR was ordered
}

TEST_CASE("optics --decode --json: per-lane states in Google's vocabulary", "[cli][optics]") {
  std::string dir = sourceDir() + "/tests/fixtures/optics/";
  Run r = run({binary(), "optics", "--json", "--decode", dir + "sff8636_100g_lr4_fs_QSFP28-IR4-100G/eeprom.bin",
               "--pages", "00,01,02,03", "--port-type", "100GBase-LR"});
  CHECK(r.exitCode == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "linkready.optics/v1");
  CHECK(j["lanes"].size() == 4);
  CHECK(j["lanes"][0]["states"]["rx_power"]["module"] == "OK");
  CHECK(j["lanes"][0]["states"]["rx_power"]["ieee"] == "OK");
  CHECK(j["lanes"][0]["rx_power"]["mw"] == Approx(1.7258).margin(0.00005));
  CHECK(j["ordered_port_type"] == "100GBASE-LR4");
  Run dark = run({binary(), "optics", "--json", "--decode", dir + "sff8472_10g_lr_oem_SFP-10GB-LR_rx0/eeprom.bin"});
  auto d = nlohmann::json::parse(dark.out);
  CHECK(d["lanes"][0]["rx_power"]["no_light"] == true);
  CHECK(d["lanes"][0]["rx_power"]["dbm"].is_null());  // never -40, never NaN
  Run bad = run({binary(), "optics", "--decode", "/nonexistent.bin"});
  CHECK(bad.exitCode == 3);
  CHECK_THAT(bad.err, Catch::Contains("cannot read /nonexistent.bin"));
}

TEST_CASE("optics on a live interface without a module: UNKNOWN, not a crash", "[cli][optics]") {
  Run r = run({binary(), "optics", "lo"});
  CHECK(r.exitCode == 3);
  CHECK_THAT(r.err, Catch::Contains("cannot read the module EEPROM"));
}

TEST_CASE("check --intent has no default port: without --interface it is a clear error, exit 3", "[cli][intent]") {
  std::string vbr = sourceDir() + "/tests/fixtures/intent/alibaba_vpc_DescribeVirtualBorderRouters.api-doc.json";
  Run r = run({binary(), "check", "--intent", vbr});
  CHECK(r.exitCode == 3);
  CHECK_THAT(r.err, Catch::Contains("check --intent needs --interface PORT: the router port the cross-connect is patched to"));
  CHECK(r.out.empty());
}

TEST_CASE("the shipped config template is refused, naming the file", "[cli]") {
  std::string path = sourceDir() + "/config/linkready.yaml";
  Run r = run({binary(), "agent", "--config", path});
  CHECK(r.exitCode == 3);
  CHECK_THAT(r.err, Catch::Contains(path + ":1:1: nothing is configured: no links"));
  CHECK(run({binary(), "check", "--config", path}).exitCode == 3);
}

TEST_CASE("optics --decode: a real module that is not the ordered type says why, in text and JSON", "[cli][optics]") {
  std::string dir = sourceDir() + "/tests/fixtures/optics/real/";
  // 2 x 400G-LR4-10 where 400GBASE-LR4-6 was ordered: exit 2 and the type verdict shown.
  Run t = run({binary(), "optics", "--decode", dir + "DR4R030015.pages.txt", "--port-type", "400GBASE-LR4-6"});
  CHECK(t.exitCode == 2);
  CHECK_THAT(t.out, Catch::Contains("CRITICAL  optics.type"));
  CHECK_THAT(t.out, Catch::Contains("a 400G-LR4-10 module where 400GBASE-LR4-6 was ordered"));
  CHECK_THAT(t.out, Catch::Contains("hint      use the ordered optic type"));
  CHECK(t.out.find("inf") == std::string::npos);
  Run j = run({binary(), "optics", "--json", "--decode", dir + "qsfp-400-zrp.pages.txt", "--port-type", "400ZR"});
  CHECK(j.exitCode == 2);
  auto doc = nlohmann::json::parse(j.out);
  bool lowPower = false;
  for (const auto& v : doc["verdicts"])
    if (v["id"] == "optics.module_state") lowPower = v["status"] == "CRITICAL" && v["observed"] == "ModuleLowPwr (CMIS lower page byte 3)";
  CHECK(lowPower);
  CHECK(doc["data_paths"][0]["media_interface"] == "400ZR (DWDM, amplified)");
  CHECK(doc["data_paths"][0]["state"] == "DPDeactivated");
}

TEST_CASE("intent reconcile: a Cross-Cloud turn-up as text by default and --json with the check fields and the exit code of the worst", "[cli][intent]") {
  std::string dir = sourceDir() + "/tests/fixtures/intent/";
  std::vector<std::string> files = {dir + "alibaba_vpc_DescribePhysicalConnections.cci-google.constructed.json",
                                    dir + "alibaba_vpc_DescribeVirtualBorderRouters.cci-google.constructed.json",
                                    dir + "google_gcloud_interconnects_get-diagnostics.2links.constructed.yaml",
                                    dir + "google_gcloud_routers_get-status.constructed.json"};
  std::vector<std::string> argv = {binary(), "intent", "reconcile"};
  argv.insert(argv.end(), files.begin(), files.end());
  Run text = run(argv);
  INFO(text.out << text.err);
  CHECK(text.exitCode == 2);
  CHECK_THAT(text.out, Catch::Contains("CRITICAL  circuit GCP-00113 (demarc MARKL:MMR A/ 4th floor Cab 04.105.004.704 FP 4 Port 4 "
                                       "Fibers 79,80 -LC): Google receives -40.00 dBm LOW_ALARM"));
  CHECK_THAT(text.out, Catch::Contains("pair pc-example000000000001 + pc-example000000000002: DEGRADED"));
  argv.push_back("--json");
  Run js = run(argv);
  CHECK(js.exitCode == 2);
  auto j = nlohmann::json::parse(js.out);
  CHECK(j["status"] == "CRITICAL");
  bool sawDark = false;
  for (const auto& c : j["checks"]) {
    for (const char* k : {"id", "layer", "status", "observed", "expected", "hint"}) CHECK(c.contains(k));
    if (c["id"] == "google.link.rx_power" && c["status"] == "CRITICAL") {
      sawDark = true;
      CHECK(c["layer"] == "optics");
      CHECK(c["connection"] == "pc-example000000000002");
    }
  }
  CHECK(sawDark);
  // A file that is no cloud answer: exit 3, named.
  Run bad = run({binary(), "intent", "reconcile", dir + "SOURCES.md"});
  CHECK(bad.exitCode == 3);
  CHECK_THAT(bad.err, Catch::Contains("SOURCES.md: "));
}
