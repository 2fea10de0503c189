// Both ends of one fibre at once, where our router is on the link (Google Dedicated or
// Partner, Alibaba dedicated with Google's diagnostics at hand): our module's Tx against
// the light Google receives and Google's Tx against our Rx say which direction is dark, or
// that the pair is crossed (both receivers dark, both transmitters fine); our MAC in
// Google's ARP cache says whether the cross-connect lands on our port. Pure.
#pragma once

#include <vector>

#include "agent/check/check.h"
#include "agent/check/facts.h"
#include "agent/check/report.h"
#include "config/config.h"
#include "probes/cloud/cloud_facts.h"

namespace linkready::google {

std::vector<CheckResult> evaluateFarEnd(const optics::OpticsFacts& ours, const link::LinkFacts& link,
                                        const cloud::GoogleLinkDiagnostics& far, const cloud::GoogleDiagnostics& bundle);

// `check --intent`: adds each link's far-end verdicts (its Google circuit found by the
// Alibaba port's CircuitCode or Google's customerDemarcId, by the link's name, or as the
// only one), puts the Equinix port's cross-connect id and patch panel in the hints of its
// physical verdicts, and finalizes the links and the status again. `links` and
// `observations` are in the report's order.
void addCloudView(Report& report, const std::vector<const config::Link*>& links, const std::vector<Observation>& observations,
                  const cloud::Intent& intent);

}  // namespace linkready::google
