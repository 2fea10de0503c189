// Intent from the clouds turned into linkready links, and the clouds' records judged
// against each other before anyone goes to the cage. Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "config/config.h"
#include "probes/cloud/cloud_facts.h"

namespace linkready::intent {

using cloud::BgpGroup;
using cloud::BgpPeer;
using cloud::EquinixConnection;
using cloud::Intent;
using cloud::PhysicalConnection;
using cloud::Vbr;

struct ImportOptions {
  std::string interface = "CHANGEME";  // the router port; intent cannot know it
  std::string md5KeyDir = "/etc/linkready/keys";
};

// One link's worth of intent, with where each value came from.
struct Draft {
  config::Link link;
  std::vector<std::pair<std::string, std::string>> comments;  // key -> source
  std::string md5Note;
};

// One draft per VBR, or an error naming the field that cannot be turned into config.
tl::expected<std::vector<Draft>, std::string> drafts(const Intent& intent, const ImportOptions& options);

// As config links (for `check --intent`).
tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& intent, const ImportOptions& options);

struct Finding {
  int status = 0;  // 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  std::string what, seen, expected, hint;
};

// The sources against each other, before anyone goes to the cage.
std::vector<Finding> reconcile(const Intent& intent);

}  // namespace linkready::intent
