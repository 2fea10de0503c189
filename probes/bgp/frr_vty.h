// Talking to FRR daemons the way vtysh does: over each daemon's VTY unix socket
// (<dir>/<daemon>.vty), with `vtysh -c` as the fallback. Read-only by construction:
// only `show ...` commands are ever sent (membership of frrvty could reconfigure FRR).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "probes/bgp/bgp_facts.h"

namespace linkready::bgp {

struct VtyError {
  using Kind = QueryErrorKind;
  Kind kind = Kind::Protocol;
  std::string message;
};

class FrrQuery {
 public:
  virtual ~FrrQuery() = default;
  // Runs one `show` command on one daemon ("bgpd", "bfdd") and returns its output.
  virtual tl::expected<std::string, VtyError> show(const std::string& daemon, const std::string& command) = 0;
  // Several `show` commands on one daemon, one answer each, in order. The socket client
  // pipelines them on its connection (FRR runs NUL-terminated commands in order), so
  // hundreds of small queries cost one round trip's wait, not hundreds.
  virtual std::vector<tl::expected<std::string, VtyError>> showMany(const std::string& daemon,
                                                                    const std::vector<std::string>& commands) {
    std::vector<tl::expected<std::string, VtyError>> out;
    for (const std::string& c : commands) out.push_back(show(daemon, c));
    return out;
  }
  // How the last answer was obtained ("vty socket /var/run/frr/bgpd.vty", "vtysh").
  virtual std::string via() const = 0;
  // The pid of the daemon as the VTY socket's peer credentials say (in our pid namespace,
  // also when FRR runs in a container), else as its pid file says (0 when unknown); for
  // /proc/PID/net.
  virtual int daemonPid(const std::string& daemon) const = 0;
};

struct VtyOptions {
  std::string socketDir = "/var/run/frr";
  std::chrono::milliseconds timeout{2000};
  bool allowVtyshFallback = true;
  std::string vtyshPath = "vtysh";
};

// The socket client, falling back to vtysh where the socket cannot be reached.
std::unique_ptr<FrrQuery> makeFrrQuery(const VtyOptions& options);

// Only the socket, no fallback (benchmarks, tests).
std::unique_ptr<FrrQuery> makeVtySocketQuery(const VtyOptions& options);
// Only vtysh, one process per command (benchmarks, the fallback).
std::unique_ptr<FrrQuery> makeVtyshQuery(const VtyOptions& options);

// The VTY wire format (lib/vty.c vtysh_read): output bytes, then 00 00 00 <status>.
// Returns the number of bytes of `buffer` that are the answer when the trailer is
// present in it, and the status; nullopt while more bytes are needed. Pure.
struct VtyFrame {
  size_t outputLength;
  int status;  // CMD_SUCCESS 0, CMD_WARNING 1, CMD_ERR_NO_MATCH 2, ...
};
std::optional<VtyFrame> findVtyTrailer(std::string_view buffer);

// A process's pid in each pid namespace it is in, outermost (the reader's) first: the NSpid
// line of /proc/PID/status (Linux 4.1+). FRR in a container writes its pid file with the
// last one, while the VTY socket's peer credentials give the first. An error names what in
// the text was wrong. Pure.
tl::expected<std::vector<int>, std::string> parseNsPids(std::string_view procStatus);

}  // namespace linkready::bgp
