// The spool without root: eviction order and its counters, heartbeat coalescing, the spool
// id (kept across restarts, new for a wiped spool), files that are not reports quarantined.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/daemon/spool.h"

using namespace linkready;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/linkready-spool-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

// A CloudEvent-shaped document of `size` bytes (padding in data).
std::string document(const std::string& spoolId, uint64_t seq, size_t size = 200) {
  std::string head = "{\"id\":\"edge/" + spoolId + "/" + std::to_string(seq) + "\",\"data\":{\"pad\":\"";
  std::string tail = "\"}}";
  return head + std::string(size > head.size() + tail.size() ? size - head.size() - tail.size() : 0, 'x') + tail;
}

SpoolEntry add(Spool& s, const std::string& link, EventKind kind, size_t size = 200) {
  auto e = s.add(link, kind, [&](const std::string& id, uint64_t seq) { return document(id, seq, size); });
  REQUIRE(e);
  return *e;
}

std::vector<uint64_t> sequences(const Spool& s) {
  std::vector<uint64_t> out;
  for (const auto& e : s.entries()) out.push_back(e.sequence);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("spool: the cap evicts the oldest heartbeats first, state changes last, and counts them", "[spool]") {
  TempDir t;
  auto s = Spool::open(t.path + "/spool", 1000);  // room for five 200-byte reports
  REQUIRE(s->problem().empty());
  add(*s, "a", EventKind::Change);     // 1
  add(*s, "a", EventKind::Heartbeat);  // 2
  add(*s, "b", EventKind::Heartbeat);  // 3
  add(*s, "b", EventKind::Change);     // 4
  add(*s, "c", EventKind::Heartbeat);  // 5
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 2, 3, 4, 5});
  add(*s, "d", EventKind::Change);  // 6: heartbeat 2 goes
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 3, 4, 5, 6});
  add(*s, "e", EventKind::Change);  // 7: heartbeat 3 goes
  add(*s, "f", EventKind::Change);  // 8: heartbeat 5 goes
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 4, 6, 7, 8});
  add(*s, "g", EventKind::Change);  // 9: no heartbeat left: the oldest change goes
  CHECK(sequences(*s) == std::vector<uint64_t>{4, 6, 7, 8, 9});
  auto c = s->counters();
  CHECK(c.spooled == 9);
  CHECK(c.droppedHeartbeats == 3);
  CHECK(c.droppedChanges == 1);
  CHECK(s->bytes() == 1000);
  CHECK_FALSE(fs::exists(t.path + "/spool/00000000000000000002-a-heartbeat.json"));
  CHECK(fs::exists(t.path + "/spool/00000000000000000004-b-change.json"));
}

TEST_CASE("spool: a report that cannot be written evicts nothing: the reports waiting stay", "[spool]") {
  TempDir t;
  auto s = Spool::open(t.path + "/spool", 1000);  // room for five 200-byte reports
  add(*s, "a", EventKind::Change);     // 1
  add(*s, "a", EventKind::Heartbeat);  // 2
  add(*s, "b", EventKind::Heartbeat);  // 3
  add(*s, "b", EventKind::Change);     // 4
  add(*s, "c", EventKind::Heartbeat);  // 5
  // The write of report 6 fails (as on a full disk; here its temporary file's name is taken
  // by a directory, which fails for root too).
  std::string blocker = t.path + "/spool/.tmp-00000000000000000006-d-change.json";
  REQUIRE(fs::create_directory(blocker));
  auto failed = s->add("d", EventKind::Change, [&](const std::string& id, uint64_t seq) { return document(id, seq); });
  REQUIRE_FALSE(failed);
  CHECK_THAT(failed.error(), Catch::Contains("cannot write"));
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 2, 3, 4, 5});  // before: heartbeat 2 was gone
  CHECK(fs::exists(t.path + "/spool/00000000000000000002-a-heartbeat.json"));
  CHECK(s->counters().droppedHeartbeats == 0);
  CHECK(s->counters().writeErrors == 1);
  // Written once it can be: then the cap makes room, as always.
  fs::remove(blocker);
  add(*s, "d", EventKind::Change);  // 6
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 3, 4, 5, 6});
  CHECK(s->counters().droppedHeartbeats == 1);
  CHECK(s->bytes() == 1000);
}

TEST_CASE("spool: a newer heartbeat of a link supersedes the older ones still waiting, changes all stay", "[spool]") {
  TempDir t;
  auto s = Spool::open(t.path + "/spool", 1 << 20);
  add(*s, "a", EventKind::Heartbeat);  // 1
  add(*s, "b", EventKind::Heartbeat);  // 2
  add(*s, "a", EventKind::Change);     // 3
  add(*s, "a", EventKind::Heartbeat);  // 4: 1 goes
  add(*s, "a", EventKind::Change);     // 5
  add(*s, "a", EventKind::Heartbeat);  // 6: 4 goes
  CHECK(sequences(*s) == std::vector<uint64_t>{2, 3, 5, 6});
  CHECK(s->counters().coalescedHeartbeats == 2);
  CHECK(s->counters().droppedHeartbeats == 0);
  CHECK(s->oldest()->sequence == 2);

  // A backlog from a run that did not coalesce is coalesced when the spool opens.
  for (uint64_t seq : {7, 8, 9}) {
    char name[80];
    std::snprintf(name, sizeof name, "%s/spool/%020llu-b-heartbeat.json", t.path.c_str(), (unsigned long long)seq);
    std::ofstream(name) << document("old", seq);
  }
  auto reopened = Spool::open(t.path + "/spool", 1 << 20);
  CHECK(sequences(*reopened) == std::vector<uint64_t>{3, 5, 6, 9});
  CHECK(reopened->counters().coalescedHeartbeats == 3);
}

TEST_CASE("spool: links whose names differ only in characters a file name cannot hold keep their own heartbeats",
          "[spool]") {
  TempDir t;
  auto s = Spool::open(t.path + "/spool", 1 << 20);
  for (const char* link : {"\xe6\x9d\xb1\xe4\xba\xac-1", "\xe4\xb8\x8a\xe6\xb5\xb7-1", "hk/primary", "hk:primary"})
    add(*s, link, EventKind::Heartbeat);
  CHECK(sequences(*s) == std::vector<uint64_t>{1, 2, 3, 4});
  CHECK(s->counters().coalescedHeartbeats == 0);
  // Each reads back under its own name, after a restart too; the same link's next heartbeat
  // supersedes its own only.
  auto reopened = Spool::open(t.path + "/spool", 1 << 20);
  std::vector<std::string> links;
  for (const auto& e : reopened->entries()) links.push_back(e.link);
  CHECK(links == std::vector<std::string>{"\xe6\x9d\xb1\xe4\xba\xac-1", "\xe4\xb8\x8a\xe6\xb5\xb7-1",
                                          "hk/primary", "hk:primary"});
  add(*reopened, "hk/primary", EventKind::Heartbeat);
  CHECK(sequences(*reopened) == std::vector<uint64_t>{1, 2, 4, 5});
}

TEST_CASE("spool: a name too long for a file name (40 Chinese characters) is stored, told apart, and recognised "
          "after a restart",
          "[spool]") {
  TempDir t;
  std::string base;
  for (int i = 0; i < 39; ++i) base += "\xe4\xb8\x8a";  // 39 x U+4E0A
  std::string a = base + "\xe4\xb8\x80", b = base + "\xe4\xba\x8c";  // ...and one more: U+4E00, U+4E8C
  {
    auto s = Spool::open(t.path + "/spool", 1 << 20);
    add(*s, a, EventKind::Heartbeat);  // 1
    add(*s, b, EventKind::Heartbeat);  // 2
    CHECK(s->problem().empty());
    CHECK(sequences(*s) == std::vector<uint64_t>{1, 2});
    for (const auto& e : s->entries()) CHECK(std::filesystem::path(e.path).filename().string().size() < 200);
  }
  auto s = Spool::open(t.path + "/spool", 1 << 20);
  add(*s, a, EventKind::Heartbeat);  // 3: supersedes 1, not 2
  CHECK(sequences(*s) == std::vector<uint64_t>{2, 3});
}

TEST_CASE("spool: the spool id is made with the spool, kept across restarts, new when the spool is wiped",
          "[spool]") {
  TempDir t;
  std::string dir = t.path + "/spool";
  auto first = Spool::open(dir, 1 << 20);
  std::string id = first->spoolId();
  CHECK(id.size() == 32);
  auto e = add(*first, "a", EventKind::Change);
  CHECK(spooledReportId(*first->read(e)) == "edge/" + id + "/1");
  first.reset();

  auto again = Spool::open(dir, 1 << 20);
  CHECK(again->spoolId() == id);
  CHECK(add(*again, "a", EventKind::Change).sequence == 2);  // sequences go on
  again.reset();

  fs::remove_all(dir);  // a reinstall, a new disk
  auto wiped = Spool::open(dir, 1 << 20);
  CHECK(wiped->spoolId().size() == 32);
  CHECK(wiped->spoolId() != id);
  auto fresh = add(*wiped, "a", EventKind::Change);
  CHECK(fresh.sequence == 1);
  CHECK(spooledReportId(*wiped->read(fresh)) == "edge/" + wiped->spoolId() + "/1");
}

TEST_CASE("spool: a number is never handed out twice, though the sequence file is written only when the highest "
          "report leaves",
          "[spool]") {
  TempDir t;
  std::string dir = t.path + "/spool";
  auto s = Spool::open(dir, 1 << 20);
  auto one = add(*s, "a", EventKind::Change), two = add(*s, "b", EventKind::Heartbeat),
       three = add(*s, "c", EventKind::Heartbeat);
  CHECK_FALSE(fs::exists(dir + "/sequence"));  // the reports' names hold their numbers
  s->remove(one);
  s->remove(two);
  CHECK_FALSE(fs::exists(dir + "/sequence"));  // 3 is still on disk
  CHECK_FALSE(fs::exists(one.path));
  s->remove(three);
  CHECK(slurp(dir + "/sequence") == "3\n");  // before the last one went
  CHECK(s->entries().empty());
  s.reset();
  auto again = Spool::open(dir, 1 << 20);  // a restart with nothing left to deliver
  CHECK(add(*again, "a", EventKind::Change).sequence == 4);
  // A newer heartbeat of a link replaces the older one: no write of the sequence file either.
  add(*again, "b", EventKind::Heartbeat);
  add(*again, "b", EventKind::Heartbeat);
  CHECK(sequences(*again) == std::vector<uint64_t>{4, 6});
  CHECK(slurp(dir + "/sequence") == "3\n");
  // The highest report refused for good, the others still waiting: its number is recorded.
  auto seven = add(*again, "c", EventKind::Change);
  again->deadLetter(seven, "refused by the orchestrator: HTTP 400", true);
  CHECK(slurp(dir + "/sequence") == "7\n");
  again.reset();
  auto reopened = Spool::open(dir, 1 << 20);
  CHECK(add(*reopened, "a", EventKind::Change).sequence == 8);
  // Even without the sequence file, a number moved aside is not handed out again.
  auto nine = add(*reopened, "d", EventKind::Change);
  reopened->deadLetter(nine, "refused by the orchestrator: HTTP 400", true);
  reopened.reset();
  fs::remove(dir + "/sequence");
  for (const auto& e : fs::directory_iterator(dir))  // and nothing left waiting
    if (e.path().extension() == ".json") fs::remove(e.path());
  CHECK(add(*Spool::open(dir, 1 << 20), "a", EventKind::Change).sequence == 10);
}

TEST_CASE("spool: truncated or foreign files found at start are quarantined with the reason, the rest stays",
          "[spool]") {
  TempDir t;
  std::string dir = t.path + "/spool";
  {
    auto s = Spool::open(dir, 1 << 20);
    add(*s, "a", EventKind::Change);  // 1
    add(*s, "a", EventKind::Change);  // 2
    add(*s, "b", EventKind::Change);  // 3
  }
  std::string second = dir + "/00000000000000000002-a-change.json";
  std::string full = slurp(second);
  std::ofstream(second, std::ios::trunc) << full.substr(0, full.size() / 2);  // a crash mid-write, a full disk
  std::ofstream(dir + "/00000000000000000003-b-change.json", std::ios::trunc) << "[1,2,3]";
  auto s = Spool::open(dir, 1 << 20);
  CHECK(sequences(*s) == std::vector<uint64_t>{1});
  CHECK(s->counters().quarantined == 2);
  CHECK(s->problem().empty());
  CHECK(s->notes() == "2 unreadable spool file(s) quarantined in " + dir + "-dead-letter");
  CHECK(slurp(dir + "-dead-letter/00000000000000000002-a-change.json") == full.substr(0, full.size() / 2));
  CHECK(slurp(dir + "-dead-letter/00000000000000000002-a-change.json.reason") ==
        "not a readable report: not JSON (truncated or corrupt)\n");
  CHECK(slurp(dir + "-dead-letter/00000000000000000003-b-change.json.reason") ==
        "not a readable report: not a JSON object\n");
  // Numbers are never reused, even those of quarantined files.
  CHECK(add(*s, "a", EventKind::Change).sequence == 4);
}

TEST_CASE("spool: a directory that cannot be made leaves the spool degraded, not the agent dead", "[spool]") {
  TempDir t;
  std::ofstream(t.path + "/file") << "x";
  auto s = Spool::open(t.path + "/file/spool", 1 << 20);  // a file where a directory should be
  CHECK(s->problem() == "cannot create the spool directory " + t.path + "/file/spool: Not a directory");
  auto e = s->add("a", EventKind::Change, [](const std::string& id, uint64_t seq) { return document(id, seq); });
  REQUIRE_FALSE(e);
  CHECK(e.error() == s->problem());
  CHECK(s->counters().writeErrors == 1);
  // Fixed by hand: the next report is stored and the problem is gone.
  fs::remove(t.path + "/file");
  fs::create_directory(t.path + "/file");
  add(*s, "a", EventKind::Change);
  CHECK(s->problem().empty());
  CHECK(sequences(*s) == std::vector<uint64_t>{1});
}
