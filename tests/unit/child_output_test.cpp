// The child-output reader behind the vtysh fallback and the tests' run(): both pipes read
// to the end, and a child that does not finish by the deadline is killed and reaped.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "probes/common/child_output.h"

extern char** environ;

namespace {

pid_t spawnShell(const char* script, int& outFd, int& errFd) {
  int out[2], err[2];
  REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(pipe2(err, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  const char* argv[] = {"sh", "-c", script, nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawnp(&pid, "sh", &fa, nullptr, const_cast<char**>(argv), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  outFd = out[0];
  errFd = err[0];
  return pid;
}

}  // namespace

TEST_CASE("child output: stdout and stderr read to the end, the exit status kept", "[child]") {
  int out = -1, err = -1;
  pid_t pid = spawnShell("printf 'show bgp\\n'; printf 'warning\\n' >&2; exit 3", out, err);
  auto r = linkready::collectChild(pid, out, err, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  CHECK(r.out == "show bgp\n");
  CHECK(r.err == "warning\n");
  CHECK_FALSE(r.timedOut);
  REQUIRE(WIFEXITED(r.status));
  CHECK(WEXITSTATUS(r.status) == 3);
}

TEST_CASE("child output: a child past its deadline is killed and reaped, what it wrote kept", "[child]") {
  int out = -1, err = -1;
  pid_t pid = spawnShell("echo started; exec sleep 30", out, err);
  auto r = linkready::collectChild(pid, out, err, std::chrono::steady_clock::now() + std::chrono::milliseconds(300));
  CHECK(r.timedOut);
  CHECK(r.out == "started\n");
  CHECK(WIFSIGNALED(r.status));
}
