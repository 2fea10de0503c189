// `intent reconcile`: the turn-up's verdicts as text (default) or JSON with the check
// fields of `check --json`, the circuit mapping and the redundant pairs.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "agent/check/reconcile.h"

namespace linkready::intent {

inline constexpr const char* kReconcileSchema = "linkready.reconcile/v1";

std::string reconcileText(const Reconciliation& r);
nlohmann::json reconcileJson(const Reconciliation& r);

}  // namespace linkready::intent
