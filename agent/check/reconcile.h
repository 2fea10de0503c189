// All the files of a turn-up against each other, before anyone goes to the cage: Alibaba's
// physical connections, VBRs and BGP peers; Equinix connections and ports; Google's
// diagnostics, interconnects and Cloud Router status. Verdicts in the shared vocabulary
// (the fields of `check --json`), the Google circuit -> Alibaba port mapping, and the
// redundant pair. Pure.
#pragma once

#include <string>
#include <vector>

#include "agent/check/check.h"
#include "agent/check/report.h"
#include "probes/cloud/cloud_facts.h"

namespace linkready::intent {

struct Finding {
  std::string subject;     // "VBR vbr-...", "circuit GCP-00112", "Cloud Router peer alibaba-peer-primary"
  std::string connection;  // the connection it belongs to (Alibaba port id, else Google circuit id); may be empty
  CheckResult check;
};

// A Google circuit and the Alibaba port at its other end.
struct CircuitMap {
  std::string circuitId, googleDemarc;
  std::string physicalConnectionId;  // the Alibaba port, empty when none is known
  std::string vbrId;
  std::string matchedBy;             // "CircuitCode", "customerDemarcId", "ARP"
  bool crossed = false;              // the declared and the observed (or the two declared) ports differ
};

struct Reconciliation {
  std::vector<Finding> findings;
  std::vector<CircuitMap> circuits;
  std::vector<PairReport> pairs;
  Status status = Status::Ok;  // worst finding; the exit code
};

Reconciliation reconcile(const cloud::Intent& intent);

}  // namespace linkready::intent
