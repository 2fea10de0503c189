// Helpers for the agent's [netns] tests: a process in the lab's edge namespace in the
// background, a temporary directory, a bounded wait for a condition.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "netns/lab_helpers.h"

namespace linkready::test {

// A process started in the edge namespace, in the background, its output in a file.
class Background {
 public:
  Background(const std::vector<std::string>& argv, std::string log) : log_(std::move(log)) {
    std::fflush(stdout);  // or the child would flush our buffered output a second time
    std::fflush(stderr);
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      FILE* f = freopen(log_.c_str(), "a", stderr);
      (void)f;
      f = freopen(log_.c_str(), "a", stdout);
      std::vector<std::string> full = {labScript(), "exec"};
      full.insert(full.end(), argv.begin(), argv.end());
      std::vector<char*> args;
      for (auto& a : full) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Background() { stop(SIGTERM); }
  // `lab exec` becomes the program itself (exec all the way down): the pid is its pid.
  void signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }
  int stop(int sig) {
    using namespace std::chrono_literals;
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(100ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return 128 + SIGKILL;
  }
  bool running() {
    if (pid_ <= 0) return false;
    int status;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }
  std::string output() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

inline std::string tempDir() {
  char tmpl[] = "/tmp/linkready-agent-XXXXXX";
  return mkdtemp(tmpl);
}

// Waits (bounded) until `pred` holds; the condition, not the time, is what is tested.
template <typename Pred>
bool waitFor(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  using namespace std::chrono_literals;
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

}  // namespace linkready::test
