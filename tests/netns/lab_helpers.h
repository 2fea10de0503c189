// Helpers for tests that drive the real binary and the real lab.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace linkready::test {

// Printed by a test that cannot run here; CTest turns it into "Skipped", scripts/test
// into a failure unless the skip is accepted (LINKREADY_ACCEPT_SKIPS).
inline constexpr const char* kSkipMarker = "LINKREADY-SKIPPED";

struct Run {
  int exitCode = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv (no shell), capturing stdout and stderr.
Run run(const std::vector<std::string>& argv, const std::string& stdinText = "");

std::string sourceDir();
std::string binary();  // the linkready binary under test
std::string labScript();

// `lab up SCENARIO` (fails the test if it cannot come up) and `lab down` on scope exit.
class Lab {
 public:
  explicit Lab(const std::string& scenario = "basic");
  ~Lab();
  // The scenario cannot run on this machine (no 8021q and the lab guest cannot exist
  // here): the skip marker and the reason were printed, and the test returns early. CTest
  // reports it as skipped. A guest that exists but is broken fails the test instead.
  bool skipped() const { return skipped_; }
  Run exec(const std::vector<std::string>& argv);  // in the edge namespace
  Run vbr(const std::vector<std::string>& argv);   // in the VBR namespace
  // linkready check in the edge namespace with the given config (lab.yaml by default).
  Run check(const std::vector<std::string>& extraArgs = {}, const std::string& configPath = "");

 private:
  bool skipped_ = false;
};

// A temporary file the lab can read wherever it runs (its guest sees this machine's files).
std::string writeLabFile(const std::string& content, const std::string& suffix = ".yaml");

std::string writeTempFile(const std::string& content, const std::string& suffix = ".yaml");

// The check with this id in a `check --json` document's link, or null.
nlohmann::json findCheck(const nlohmann::json& report, const std::string& link, const std::string& id);

}  // namespace linkready::test
