#include "probes/vlan/frame.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace linkready::vlan {

namespace {

constexpr uint16_t kArp = 0x0806, kIpv6 = 0x86dd;
constexpr uint8_t kIcmpv6 = 58, kNs = 135, kNa = 136;

uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(uint8_t(x >> 8));
  v.push_back(uint8_t(x));
}
void putBytes(std::vector<uint8_t>& v, const uint8_t* p, size_t n) { v.insert(v.end(), p, p + n); }

std::vector<uint8_t> header(const Mac& dst, const Mac& src, const std::vector<Tag>& tags, uint16_t ethertype) {
  std::vector<uint8_t> f;
  putBytes(f, dst.data(), 6);
  putBytes(f, src.data(), 6);
  for (const Tag& t : tags) {
    put16(f, t.tpid);
    put16(f, uint16_t((t.pcp & 7) << 13 | (t.vid & 0x0fff)));
  }
  put16(f, ethertype);
  return f;
}

// RFC 4443 2.3: over the pseudo-header (source, destination, length, next header) and the message.
uint16_t icmpv6Checksum(const IpAddress& src, const IpAddress& dst, const uint8_t* msg, size_t len) {
  uint32_t sum = 0;
  auto add = [&](const uint8_t* p, size_t n) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(p[i] << 8 | p[i + 1]);
    if (n % 2) sum += uint32_t(p[n - 1] << 8);
  };
  add(src.bytes.data(), 16);
  add(dst.bytes.data(), 16);
  uint8_t pseudo[8] = {uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len), 0, 0, 0, kIcmpv6};
  add(pseudo, 8);
  add(msg, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

IpAddress v4(const uint8_t* p) {
  IpAddress a;
  a.family = AF_INET;
  std::memcpy(a.bytes.data(), p, 4);
  return a;
}
IpAddress v6(const uint8_t* p) {
  IpAddress a;
  a.family = AF_INET6;
  std::memcpy(a.bytes.data(), p, 16);
  return a;
}

}  // namespace

std::optional<Mac> parseMac(const std::string& text) {
  Mac m{};
  unsigned b[6];
  if (std::sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
    return std::nullopt;
  for (int i = 0; i < 6; ++i) m[i] = uint8_t(b[i]);
  return m;
}

std::string macText(const Mac& m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

bool isTagTpid(uint16_t t) { return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200; }

bool sameStack(const std::vector<Tag>& a, const std::vector<Tag>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Tag& x, const Tag& y) { return x.tpid == y.tpid && x.vid == y.vid; });
}

std::string stackText(const std::vector<Tag>& tags) {
  if (tags.empty()) return "untagged";
  std::string s;
  for (const Tag& t : tags) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s0x%04x/%u", s.empty() ? "" : " ", t.tpid, t.vid);
    s += buf;
  }
  return s;
}

std::optional<Frame> decodeFrame(const uint8_t* d, size_t n) {
  if (!d || n < 14) return std::nullopt;
  Frame f;
  std::memcpy(f.destination.data(), d, 6);
  std::memcpy(f.source.data(), d + 6, 6);
  size_t off = 12;
  uint16_t type = be16(d + off);
  while (isTagTpid(type)) {
    if (n < off + 6 || f.tags.size() >= 8) return std::nullopt;  // a runaway stack is not a frame
    uint16_t tci = be16(d + off + 2);
    f.tags.push_back({type, uint16_t(tci & 0x0fff), uint8_t(tci >> 13)});
    off += 4;
    type = be16(d + off);
  }
  f.ethertype = type;
  off += 2;
  const uint8_t* p = d + off;
  size_t len = n - off;
  if (type == 0x0800 && len >= 20 && (p[0] >> 4) == 4) f.ipv4Source = v4(p + 12);
  if (type == kArp && len >= 28 && be16(p) == 1 && be16(p + 2) == 0x0800 && p[4] == 6 && p[5] == 4) {
    Arp a;
    a.op = be16(p + 6);
    std::memcpy(a.senderMac.data(), p + 8, 6);
    a.senderIp = v4(p + 14);
    std::memcpy(a.targetMac.data(), p + 18, 6);
    a.targetIp = v4(p + 24);
    f.arp = a;
  } else if (type == kIpv6 && len >= 40 + 24 && p[6] == kIcmpv6 && (p[40] == kNs || p[40] == kNa)) {
    size_t payload = be16(p + 4);
    if (payload > len - 40) return f;  // truncated: keep the tags, drop the message
    NeighborDiscovery nd;
    nd.type = p[40];
    nd.source = v6(p + 8);
    nd.destination = v6(p + 24);
    nd.target = v6(p + 48);
    // Options after the 24-byte message: type, length in 8-byte units, value.
    size_t o = 64;
    while (o + 8 <= 40 + payload) {
      uint8_t optType = p[o], optLen = p[o + 1];
      if (optLen == 0) break;
      if ((optType == 1 || optType == 2) && optLen == 1) {
        Mac m;
        std::memcpy(m.data(), p + o + 2, 6);
        nd.linkLayerAddress = m;
      }
      o += size_t(optLen) * 8;
    }
    f.nd = nd;
  }
  return f;
}

std::vector<uint8_t> encodeArpRequest(const Mac& src, const IpAddress& srcIp, const IpAddress& target,
                                      const std::vector<Tag>& tags) {
  Mac broadcast;
  broadcast.fill(0xff);
  auto f = header(broadcast, src, tags, kArp);
  put16(f, 1);        // Ethernet
  put16(f, 0x0800);   // IPv4
  f.push_back(6);
  f.push_back(4);
  put16(f, 1);        // request
  putBytes(f, src.data(), 6);
  putBytes(f, srcIp.bytes.data(), 4);
  for (int i = 0; i < 6; ++i) f.push_back(0);
  putBytes(f, target.bytes.data(), 4);
  while (f.size() < 60) f.push_back(0);  // minimum frame
  return f;
}

std::vector<uint8_t> encodeArpReply(const Mac& src, const IpAddress& srcIp, const Mac& target, const IpAddress& targetIp,
                                    const std::vector<Tag>& tags) {
  auto f = header(target, src, tags, kArp);
  put16(f, 1);
  put16(f, 0x0800);
  f.push_back(6);
  f.push_back(4);
  put16(f, 2);
  putBytes(f, src.data(), 6);
  putBytes(f, srcIp.bytes.data(), 4);
  putBytes(f, target.data(), 6);
  putBytes(f, targetIp.bytes.data(), 4);
  while (f.size() < 60) f.push_back(0);
  return f;
}

std::vector<uint8_t> encodeNeighborSolicitation(const Mac& src, const IpAddress& srcIp, const IpAddress& target,
                                                const std::vector<Tag>& tags) {
  // Solicited-node multicast ff02::1:ffXX:XXXX and its MAC 33:33:ff:XX:XX:XX (RFC 4291, 2464).
  IpAddress dst;
  dst.family = AF_INET6;
  const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
  std::memcpy(dst.bytes.data(), prefix, 13);
  std::memcpy(dst.bytes.data() + 13, target.bytes.data() + 13, 3);
  Mac dstMac = {0x33, 0x33, 0xff, target.bytes[13], target.bytes[14], target.bytes[15]};
  std::vector<uint8_t> msg = {kNs, 0, 0, 0, 0, 0, 0, 0};
  putBytes(msg, target.bytes.data(), 16);
  msg.push_back(1);  // source link-layer address option
  msg.push_back(1);
  putBytes(msg, src.data(), 6);
  uint16_t sum = icmpv6Checksum(srcIp, dst, msg.data(), msg.size());
  msg[2] = uint8_t(sum >> 8);
  msg[3] = uint8_t(sum);
  auto f = header(dstMac, src, tags, kIpv6);
  f.push_back(0x60);
  f.push_back(0);
  f.push_back(0);
  f.push_back(0);
  put16(f, uint16_t(msg.size()));
  f.push_back(kIcmpv6);
  f.push_back(255);  // hop limit: ND requires 255
  putBytes(f, srcIp.bytes.data(), 16);
  putBytes(f, dst.bytes.data(), 16);
  f.insert(f.end(), msg.begin(), msg.end());
  return f;
}

}  // namespace linkready::vlan
