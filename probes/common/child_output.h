// What a child process wrote to its stdout and stderr pipes, read together (poll) until
// both close or a deadline passes; then the child is reaped (killed first on a timeout).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace linkready {

struct ChildOutput {
  std::string out, err;
  bool timedOut = false;
  int status = 0;  // as waitpid gives it
};

// Takes ownership of both descriptors (closed on return). No deadline: until both close.
ChildOutput collectChild(pid_t pid, int outFd, int errFd,
                         std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

}  // namespace linkready
