// Test helpers over check results: the verdict with a given id, or a test failure.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "agent/check/check.h"

namespace linkready::test {

inline const CheckResult& find(const std::vector<CheckResult>& checks, const std::string& id) {
  for (const auto& c : checks)
    if (c.id == id) return c;
  FAIL("no check " << id);
  throw std::logic_error("unreachable");
}

}  // namespace linkready::test
