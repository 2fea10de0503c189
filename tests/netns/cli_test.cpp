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
