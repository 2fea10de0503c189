#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace linkready::test {

inline std::string fixture(const std::string& relative) {
  std::ifstream in(std::string(LINKREADY_TEST_FIXTURES) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace linkready::test
