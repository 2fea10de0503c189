// `intent import`: the links section of a linkready config as YAML, each value commented
// with the API field it came from.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "agent/check/intent.h"

namespace linkready::intent {

// Or an error naming the field that cannot be turned into config.
tl::expected<std::string, std::string> importYaml(const Intent& intent, const ImportOptions& options);

}  // namespace linkready::intent
