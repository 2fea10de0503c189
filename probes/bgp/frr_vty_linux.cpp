// The VTY socket client and the vtysh fallback.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "probes/bgp/frr_vty.h"
#include "probes/common/child_output.h"

extern char** environ;

namespace linkready::bgp {

namespace {

using Clock = std::chrono::steady_clock;

bool isShowCommand(const std::string& command) { return command.rfind("show ", 0) == 0; }

int readPidFile(const std::string& path) {
  std::ifstream in(path);
  int pid = 0;
  in >> pid;
  return in ? pid : 0;
}

// Whether the process on the VTY socket (its pid as the kernel gives it to us) is the one
// whose pid file says `filePid`: the same number, or FRR in a pid namespace of its own (a
// container) that wrote its pid as seen in there (the last of NSpid). Only its own
// innermost pid counts: a pid file naming a pid of an outer namespace is someone else.
bool peerIsPidFileProcess(int peerPid, int filePid) {
  if (peerPid == filePid) return true;
  std::ifstream in("/proc/" + std::to_string(peerPid) + "/status");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto pids = parseNsPids(text);
  return pids && pids->size() > 1 && pids->back() == filePid;
}

int msLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? int(left) : 0;
}

std::string statusText(int status) {
  switch (status) {
    case 2: return "unknown command";
    case 3: return "ambiguous command";
    case 4: return "incomplete command";
    case 16: return "daemon not running";
    default: return "FRR status " + std::to_string(status);
  }
}

class VtySocketQuery final : public FrrQuery {
 public:
  explicit VtySocketQuery(VtyOptions o) : options_(std::move(o)) {}
  ~VtySocketQuery() override {
    for (auto& [d, fd] : fds_) close(fd);
  }

  tl::expected<std::string, VtyError> show(const std::string& daemon, const std::string& command) override {
    return std::move(showMany(daemon, {command}).front());
  }

  std::vector<tl::expected<std::string, VtyError>> showMany(const std::string& daemon,
                                                            const std::vector<std::string>& commands) override {
    std::vector<tl::expected<std::string, VtyError>> out(commands.size(), std::string());
    std::vector<size_t> toSend;
    for (size_t i = 0; i < commands.size(); ++i) {
      if (isShowCommand(commands[i])) toSend.push_back(i);
      else out[i] = tl::unexpected(VtyError{VtyError::Kind::CommandFailed, "refused to send a non-show command"});
    }
    if (toSend.empty()) return out;
    bool reused = fds_.count(daemon) > 0;
    auto fd = connection(daemon, Clock::now() + options_.timeout);
    if (!fd) {
      for (size_t i : toSend) out[i] = tl::unexpected(fd.error());
      return out;
    }
    std::vector<std::string> batch;
    for (size_t i : toSend) batch.push_back(commands[i]);
    auto answers = exchange(*fd, batch);
    // A kept connection the daemon closed meanwhile (FRR restarted): once more on a new one,
    // for the commands it did not answer.
    if (reused && !answers.empty() && !answers.back() && answers.back().error().kind == VtyError::Kind::NotRunning) {
      close(*fd);
      fds_.erase(daemon);
      size_t answered = 0;
      while (answered < answers.size() && (answers[answered] || answers[answered].error().kind == VtyError::Kind::CommandFailed))
        ++answered;
      if (auto again = connection(daemon, Clock::now() + options_.timeout)) {
        fd = again;
        auto rest = exchange(*fd, std::vector<std::string>(batch.begin() + long(answered), batch.end()));
        std::move(rest.begin(), rest.end(), answers.begin() + long(answered));
      }
    }
    bool broken = false;
    for (size_t k = 0; k < toSend.size(); ++k) {
      if (!answers[k] && answers[k].error().kind != VtyError::Kind::CommandFailed) broken = true;
      out[toSend[k]] = std::move(answers[k]);
    }
    if (broken && fds_.count(daemon)) {  // a broken connection is not reused
      close(fds_[daemon]);
      fds_.erase(daemon);
    }
    return out;
  }

  std::string via() const override { return "vty socket " + options_.socketDir; }

  // The pid the kernel names as our peer on the daemon's socket (SO_PEERCRED, after the
  // first command): it is in our pid namespace, so /proc has it, and it was checked against
  // the pid file. Before a connection, the pid file's, which in a container is its own number.
  int daemonPid(const std::string& daemon) const override {
    if (auto it = peerPids_.find(daemon); it != peerPids_.end()) return it->second;
    return readPidFile(options_.socketDir + "/" + daemon + ".pid");
  }

 private:
  tl::expected<int, VtyError> connection(const std::string& daemon, Clock::time_point deadline) {
    if (auto it = fds_.find(daemon); it != fds_.end()) return it->second;
    peerPids_.erase(daemon);  // a new connection names its peer anew; a failed one names none
    std::string path = options_.socketDir + "/" + daemon + ".vty";
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return tl::unexpected(VtyError{VtyError::Kind::Protocol, std::string("socket: ") + strerror(errno)});
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
      close(fd);
      return tl::unexpected(VtyError{VtyError::Kind::Protocol, "socket path too long: " + path});
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
      int e = errno;
      close(fd);
      if (e == ENOENT || e == ECONNREFUSED)
        return tl::unexpected(VtyError{VtyError::Kind::NotRunning,
                                       daemon + " is not running (" + path + ": " + strerror(e) + ")"});
      if (e == EACCES || e == EPERM)
        return tl::unexpected(VtyError{VtyError::Kind::PermissionDenied,
                                       "permission denied on " + path + ": add the agent's user to group frrvty"});
      return tl::unexpected(VtyError{VtyError::Kind::Protocol, "connect " + path + ": " + strerror(e)});
    }
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, msLeft(deadline)) <= 0) {
      close(fd);
      return tl::unexpected(VtyError{VtyError::Kind::Timeout, "connect to " + path + " timed out"});
    }
    // Two bgpd with one pathspace fight over the socket (the second unlinks and re-binds
    // it): make sure the answer comes from the daemon of the pid file.
    ucred cred{};
    socklen_t len = sizeof cred;
    int filePid = readPidFile(options_.socketDir + "/" + daemon + ".pid");
    bool known = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid > 0;
    if (filePid > 0 && known && !peerIsPidFileProcess(cred.pid, filePid)) {
      close(fd);
      return tl::unexpected(VtyError{
          VtyError::Kind::WrongPeer, "the " + daemon + " answering on " + path + " is pid " + std::to_string(cred.pid) +
                                         ", but " + daemon + ".pid says " + std::to_string(filePid) +
                                         ": two " + daemon + " instances share this pathspace"});
    }
    if (known) peerPids_[daemon] = cred.pid;
    // Like vtysh: leave VIEW_NODE first, or some daemons (bfdd) know no `show` at all.
    // `enable` changes no configuration; `configure` is never sent.
    if (auto r = std::move(exchange(fd, {"enable"}).front()); !r) {
      close(fd);
      return tl::unexpected(r.error());
    }
    fds_[daemon] = fd;
    return fd;
  }

  // Sends every command (each with its terminating NUL, as vtysh does) while reading the
  // answers as they come, in one poll loop: FRR answers in order, each answer ending in its
  // trailer. Each answer is waited for at most the timeout after the one before it. A
  // command FRR refused is that command's error; a timeout or a closed connection is the
  // error of every command not yet answered.
  std::vector<tl::expected<std::string, VtyError>> exchange(int fd, const std::vector<std::string>& commands) {
    std::vector<tl::expected<std::string, VtyError>> answers;
    std::string out;
    for (const std::string& c : commands) out.append(c).push_back('\0');
    size_t sent = 0;
    std::string in;
    char buf[16384];
    auto deadline = Clock::now() + options_.timeout;
    auto failRest = [&](VtyError e) {
      while (answers.size() < commands.size()) answers.push_back(tl::unexpected(e));
      return answers;
    };
    while (answers.size() < commands.size()) {
      pollfd p{fd, short(POLLIN | (sent < out.size() ? POLLOUT : 0)), 0};
      int pr = poll(&p, 1, msLeft(deadline));
      if (pr == 0) {
        while (answers.size() < commands.size()) answers.push_back(tl::unexpected(timeoutError(commands[answers.size()])));
        return answers;
      }
      if (pr < 0) {
        if (errno == EINTR) continue;
        return failRest(VtyError{VtyError::Kind::Protocol, std::string("poll: ") + strerror(errno)});
      }
      if ((p.revents & POLLOUT) && sent < out.size()) {
        ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
          return failRest(VtyError{VtyError::Kind::NotRunning, std::string("send: ") + strerror(errno)});
        if (n > 0) sent += size_t(n);
      }
      if (p.revents & POLLNVAL) return failRest(VtyError{VtyError::Kind::Protocol, "the VTY connection is not open"});
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return failRest(VtyError{VtyError::Kind::NotRunning, "the daemon closed the VTY connection"});
      in.append(buf, size_t(n));
      size_t used = 0;
      while (answers.size() < commands.size()) {
        auto frame = findVtyTrailer(std::string_view(in).substr(used));
        if (!frame) break;
        const std::string& command = commands[answers.size()];
        if (frame->status < 0)  // not the trailer vtysh expects: the stream is out of step
          return failRest(VtyError{VtyError::Kind::Protocol, "'" + command + "': a broken answer (no 00 00 00 trailer)"});
        std::string text = in.substr(used, frame->outputLength);
        used += frame->outputLength + 4;
        if (frame->status != 0 && frame->status != 1 && frame->status != 10)
          answers.push_back(tl::unexpected(VtyError{VtyError::Kind::CommandFailed,
                                                    "'" + command + "': " + statusText(frame->status) + ": " + text}));
        else
          answers.push_back(std::move(text));
        deadline = Clock::now() + options_.timeout;
      }
      in.erase(0, used);
    }
    return answers;
  }

  VtyError timeoutError(const std::string& command) const {
    return VtyError{VtyError::Kind::Timeout,
                    "no answer to '" + command + "' within " + std::to_string(options_.timeout.count()) + " ms"};
  }

  VtyOptions options_;
  std::map<std::string, int> fds_;       // one persistent connection per daemon
  std::map<std::string, int> peerPids_;  // who answered on each daemon's socket
};

class VtyshQuery final : public FrrQuery {
 public:
  explicit VtyshQuery(VtyOptions o) : options_(std::move(o)) {}

  tl::expected<std::string, VtyError> show(const std::string& daemon, const std::string& command) override {
    if (!isShowCommand(command))
      return tl::unexpected(VtyError{VtyError::Kind::CommandFailed, "refused to send a non-show command"});
    // An argument vector, never a shell.
    std::vector<std::string> argv = {options_.vtyshPath, "--vty_socket", options_.socketDir, "-d", daemon, "-c", command};
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) return tl::unexpected(VtyError{VtyError::Kind::Protocol, "pipe failed"});
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
      close(outPipe[0]);
      close(outPipe[1]);
      return tl::unexpected(VtyError{VtyError::Kind::Protocol, "pipe failed"});
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, errPipe[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
      close(outPipe[0]);
      close(errPipe[0]);
      return tl::unexpected(VtyError{VtyError::Kind::NotRunning, "cannot run vtysh: " + std::string(strerror(rc))});
    }
    ChildOutput child = collectChild(pid, outPipe[0], errPipe[0], Clock::now() + options_.timeout);
    std::string& out = child.out;
    std::string& err = child.err;
    bool timedOut = child.timedOut;
    int status = child.status;
    if (timedOut)
      return tl::unexpected(VtyError{VtyError::Kind::Timeout, "vtysh did not answer '" + command + "' within " +
                                                                  std::to_string(options_.timeout.count()) + " ms"});
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      if (err.find("is not running") != std::string::npos || err.find("failed to connect") != std::string::npos)
        return tl::unexpected(VtyError{VtyError::Kind::NotRunning, "vtysh: " + err});
      if (err.find("Permission denied") != std::string::npos)
        return tl::unexpected(VtyError{VtyError::Kind::PermissionDenied,
                                       "vtysh: " + err + ": add the agent's user to group frrvty"});
      return tl::unexpected(VtyError{VtyError::Kind::CommandFailed, "vtysh: " + (err.empty() ? out : err)});
    }
    return out;
  }

  std::string via() const override { return "vtysh"; }
  int daemonPid(const std::string& daemon) const override {
    return readPidFile(options_.socketDir + "/" + daemon + ".pid");
  }

 private:
  VtyOptions options_;
};

// The socket first; vtysh only when the socket cannot be reached at all.
class FallbackQuery final : public FrrQuery {
 public:
  explicit FallbackQuery(const VtyOptions& o) : socket_(o), vtysh_(o) {}

  tl::expected<std::string, VtyError> show(const std::string& daemon, const std::string& command) override {
    return std::move(showMany(daemon, {command}).front());
  }

  std::vector<tl::expected<std::string, VtyError>> showMany(const std::string& daemon,
                                                            const std::vector<std::string>& commands) override {
    auto answers = socket_.showMany(daemon, commands);
    usedVtysh_ = false;
    std::optional<VtyError> vtyshFailed;  // once vtysh cannot answer either, it is not asked again
    for (size_t i = 0; i < answers.size(); ++i) {
      auto& r = answers[i];
      if (r || r.error().kind == VtyError::Kind::CommandFailed || r.error().kind == VtyError::Kind::WrongPeer ||
          r.error().kind == VtyError::Kind::Timeout)
        continue;
      if (!vtyshFailed) {
        auto v = vtysh_.show(daemon, commands[i]);
        if (v) {
          usedVtysh_ = true;
          r = std::move(v);
          continue;
        }
        vtyshFailed = v.error();
      }
      // Neither answered: the socket's error is the more precise one.
      r = tl::unexpected(VtyError{r.error().kind, r.error().message + "; vtysh fallback: " + vtyshFailed->message});
    }
    return answers;
  }

  std::string via() const override { return usedVtysh_ ? vtysh_.via() : socket_.via(); }
  int daemonPid(const std::string& daemon) const override { return socket_.daemonPid(daemon); }

 private:
  VtySocketQuery socket_;
  VtyshQuery vtysh_;
  bool usedVtysh_ = false;
};

}  // namespace

std::unique_ptr<FrrQuery> makeFrrQuery(const VtyOptions& o) {
  if (!o.allowVtyshFallback) return std::make_unique<VtySocketQuery>(o);
  return std::make_unique<FallbackQuery>(o);
}
std::unique_ptr<FrrQuery> makeVtySocketQuery(const VtyOptions& o) { return std::make_unique<VtySocketQuery>(o); }
std::unique_ptr<FrrQuery> makeVtyshQuery(const VtyOptions& o) { return std::make_unique<VtyshQuery>(o); }

}  // namespace linkready::bgp
