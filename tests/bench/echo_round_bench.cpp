// Prints the CPU one round of the flight recorder's echoes costs: one echo to each gateway
// named, all in flight together through the agent's pinger (raw ICMP sockets kept open and
// the first sends spread over 2 ms, as the recorder does; ECHO_SPREAD_MS to try another
// spread), a round every PERIOD_MS as the recorder's second does. With
// --batch instead the least a program can do for the same echoes (IPv4): every request in
// one sendmmsg, the replies read by recvmmsg, nothing matched or timed. CPU of this thread,
// which on veth includes the far end's reply (computed in the sender's context). Figures,
// no verdicts.
//
//   linkready_bench_echo [--batch] PERIOD_MS ROUNDS GATEWAY...
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "probes/l3/echo_book.h"
#include "probes/l3/ping.h"

using namespace linkready;

namespace {

double threadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// One round the least way: returns the replies read.
int batchRound(int fd, const std::vector<IpAddress>& targets, uint16_t seq) {
  size_t n = targets.size();
  std::vector<std::vector<uint8_t>> pkts(n);
  std::vector<sockaddr_in> to(n);
  std::vector<iovec> iov(n);
  std::vector<mmsghdr> msgs(n);
  for (size_t i = 0; i < n; ++i) {
    pkts[i] = l3::encodeEchoRequest(false, uint16_t(0x5100 + i), seq, 56);
    to[i] = {};
    to[i].sin_family = AF_INET;
    std::memcpy(&to[i].sin_addr, targets[i].bytes.data(), 4);
    iov[i] = {pkts[i].data(), pkts[i].size()};
    msgs[i] = {};
    msgs[i].msg_hdr.msg_name = &to[i];
    msgs[i].msg_hdr.msg_namelen = sizeof to[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  sendmmsg(fd, msgs.data(), unsigned(n), 0);
  std::vector<std::array<uint8_t, 256>> bufs(n);
  int got = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(900);
  while (size_t(got) < n && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    for (size_t i = 0; i < n; ++i) {
      iov[i] = {bufs[i].data(), bufs[i].size()};
      msgs[i].msg_hdr = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = recvmmsg(fd, msgs.data(), unsigned(n), MSG_DONTWAIT, nullptr);
    if (r > 0) got += r;
  }
  return got;
}

}  // namespace

int main(int argc, char** argv) {
  bool batch = argc > 1 && std::strcmp(argv[1], "--batch") == 0;
  if (batch) ++argv, --argc;
  if (argc < 4) {
    std::fprintf(stderr, "usage: linkready_bench_echo [--batch] PERIOD_MS ROUNDS GATEWAY...\n");
    return 2;
  }
  auto period = std::chrono::milliseconds(std::max(1, std::atoi(argv[1])));
  int rounds = std::max(1, std::atoi(argv[2]));
  std::vector<l3::PingRequest> requests;
  for (int i = 3; i < argc; ++i) {
    auto a = IpAddress::parse(argv[i]);
    if (!a) {
      std::fprintf(stderr, "not an address: %s\n", argv[i]);
      return 2;
    }
    l3::PingRequest rq;
    rq.target = *a;
    rq.count = 1;
    rq.interval = std::chrono::milliseconds(2);  // as the recorder spreads its round
    if (const char* spread = std::getenv("ECHO_SPREAD_MS")) rq.interval = std::chrono::milliseconds(std::atoi(spread));
    requests.push_back(rq);
  }
  std::vector<IpAddress> targets;
  for (const auto& rq : requests) targets.push_back(rq.target);
  int fd = -1;
  if (batch) {
    fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
    if (fd < 0) {
      std::perror("raw ICMP socket");
      return 1;
    }
    constexpr int kIcmpFilter = 1;  // raw(7) ICMP_FILTER: only echo replies (type 0) come in
    uint32_t dropped = ~1u;
    setsockopt(fd, SOL_RAW, kIcmpFilter, &dropped, sizeof dropped);
  }
  auto pinger = l3::makeRawSocketPinger(true);
  std::vector<double> ms;
  int answered = 0, sent = 0;
  auto next = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    std::this_thread::sleep_until(next);
    next += period;
    double t0 = threadCpuMs();
    if (batch) {
      answered += batchRound(fd, targets, uint16_t(r));
      sent += int(targets.size());
      ms.push_back(threadCpuMs() - t0);
      continue;
    }
    auto results = pinger->pingAll(requests, std::chrono::steady_clock::now() + std::chrono::milliseconds(900));
    ms.push_back(threadCpuMs() - t0);
    for (const auto& x : results) sent += x.sent, answered += x.received;
  }
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double x : ms) sum += x;
  // median, min, max, mean (ms per round), echoes sent, answered
  std::printf("%.3f %.3f %.3f %.3f %d %d\n", ms[ms.size() / 2], ms.front(), ms.back(), sum / double(ms.size()), sent, answered);
  return 0;
}
