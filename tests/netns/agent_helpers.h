// Helpers for the agent's [netns] tests: a background process in the lab's edge namespace
// and a bounded wait (background.h), and a fresh directory per test.
#pragma once

#include <cstdlib>
#include <string>

#include "netns/background.h"

namespace linkready::test {

inline std::string tempDir() {
  char tmpl[] = "/tmp/linkready-agent-XXXXXX";
  return mkdtemp(tmpl);
}

}  // namespace linkready::test
