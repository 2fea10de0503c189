// Reading the clouds' output: each file is recognised by its shape (VBRs, BGP groups, BGP
// peers, physical connections, an Equinix connection). Numbers as strings, a single
// object where a list was expected, keys in any order, misspelt keys, enum values with
// spaces, ids beyond 2^53 are all taken as the real payloads come. Pure apart from `load`
// reading the files; never throws: errors name the file and the JSON path.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "probes/cloud/cloud_facts.h"

namespace linkready::cloud {

// Reads each file and recognises what it is (VBRs, BGP groups, BGP peers, physical
// connections, an Equinix connection); errors name the file and the JSON path.
tl::expected<Intent, std::string> load(const std::vector<std::string>& files);
tl::expected<Intent, std::string> parse(const std::string& text, const std::string& name, Intent into = {});

}  // namespace linkready::cloud
