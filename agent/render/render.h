// Reports as the field engineer reads them (text) and as machines read them (JSON).
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "agent/check/report.h"

namespace linkready {

struct TextStyle {
  bool colour = false;
};

// Colour only on a terminal and when NO_COLOR is unset (https://no-color.org).
bool wantColour(int fd);

std::string renderText(const Report& report, const TextStyle& style);
nlohmann::json reportToJson(const Report& report);
// One check's fields (id, layer, status, observed, expected, hint ...), as in `check --json`.
nlohmann::json checkToJson(const CheckResult& check);
// The inverse, for `linkready status` (the agent's /v1/status document).
tl::expected<Report, std::string> reportFromJson(const nlohmann::json& j);
std::string isoTime(std::chrono::system_clock::time_point t);
// A document as text; bytes that are not UTF-8 (a module's vendor field, an interface name)
// become U+FFFD instead of an exception.
std::string jsonText(const nlohmann::json& j, int indent = -1);

}  // namespace linkready
