#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "probes/l3/ping.h"

namespace linkready::l3 {

namespace {

using Clock = std::chrono::steady_clock;

uint16_t inetChecksum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(p[i] << 8 | p[i + 1]);
  if (n % 2) sum += uint32_t(p[n - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

class RawSocketPinger final : public Pinger {
 public:
  PingResult ping(const PingRequest& rq) override {
    PingResult r;
    bool v6 = rq.target.isV6();
    int proto = v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP);
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, proto);
    if (fd < 0) {
      r.permissionDenied = errno == EPERM || errno == EACCES;
      r.error = std::string("ICMP socket: ") + strerror(errno);
      return r;
    }
    if (rq.dontFragment) {
      int pmtu = v6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO;
      setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
      int one = 1;
      if (v6) setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &one, sizeof one);
    }
    if (v6) {  // only echo replies
      icmp6_filter filter;
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
      setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    }
    sockaddr_storage to{};
    socklen_t toLen;
    if (v6) {
      auto* s6 = reinterpret_cast<sockaddr_in6*>(&to);
      s6->sin6_family = AF_INET6;
      std::memcpy(&s6->sin6_addr, rq.target.bytes.data(), 16);
      toLen = sizeof(sockaddr_in6);
    } else {
      auto* s4 = reinterpret_cast<sockaddr_in*>(&to);
      s4->sin_family = AF_INET;
      std::memcpy(&s4->sin_addr, rq.target.bytes.data(), 4);
      toLen = sizeof(sockaddr_in);
    }
    size_t ipHeader = v6 ? 40 : 20;
    size_t icmpLen = rq.packetSize > ipHeader + 8 ? rq.packetSize - ipHeader : 8;
    uint16_t ident = uint16_t(std::random_device{}());
    std::map<uint16_t, Clock::time_point> sentAt;
    std::vector<double> rtts;
    auto nextSend = Clock::now();
    Clock::time_point lastSend = nextSend;
    uint16_t seq = 0;
    for (;;) {
      auto now = Clock::now();
      if (r.sent < rq.count && now >= nextSend) {
        std::vector<uint8_t> pkt(icmpLen, 0);
        pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
        pkt[4] = uint8_t(ident >> 8), pkt[5] = uint8_t(ident);
        pkt[6] = uint8_t(seq >> 8), pkt[7] = uint8_t(seq);
        for (size_t i = 8; i < pkt.size(); ++i) pkt[i] = uint8_t(i);
        if (!v6) {  // the kernel computes ICMPv6 checksums itself
          uint16_t sum = inetChecksum(pkt.data(), pkt.size());
          pkt[2] = uint8_t(sum >> 8), pkt[3] = uint8_t(sum);
        }
        if (sendto(fd, pkt.data(), pkt.size(), 0, reinterpret_cast<sockaddr*>(&to), toLen) < 0) {
          if (errno == EMSGSIZE) {
            r.localMtuTooSmall = true;
            r.error = "the packet does not fit our own MTU (EMSGSIZE)";
          } else {
            r.error = std::string("send: ") + strerror(errno);
          }
          break;
        }
        sentAt[seq++] = Clock::now();
        ++r.sent;
        lastSend = Clock::now();
        nextSend = lastSend + rq.interval;
      }
      if (r.sent >= rq.count && (r.received >= r.sent || now >= lastSend + rq.timeout)) break;
      auto wakeAt = r.sent < rq.count ? nextSend : lastSend + rq.timeout;
      int waitMs = int(std::max<long>(1, std::chrono::duration_cast<std::chrono::milliseconds>(wakeAt - now).count()));
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, waitMs) <= 0) continue;
      uint8_t buf[2048];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) continue;
      const uint8_t* icmp = buf;
      size_t len = size_t(n);
      if (!v6) {  // IPv4 raw sockets return the IP header; check the source too
        size_t hl = size_t(buf[0] & 0x0f) * 4;
        if (len < hl + 8 || std::memcmp(buf + 12, rq.target.bytes.data(), 4) != 0) continue;
        icmp += hl;
        len -= hl;
      }
      if (icmp[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) continue;
      if (uint16_t(icmp[4] << 8 | icmp[5]) != ident) continue;
      uint16_t s = uint16_t(icmp[6] << 8 | icmp[7]);
      auto it = sentAt.find(s);
      if (it == sentAt.end()) continue;
      rtts.push_back(std::chrono::duration<double, std::milli>(Clock::now() - it->second).count());
      sentAt.erase(it);
      ++r.received;
    }
    close(fd);
    if (!rtts.empty()) {
      r.minRttMs = *std::min_element(rtts.begin(), rtts.end());
      r.maxRttMs = *std::max_element(rtts.begin(), rtts.end());
      double sum = 0;
      for (double x : rtts) sum += x;
      r.avgRttMs = sum / double(rtts.size());
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<Pinger> makeRawSocketPinger() { return std::make_unique<RawSocketPinger>(); }

}  // namespace linkready::l3
