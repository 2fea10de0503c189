// The echo probe over raw ICMP sockets: one socket per address family for every target,
// one poll loop, one deadline. Replies are told apart by identifier (one per request) and
// sequence number (EchoBook); a failure on one target (our MTU too small, no route) ends
// that target only.
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>

#include "probes/l3/echo_book.h"
#include "probes/l3/ping.h"

namespace linkready::l3 {

namespace {

struct Socket {
  int fd = -1;
  std::string error;
  bool permissionDenied = false;
  ~Socket() {
    if (fd >= 0) close(fd);
  }
};

// DF on every echo: small ones never need fragmenting, big ones must not be.
void openSocket(Socket& s, bool v6) {
  s.fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP));
  if (s.fd < 0) {
    s.permissionDenied = errno == EPERM || errno == EACCES;
    s.error = std::string("ICMP socket: ") + strerror(errno);
    return;
  }
  int pmtu = v6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO;
  setsockopt(s.fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  int one = 1;
  if (v6) {
    setsockopt(s.fd, IPPROTO_IPV6, IPV6_DONTFRAG, &one, sizeof one);
    icmp6_filter filter;  // only echo replies
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    setsockopt(s.fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
  } else {
    // raw(7) ICMP_FILTER (linux/icmp.h, which clashes with glibc's headers): a bit set = type dropped.
    constexpr int kIcmpFilter = 1;
    uint32_t dropped = ~(1u << ICMP_ECHOREPLY);
    setsockopt(s.fd, SOL_RAW, kIcmpFilter, &dropped, sizeof dropped);
  }
  // Replies of hundreds of links may arrive together: room for them (FORCE needs
  // CAP_NET_ADMIN; without it the kernel caps the size at rmem_max).
  int bytes = 4 << 20;
  if (setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)
    setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

socklen_t toSockaddr(const IpAddress& a, sockaddr_storage& to) {
  to = {};
  if (a.isV6()) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&to);
    s6->sin6_family = AF_INET6;
    std::memcpy(&s6->sin6_addr, a.bytes.data(), 16);
    return sizeof(sockaddr_in6);
  }
  auto* s4 = reinterpret_cast<sockaddr_in*>(&to);
  s4->sin_family = AF_INET;
  std::memcpy(&s4->sin_addr, a.bytes.data(), 4);
  return sizeof(sockaddr_in);
}

// The echoes due now, each family's in one sendmmsg (one system call for many links: the
// recorder sends an echo a second to every gateway). Every echo of a call is stamped sent
// when the call starts, so its RTT can read high by the time the call took to send the
// echoes before it (microseconds a packet on a port), never low. A failed one ends its
// request only (sendmmsg stops at it: the next call reports its errno, then goes on).
void sendDue(EchoBook& book, Socket (&sockets)[2], EchoClock::time_point now) {
  std::vector<EchoBook::Due> due = book.due(now);
  if (due.empty()) return;
  std::vector<std::vector<uint8_t>> pkts(due.size());
  std::vector<sockaddr_storage> to(due.size());
  std::vector<iovec> iov(due.size());
  std::vector<mmsghdr> msgs(due.size());
  for (int v6 = 0; v6 < 2; ++v6) {
    Socket& s = sockets[v6];
    std::vector<size_t> mine;  // indexes into `due` of this family's echoes
    for (size_t k = 0; k < due.size(); ++k) {
      const PingRequest& rq = book.request(due[k].index);
      if (rq.target.isV6() != bool(v6)) continue;
      if (s.fd < 0) {
        book.failed(due[k].index, s.error, s.permissionDenied, false);
        continue;
      }
      size_t m = mine.size();
      pkts[m] = encodeEchoRequest(v6, book.ident(due[k].index), due[k].seq, icmpLengthFor(rq));
      iov[m] = {pkts[m].data(), pkts[m].size()};
      msgs[m] = {};
      msgs[m].msg_hdr.msg_name = &to[m];
      msgs[m].msg_hdr.msg_namelen = toSockaddr(rq.target, to[m]);
      msgs[m].msg_hdr.msg_iov = &iov[m];
      msgs[m].msg_hdr.msg_iovlen = 1;
      mine.push_back(k);
    }
    size_t next = 0;
    while (next < mine.size()) {
      auto at = EchoClock::now();
      int n = sendmmsg(s.fd, msgs.data() + next, unsigned(mine.size() - next), 0);
      if (n > 0) {
        for (int j = 0; j < n; ++j) book.sent(due[mine[next + size_t(j)]].index, at);
        next += size_t(n);
        continue;
      }
      size_t index = due[mine[next]].index;
      if (errno == EMSGSIZE) {
        book.failed(index, "the packet does not fit our own MTU (EMSGSIZE)", false, true);
      } else if (errno == EAGAIN || errno == ENOBUFS) {
        break;  // a full queue: the rest at the next turn
      } else {
        book.failed(index, std::string("send: ") + strerror(errno), false, false);
      }
      ++next;
    }
  }
}

// The replies queued on one socket, many per recvmmsg (into `bufs`, kBatch x 2048 bytes).
constexpr size_t kBatch = 16;
using ReplyBuffers = std::array<std::array<uint8_t, 2048>, kBatch>;
void readReplies(EchoBook& book, int fd, bool v6, ReplyBuffers& bufs) {
  std::array<sockaddr_in6, kBatch> from;
  std::array<iovec, kBatch> iov;
  std::array<mmsghdr, kBatch> msgs;
  for (;;) {
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i] = {bufs[i].data(), bufs[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, msgs.data(), unsigned(kBatch), MSG_DONTWAIT, nullptr);
    if (n <= 0) return;  // EAGAIN: drained
    auto at = EchoClock::now();
    for (int i = 0; i < n; ++i) {
      IpAddress from6;
      if (v6) {
        from6.family = AF_INET6;
        std::memcpy(from6.bytes.data(), &from[size_t(i)].sin6_addr, 16);
      }
      if (auto reply = decodeEchoReply(v6, bufs[size_t(i)].data(), msgs[size_t(i)].msg_len, from6)) book.answer(*reply, at);
    }
    if (size_t(n) < kBatch) return;
  }
}

// Replies left over from an earlier call (answers that came after its deadline) are read
// and dropped before anything is sent: they must not count as this call's answers.
void drain(int fd) {
  uint8_t buf[2048];
  while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0) {
  }
}

// With keepSockets the sockets are kept between calls (the agent's recorder asks once a
// second; opening and closing two raw sockets each time cost more than the echoes). A
// second caller while they are busy gets sockets of its own for that call: calls never
// wait on each other.
class RawSocketPinger final : public Pinger {
 public:
  explicit RawSocketPinger(bool keep) : keep_(keep) {}

  std::vector<PingResult> pingAll(const std::vector<PingRequest>& requests, EchoClock::time_point deadline) override {
    std::unique_lock<std::mutex> lock(keptMutex_, std::try_to_lock);
    if (!keep_ || !lock.owns_lock()) {
      Socket own[2];
      return run(requests, deadline, own);
    }
    for (Socket& s : kept_)
      if (s.fd < 0) s.error.clear(), s.permissionDenied = false;  // a failure to open may have been passing
    return run(requests, deadline, kept_);
  }

 private:
  std::vector<PingResult> run(const std::vector<PingRequest>& requests, EchoClock::time_point deadline,
                              Socket (&sockets)[2]) {
    for (const PingRequest& rq : requests)
      if (sockets[rq.target.isV6()].fd < 0 && sockets[rq.target.isV6()].error.empty()) openSocket(sockets[rq.target.isV6()], rq.target.isV6());
    for (const Socket& s : sockets)
      if (s.fd >= 0) drain(s.fd);
    EchoBook book(requests, uint16_t(identifiers_()), EchoClock::now());
    // A socket that could not be opened (no CAP_NET_RAW) fails its requests now, whatever the
    // deadline: the reason is worth more than "not sent in time".
    for (size_t i = 0; i < requests.size(); ++i)
      if (const Socket& s = sockets[requests[i].target.isV6()]; s.fd < 0)
        book.failed(i, s.error, s.permissionDenied, false);
    auto buffers = std::make_unique<ReplyBuffers>();  // 32 KB: off the stack
    for (;;) {
      auto now = EchoClock::now();
      // Nothing goes out at or after the deadline: no answer could be waited for, and an
      // echo never answered would count as lost. What was not sent stays unsent (sent < count).
      if (now >= deadline) break;
      sendDue(book, sockets, now);
      if (book.finished(now)) break;
      auto wake = std::min(book.nextEvent(now), deadline);
      int waitMs = int(std::clamp<long>(std::chrono::ceil<std::chrono::milliseconds>(wake - now).count(), 0, 1000));
      pollfd fds[2];
      int n = 0;
      for (const Socket& s : sockets)
        if (s.fd >= 0) fds[n++] = {s.fd, POLLIN, 0};
      if (poll(fds, nfds_t(n), waitMs) <= 0) continue;
      for (int i = 0; i < n; ++i)
        if (fds[i].revents & POLLIN) readReplies(book, fds[i].fd, fds[i].fd == sockets[1].fd, *buffers);
    }
    return book.results();
  }

  // The first identifier of each call: random, so that two callers (or another ping on the
  // router) rarely share one; seeded once, not from /dev/urandom at every call.
  static thread_local std::minstd_rand identifiers_;

  bool keep_;
  std::mutex keptMutex_;
  Socket kept_[2];  // [0] IPv4, [1] IPv6, opened when a request first needs one
};

thread_local std::minstd_rand RawSocketPinger::identifiers_{std::random_device{}()};

}  // namespace

std::unique_ptr<Pinger> makeRawSocketPinger(bool keepSockets) { return std::make_unique<RawSocketPinger>(keepSockets); }

}  // namespace linkready::l3
