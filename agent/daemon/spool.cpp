#include "agent/daemon/spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace linkready {

namespace {

constexpr const char* kSequenceFile = "sequence";

std::string safeName(const std::string& link) {
  std::string s;
  for (char c : link) s.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_');
  return s;
}

// "00000000000000000042-primary-change.json"
std::optional<SpoolEntry> parseName(const std::string& dir, const std::string& name) {
  if (name.size() < 26 || name.compare(name.size() - 5, 5, ".json") != 0 || name[20] != '-') return std::nullopt;
  SpoolEntry e;
  try {
    e.sequence = std::stoull(name.substr(0, 20));
  } catch (...) {
    return std::nullopt;
  }
  std::string rest = name.substr(21, name.size() - 26);
  size_t dash = rest.rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string kind = rest.substr(dash + 1);
  if (kind == "change") e.kind = EventKind::Change;
  else if (kind == "heartbeat") e.kind = EventKind::Heartbeat;
  else return std::nullopt;
  e.link = rest.substr(0, dash);
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

}  // namespace


tl::expected<std::unique_ptr<Spool>, std::string> Spool::open(const std::string& dir, uint64_t maxBytes) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return tl::unexpected("cannot create the spool directory " + dir + ": " + strerror(errno));
  DIR* d = opendir(dir.c_str());
  if (!d) return tl::unexpected("cannot read the spool directory " + dir + ": " + strerror(errno));
  std::unique_ptr<Spool> s(new Spool(dir, maxBytes));
  uint64_t maxSeen = 0;
  while (dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (name.rfind(".tmp-", 0) == 0) {  // a write that never reached its rename
      unlink((dir + "/" + name).c_str());
      continue;
    }
    if (auto e = parseName(dir, name)) {
      maxSeen = std::max(maxSeen, e->sequence);
      s->entries_.push_back(*e);
    }
  }
  closedir(d);
  std::sort(s->entries_.begin(), s->entries_.end(),
            [](const SpoolEntry& a, const SpoolEntry& b) { return a.sequence < b.sequence; });
  std::ifstream seq(dir + "/" + kSequenceFile);
  uint64_t stored = 0;
  seq >> stored;
  s->nextSequence_ = std::max(maxSeen, stored) + 1;
  return s;
}

tl::expected<void, std::string> Spool::writeAtomically(const std::string& name, const std::string& content) {
  std::string tmp = dir_ + "/.tmp-" + name;
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
  if (rename(tmp.c_str(), (dir_ + "/" + name).c_str()) != 0) {
    std::string err = strerror(errno);
    unlink(tmp.c_str());
    return tl::unexpected("rename into " + dir_ + ": " + err);
  }
  fsyncDir(dir_);
  return {};
}

void Spool::evictFor(uint64_t incoming) {
  uint64_t total = 0;
  for (const auto& e : entries_) total += e.bytes;
  // Oldest heartbeats first: a newer heartbeat says the same; state changes last.
  for (EventKind kind : {EventKind::Heartbeat, EventKind::Change}) {
    for (auto it = entries_.begin(); it != entries_.end() && total + incoming > maxBytes_;) {
      if (it->kind != kind) {
        ++it;
        continue;
      }
      unlink(it->path.c_str());
      total -= it->bytes;
      (kind == EventKind::Heartbeat ? counters_.droppedHeartbeats : counters_.droppedChanges)++;
      it = entries_.erase(it);
    }
  }
}

tl::expected<SpoolEntry, std::string> Spool::add(const std::string& link, EventKind kind,
                                                 const std::function<std::string(uint64_t)>& render) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t seq = nextSequence_;
  std::string content = render(seq);
  char name[64];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(seq));
  std::string file = std::string(name) + "-" + safeName(link) + "-" + std::string(eventKindName(kind)) + ".json";
  evictFor(content.size());
  // The sequence is stored first: a crash between the two writes skips a number, it never
  // reuses one (receivers drop duplicates by it).
  if (auto r = writeAtomically(kSequenceFile, std::to_string(seq) + "\n"); !r) return tl::unexpected(r.error());
  if (auto r = writeAtomically(file, content); !r) return tl::unexpected(r.error());
  nextSequence_ = seq + 1;
  SpoolEntry e{seq, safeName(link), kind, dir_ + "/" + file, content.size()};
  entries_.push_back(e);
  ++counters_.spooled;
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
  unlink(e.path.c_str());
  fsyncDir(dir_);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const SpoolEntry& x) { return x.sequence == e.sequence; }),
                 entries_.end());
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

}  // namespace linkready
