// `linkready optics`: the full decode of a module, per lane, with the module's thresholds
// and the IEEE limits of the ordered media side by side.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/check/eval_optics.h"
#include "config/config.h"
#include "probes/optics/module_facts.h"

namespace linkready {

// Every verdict on the module, as `check` gives them for the optics layer (judged even
// when the link's config turns the optics check off: `optics` was asked for it).
std::vector<CheckResult> opticsVerdicts(const config::Link& link, const optics::ModuleFacts& m);

// `link` gives the ordered port type and limits (may be a default Link for --decode).
std::string renderOpticsText(const std::string& source, const config::Link& link, const optics::ModuleFacts& m,
                             bool colour);
nlohmann::json opticsToJson(const std::string& source, const config::Link& link, const optics::ModuleFacts& m);

}  // namespace linkready
