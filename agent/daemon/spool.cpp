#include "agent/daemon/spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "config/url.h"

namespace linkready {

namespace {

constexpr const char* kSequenceFile = "sequence";
constexpr const char* kSpoolIdFile = "spool-id";

bool keptInFileName(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; }

constexpr size_t kNameInFile = 120;  // with the rest of ".tmp-<20 digits>-NAME-heartbeat.json": < NAME_MAX

// A link's name in a file name: ASCII letters, digits, '-', '.' and '_' as they are, any
// other byte (a '/', a space, a name in Chinese, '%' itself) as %XX. Two names never share
// a file name (a heartbeat of one must not supersede the other's), and the name reads back.
// A name longer than that holds (a Chinese character takes 9) keeps its start and a hash of
// the whole after '~' (which the encoding never writes otherwise).
std::string fileNameOf(const std::string& link) {
  std::string s;
  for (char c : link) {
    auto u = static_cast<unsigned char>(c);
    if (keptInFileName(u)) {
      s.push_back(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", u);
      s += hex;
    }
  }
  if (s.size() <= kNameInFile) return s;
  uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (char c : link) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  size_t cut = kNameInFile - 17;
  if (s[cut - 1] == '%') cut -= 1;  // never half an escape
  else if (s[cut - 2] == '%') cut -= 2;
  char tail[18];
  std::snprintf(tail, sizeof tail, "~%016llx", static_cast<unsigned long long>(h));
  return s.substr(0, cut) + tail;
}


// "00000000000000000042-primary-change.json"
std::optional<SpoolEntry> parseName(const std::string& dir, const std::string& name) {
  if (name.size() < 26 || name.compare(name.size() - 5, 5, ".json") != 0 || name[20] != '-') return std::nullopt;
  SpoolEntry e;
  if (!std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  try {
    e.sequence = std::stoull(name.substr(0, 20));
  } catch (...) {
    return std::nullopt;  // above 2^64
  }
  std::string rest = name.substr(21, name.size() - 26);
  size_t dash = rest.rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string kind = rest.substr(dash + 1);
  if (kind == "change") e.kind = EventKind::Change;
  else if (kind == "heartbeat") e.kind = EventKind::Heartbeat;
  else return std::nullopt;
  e.link = percentDecode(rest.substr(0, dash));
  e.path = dir + "/" + name;
  struct stat st {};
  if (stat(e.path.c_str(), &st) == 0) e.bytes = uint64_t(st.st_size);
  return e;
}

int fsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string baseName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// 128 random bits in hex: unique enough that two spools never share one.
std::string newSpoolId() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n > 0) got += size_t(n);
  }
  std::string id;
  char hex[3];
  for (unsigned char b : bytes) std::snprintf(hex, sizeof hex, "%02x", b), id += hex;
  return id;
}

bool validSpoolId(const std::string& s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::shared_ptr<spdlog::logger> logger() { return spdlog::get("agent"); }

}  // namespace

tl::expected<std::string, std::string> spooledReportId(const std::string& document) {
  auto j = nlohmann::json::parse(document, nullptr, false);
  if (j.is_discarded()) return tl::unexpected<std::string>("not JSON (truncated or corrupt)");
  if (!j.is_object()) return tl::unexpected<std::string>("not a JSON object");
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty())
    return tl::unexpected<std::string>("no CloudEvent id");
  if (!j.contains("data")) return tl::unexpected<std::string>("no CloudEvent data");
  return id->get<std::string>();
}

std::unique_ptr<Spool> Spool::open(const std::string& dir, uint64_t maxBytes) {
  std::unique_ptr<Spool> s(new Spool(dir, maxBytes));
  std::lock_guard<std::mutex> lock(s->mutex_);
  if (s->ensureUsable() && access(dir.c_str(), W_OK) != 0)
    s->setProblem("the spool directory " + dir + " is not writable: " + strerror(errno));
  return s;
}

void Spool::setProblem(std::string why) {
  if (why == problem_) return;
  if (auto log = logger()) {
    if (!why.empty()) log->error("spool: {}; reports are not being saved until this is fixed", why);
    else log->info("spool: {} writable again, reports are saved", dir_);
  }
  problem_ = std::move(why);
}

bool Spool::ensureUsable() {
  if (!loaded_ && !load()) return false;
  if (!spoolId_.empty()) return true;
  std::string id = newSpoolId();
  if (auto r = writeAtomically(dir_, kSpoolIdFile, id + "\n"); !r) {
    setProblem(r.error());
    return false;
  }
  spoolId_ = id;
  return true;
}

bool Spool::load() {
  if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    setProblem("cannot create the spool directory " + dir_ + ": " + strerror(errno));
    return false;
  }
  DIR* d = opendir(dir_.c_str());
  if (!d) {
    setProblem("cannot read the spool directory " + dir_ + ": " + strerror(errno));
    return false;
  }
  uint64_t maxSeen = 0;
  std::vector<SpoolEntry> bad;
  std::map<std::string, std::string> why;
  while (dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (name.rfind(".tmp-", 0) == 0) {  // a write that never reached its rename
      unlink((dir_ + "/" + name).c_str());
      continue;
    }
    auto e = parseName(dir_, name);
    if (!e) continue;
    maxSeen = std::max(maxSeen, e->sequence);
    // A crash, a full disk or a hand can leave a file that is not a report: it would block
    // or poison delivery, so it goes aside and the rest goes on.
    auto id = spooledReportId(readFile(e->path));
    if (!id) {
      why[e->path] = id.error();
      bad.push_back(*e);
      continue;
    }
    entries_.push_back(*e);
  }
  closedir(d);
  // Reports moved aside keep their numbers too: a restart must not hand them out again.
  if (DIR* dead = opendir(deadLetterDir().c_str())) {
    while (dirent* de = readdir(dead))
      if (auto e = parseName(deadLetterDir(), de->d_name)) maxSeen = std::max(maxSeen, e->sequence);
    closedir(dead);
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const SpoolEntry& a, const SpoolEntry& b) { return a.sequence < b.sequence; });
  std::string seq = readFile(dir_ + "/" + kSequenceFile);
  uint64_t stored = 0;
  std::sscanf(seq.c_str(), "%20llu", reinterpret_cast<unsigned long long*>(&stored));
  nextSequence_ = std::max(maxSeen, stored) + 1;
  recordedSequence_ = stored;
  std::string id = readFile(dir_ + "/" + kSpoolIdFile);
  while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back()))) id.pop_back();
  if (validSpoolId(id)) spoolId_ = id;
  else if (!id.empty() && logger())
    logger()->warn("spool: {}/{} is not a spool id: a new one is made (the reports spooled keep theirs)", dir_,
                   kSpoolIdFile);
  loaded_ = true;
  for (const auto& e : bad) moveAside(e, "not a readable report: " + why[e.path]);
  counters_.quarantined += bad.size();
  if (!bad.empty())
    notes_ = std::to_string(bad.size()) + " unreadable spool file(s) quarantined in " + deadLetterDir();
  // A backlog left by a run without coalescing (or a crash mid-way): one heartbeat per link.
  std::map<std::string, uint64_t> newest;
  for (const auto& e : entries_)
    if (e.kind == EventKind::Heartbeat) newest[e.link] = e.sequence;
  for (const auto& [link, seqNo] : newest) coalesce(link, seqNo);
  setProblem("");
  return true;
}

tl::expected<void, std::string> Spool::writeAtomically(const std::string& dir, const std::string& name,
                                                       const std::string& content) {
  std::string tmp = dir + "/.tmp-" + name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected("cannot write " + tmp + ": " + strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string err = strerror(errno);
      close(fd);
      unlink(tmp.c_str());
      return tl::unexpected("cannot write " + tmp + ": " + err);
    }
    off += size_t(n);
  }
  if (fsync(fd) != 0) {
    std::string err = strerror(errno);
    close(fd);
    unlink(tmp.c_str());
    return tl::unexpected("fsync " + tmp + ": " + err);
  }
  close(fd);
  if (rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) {
    std::string err = strerror(errno);
    unlink(tmp.c_str());
    return tl::unexpected("rename into " + dir + ": " + err);
  }
  // The file is complete and in place: a directory that cannot be synced (an I/O error)
  // leaves it only less certain to survive a power cut, which the log says.
  if (fsyncDir(dir) != 0) {
    int e = errno;
    if (auto log = logger()) log->warn("spool: fsync of {} failed ({}): {} may be lost with the power", dir, strerror(e), name);
  }
  return {};
}

bool Spool::rememberNumbers(uint64_t leaving) {
  uint64_t highest = nextSequence_ - 1;
  if (recordedSequence_ >= highest) return true;
  for (const auto& e : entries_)  // a report with the highest number stays: its name says it
    if (e.sequence == highest && e.sequence != leaving) return true;
  if (!writeAtomically(dir_, kSequenceFile, std::to_string(highest) + "\n")) return false;
  recordedSequence_ = highest;
  return true;
}

void Spool::evictFor(uint64_t keep) {
  uint64_t total = 0;
  for (const auto& e : entries_) total += e.bytes;
  // Oldest heartbeats first: a newer heartbeat says the same; state changes last. The report
  // just written stays, even alone over the cap.
  for (EventKind kind : {EventKind::Heartbeat, EventKind::Change}) {
    for (auto it = entries_.begin(); it != entries_.end() && total > maxBytes_;) {
      if (it->kind != kind || it->sequence == keep) {
        ++it;
        continue;
      }
      if (rememberNumbers(it->sequence)) unlink(it->path.c_str());
      total -= it->bytes;
      (kind == EventKind::Heartbeat ? counters_.droppedHeartbeats : counters_.droppedChanges)++;
      it = entries_.erase(it);
    }
  }
}

void Spool::coalesce(const std::string& link, uint64_t newest) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->kind == EventKind::Heartbeat && it->link == link && it->sequence < newest) {
      if (rememberNumbers(it->sequence)) unlink(it->path.c_str());
      ++counters_.coalescedHeartbeats;
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

tl::expected<SpoolEntry, std::string> Spool::add(
    const std::string& link, EventKind kind,
    const std::function<std::string(const std::string& spoolId, uint64_t sequence)>& render) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ensureUsable()) {
    ++counters_.writeErrors;
    return tl::unexpected(problem_);
  }
  uint64_t seq = nextSequence_;
  std::string content = render(spoolId_, seq);
  char name[64];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(seq));
  std::string file = std::string(name) + "-" + fileNameOf(link) + "-" + std::string(eventKindName(kind)) + ".json";
  // Written before anything is evicted for it: when the write fails (a full disk), the
  // reports waiting stay. Its name holds its number: no sequence file to write now
  // (rememberNumbers).
  auto stored = writeAtomically(dir_, file, content);
  if (!stored) {
    ++counters_.writeErrors;
    setProblem(stored.error());
    return tl::unexpected(stored.error());
  }
  setProblem("");
  nextSequence_ = seq + 1;
  // The name as its file name gives it back after a restart (the whole name unless it is
  // very long): heartbeats of one link are recognised as one, across restarts too.
  SpoolEntry e{seq, percentDecode(fileNameOf(link)), kind, dir_ + "/" + file, content.size()};
  entries_.push_back(e);
  ++counters_.spooled;
  // Only once the new heartbeat is on disk do the older ones of its link go.
  if (kind == EventKind::Heartbeat) coalesce(e.link, seq);  // e.link: as entries read from disk carry it
  evictFor(seq);  // the cap may be passed by this one report for as long as the write took
  return e;
}

std::optional<SpoolEntry> Spool::oldest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.empty()) return std::nullopt;
  return entries_.front();
}

tl::expected<std::string, std::string> Spool::read(const SpoolEntry& e) const {
  std::ifstream in(e.path, std::ios::binary);
  if (!in) return tl::unexpected("cannot read " + e.path + ": " + strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spool::remove(const SpoolEntry& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  // No fsync of the directory: a removal lost with the power only sends the report again.
  // When its number cannot be recorded, the file stays to keep it (sent again after a
  // restart, under the same id).
  if (rememberNumbers(e.sequence)) unlink(e.path.c_str());
  // Gone from the queue even when the file could not be removed (a read-only directory):
  // a report already delivered is not sent again and again.
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const SpoolEntry& x) { return x.sequence == e.sequence; }),
                 entries_.end());
}

void Spool::moveAside(const SpoolEntry& e, const std::string& why) {
  std::string dead = deadLetterDir();
  std::string name = baseName(e.path);
  bool kept = false;
  // Its number stays known in the sequence file or, moved aside, in its name (load reads the
  // dead-letter names); only a file that can go nowhere needs the sequence file first.
  bool remembered = rememberNumbers(e.sequence);
  if (mkdir(dead.c_str(), 0700) == 0 || errno == EEXIST) {
    kept = rename(e.path.c_str(), (dead + "/" + name).c_str()) == 0;
    if (kept) {
      (void)writeAtomically(dead, name + ".reason", why + "\n");
      fsyncDir(dir_);
    }
  }
  // It leaves the queue either way, so as not to block it; left on disk when its number
  // could not be recorded (it is then tried again after a restart).
  if (!kept && remembered) unlink(e.path.c_str());
  if (auto log = logger())
    log->error("spool: report {} ({}) {}: {}", e.sequence, name, kept ? "moved to " + dead : "removed (" + dead +
               " is not writable)", why);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const SpoolEntry& x) { return x.sequence == e.sequence; }),
                 entries_.end());
}

void Spool::deadLetter(const SpoolEntry& e, const std::string& why, bool rejected) {
  std::lock_guard<std::mutex> lock(mutex_);
  moveAside(e, why);
  ++(rejected ? counters_.rejected : counters_.quarantined);
}

std::vector<SpoolEntry> Spool::entries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_;
}

uint64_t Spool::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t total = 0;
  for (const auto& e : entries_) total += e.bytes;
  return total;
}

SpoolCounters Spool::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

std::string Spool::problem() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return problem_;
}

std::string Spool::notes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return notes_;
}

std::string Spool::spoolId() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spoolId_;
}

}  // namespace linkready
