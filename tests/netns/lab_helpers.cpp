#include "netns/lab_helpers.h"

#include "probes/common/child_output.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <catch2/catch.hpp>

namespace linkready::test {

Run run(const std::vector<std::string>& argv, const std::string& stdinText) {
  int outPipe[2], errPipe[2], inPipe[2];
  if (pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC) || pipe2(inPipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(inPipe[0], 0);
    dup2(outPipe[1], 1);
    dup2(errPipe[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(outPipe[1]);
  close(errPipe[1]);
  close(inPipe[0]);
  if (!stdinText.empty()) (void)!write(inPipe[1], stdinText.data(), stdinText.size());
  close(inPipe[1]);
  ChildOutput child = collectChild(pid, outPipe[0], errPipe[0]);
  Run r;
  r.out = std::move(child.out);
  r.err = std::move(child.err);
  int status = child.status;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string sourceDir() { return LINKREADY_SOURCE_DIR; }
std::string binary() { return LINKREADY_BINARY; }
std::string labScript() { return sourceDir() + "/tests/lab/lab"; }

Lab::Lab(const std::string& scenario) {
  REQUIRE(geteuid() == 0);  // [netns] tests need root: run them as the README says
  Run up = run({labScript(), "up", scenario});
  if (up.exitCode == 77) {
    skipped_ = true;
    // CTest reports the case as skipped on this marker (SKIP_REGULAR_EXPRESSION in
    // tests/CMakeLists.txt), and scripts/test fails on it unless LINKREADY_ACCEPT_SKIPS
    // names vlan-guest.
    std::cout << kSkipMarker << " vlan-guest: scenario " << scenario << ": " << up.err << std::endl;
    return;
  }
  INFO("lab up " << scenario << ": " << up.err);
  REQUIRE(up.exitCode == 0);
}

Lab::~Lab() {
  if (!skipped_) run({labScript(), "down"});
}

Run Lab::exec(const std::vector<std::string>& argv) {
  std::vector<std::string> a = {labScript(), "exec"};
  a.insert(a.end(), argv.begin(), argv.end());
  return run(a);
}

Run Lab::vbr(const std::vector<std::string>& argv) {
  std::vector<std::string> a = {labScript(), "vbr"};
  a.insert(a.end(), argv.begin(), argv.end());
  return run(a);
}

Run Lab::check(const std::vector<std::string>& extraArgs, const std::string& configPath) {
  std::vector<std::string> a = {binary(), "check", "--config",
                                configPath.empty() ? sourceDir() + "/config/examples/lab.yaml" : configPath};
  a.insert(a.end(), extraArgs.begin(), extraArgs.end());
  return exec(a);
}

std::string writeTempFile(const std::string& content, const std::string& suffix) {
  std::string path = "/tmp/linkready-test-XXXXXX" + suffix;
  int fd = mkstemps(path.data(), int(suffix.size()));
  if (fd < 0) throw std::runtime_error("mkstemps failed");
  (void)!write(fd, content.data(), content.size());
  close(fd);
  return path;
}

std::string writeLabFile(const std::string& content, const std::string& suffix) {
  return writeTempFile(content, suffix);  // /tmp: the lab guest mounts no tmpfs over it
}

nlohmann::json findCheck(const nlohmann::json& report, const std::string& link, const std::string& id) {
  for (const auto& l : report.at("links"))
    if (l.at("name") == link)
      for (const auto& c : l.at("checks"))
        if (c.at("id") == id) return c;
  return nullptr;
}

}  // namespace linkready::test
