// The on-disk spool of readiness reports: each report is written (atomic write, fsync,
// rename, fsync of the directory) before anyone tries to send it, and removed only once
// the orchestrator answered 2xx. Sequence numbers survive restarts. A size cap evicts the
// oldest heartbeats first and state changes last, and counts what it dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "agent/render/cloudevent.h"

namespace linkready {

struct SpoolEntry {
  uint64_t sequence = 0;
  std::string link;
  EventKind kind = EventKind::Change;
  std::string path;
  uint64_t bytes = 0;
};

struct SpoolCounters {
  uint64_t spooled = 0;
  uint64_t droppedHeartbeats = 0;
  uint64_t droppedChanges = 0;
};

class Spool {
 public:
  // Creates the directory (0700) if needed, removes half-written files, and picks up what
  // an earlier run left, in sequence order.
  static tl::expected<std::unique_ptr<Spool>, std::string> open(const std::string& dir, uint64_t maxBytes);

  // Assigns the next sequence number, renders the document for it and stores it durably.
  tl::expected<SpoolEntry, std::string> add(const std::string& link, EventKind kind,
                                            const std::function<std::string(uint64_t sequence)>& render);

  std::optional<SpoolEntry> oldest() const;
  tl::expected<std::string, std::string> read(const SpoolEntry& e) const;
  void remove(const SpoolEntry& e);

  std::vector<SpoolEntry> entries() const;
  uint64_t bytes() const;
  SpoolCounters counters() const;
  const std::string& dir() const { return dir_; }

 private:
  Spool(std::string dir, uint64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {}
  void evictFor(uint64_t incoming);  // with mutex_ held
  tl::expected<void, std::string> writeAtomically(const std::string& name, const std::string& content);

  std::string dir_;
  uint64_t maxBytes_;
  mutable std::mutex mutex_;
  std::vector<SpoolEntry> entries_;  // sequence order
  uint64_t nextSequence_ = 1;
  SpoolCounters counters_;
};

}  // namespace linkready
