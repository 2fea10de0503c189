// The on-disk spool of readiness reports: each report is written (atomic write, fsync,
// rename, fsync of the directory) before anyone tries to send it, and removed only once
// the orchestrator answered (a removal lost with the power sends that report again, under
// the same id, which receivers drop). Sequence numbers survive restarts: the reports' own
// file names hold them, and the sequence file is brought up to date only before the
// highest of them leaves; the spool id, made when the
// spool is, tells this spool's reports apart from those of any other spool (another agent,
// or this one after its state was wiped). A newer heartbeat of a link supersedes the older
// ones still waiting (state changes are all kept). A size cap evicts the oldest heartbeats
// first and state changes last, and counts what it dropped; it evicts only once the new
// report is on disk, so a write that fails (a full disk) loses no report already waiting. Files that are not reports, and
// reports the orchestrator refused for good, go to the dead-letter directory beside the
// spool with the reason.
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
  uint64_t droppedHeartbeats = 0;    // evicted by the size cap
  uint64_t droppedChanges = 0;
  uint64_t coalescedHeartbeats = 0;  // superseded by a newer heartbeat of the same link
  uint64_t writeErrors = 0;          // reports that could not be written (disk full, read-only)
  uint64_t quarantined = 0;          // files that were not readable reports
  uint64_t rejected = 0;             // reports the orchestrator refused for good
};

class Spool {
 public:
  // Creates the directory (0700) if needed, removes half-written files, quarantines files
  // that are not reports, and picks up what an earlier run left, in sequence order. Never
  // fails: a directory that cannot be created, read or written leaves the spool degraded
  // (problem() says why) and add() tries again.
  static std::unique_ptr<Spool> open(const std::string& dir, uint64_t maxBytes);

  // Assigns the next sequence number, renders the document for it and stores it durably.
  tl::expected<SpoolEntry, std::string> add(
      const std::string& link, EventKind kind,
      const std::function<std::string(const std::string& spoolId, uint64_t sequence)>& render);

  std::optional<SpoolEntry> oldest() const;
  tl::expected<std::string, std::string> read(const SpoolEntry& e) const;
  void remove(const SpoolEntry& e);
  // Moves a report out of the way, beside the spool, with `why` in NAME.reason. `rejected`:
  // the orchestrator refused it; otherwise it is not a readable report (quarantine).
  void deadLetter(const SpoolEntry& e, const std::string& why, bool rejected);

  std::vector<SpoolEntry> entries() const;
  uint64_t bytes() const;
  SpoolCounters counters() const;
  // Empty while the spool can store reports; otherwise what stops it, for a person.
  std::string problem() const;
  // What a person should know although the spool works (files quarantined at start).
  std::string notes() const;
  std::string spoolId() const;
  const std::string& dir() const { return dir_; }
  std::string deadLetterDir() const { return dir_ + "-dead-letter"; }

 private:
  Spool(std::string dir, uint64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {}
  // With mutex_ held: loads the directory and makes the spool id when not done yet.
  bool ensureUsable();
  bool load();
  void evictFor(uint64_t keep);  // down to the cap, keeping report `keep`
  void coalesce(const std::string& link, uint64_t newest);
  void moveAside(const SpoolEntry& e, const std::string& why);
  // Before the file of report `leaving` goes: makes sure the numbers handed out stay known
  // to a restart (false: they could not be recorded, and the file should stay).
  bool rememberNumbers(uint64_t leaving);
  tl::expected<void, std::string> writeAtomically(const std::string& dir, const std::string& name,
                                                  const std::string& content);
  void setProblem(std::string why);

  std::string dir_;
  uint64_t maxBytes_;
  mutable std::mutex mutex_;
  bool loaded_ = false;
  std::string spoolId_;
  std::string problem_;
  std::string notes_;
  std::vector<SpoolEntry> entries_;  // sequence order
  uint64_t nextSequence_ = 1;
  uint64_t recordedSequence_ = 0;  // what the sequence file holds
  SpoolCounters counters_;
};

// A spooled document's report id (the CloudEvent `id`), or why it is not a report.
tl::expected<std::string, std::string> spooledReportId(const std::string& document);

}  // namespace linkready
