// Google's own view of an interconnect, judged in Google's words: per link circuit the
// optical power both ways (OK / LOW_WARNING / ... as Google's optic states it), LACP
// (ACTIVE / DETACHED), the link's and the bundle's operational status; per Cloud Router
// peer the session (UP, Established), the routes learned and BFD. Every verdict names the
// circuit id and demarc, or the peer's name and IP. Pure.
#pragma once

#include <string>
#include <vector>

#include "agent/check/check.h"
#include "probes/cloud/cloud_facts.h"

namespace linkready::google {

// "the Alibaba port" for a Cross-Cloud Interconnect, "the far end" otherwise: whose light
// Google receives.
struct FarEnd {
  std::string name = "the far end (our router, or the Alibaba port for Cross-Cloud)";
};

// "circuit GCP-00112 (demarc MARKL:MMR A/ ... -LC)"
std::string circuitName(const cloud::GoogleLinkDiagnostics& link);

std::vector<CheckResult> evaluateGoogleLink(const cloud::GoogleLinkDiagnostics& link, const cloud::GoogleDiagnostics& bundle,
                                            const FarEnd& farEnd);
std::vector<CheckResult> evaluateGoogleBundle(const cloud::GoogleDiagnostics& bundle);
std::vector<CheckResult> evaluateGoogleInterconnect(const cloud::GoogleInterconnect& interconnect);
std::vector<CheckResult> evaluateGooglePeer(const cloud::GoogleBgpPeerStatus& peer);

// A Google optical state as a status: OK; *_WARNING; *_ALARM; empty or unknown -> UNKNOWN.
Status opticalStatus(const std::string& state);

}  // namespace linkready::google
