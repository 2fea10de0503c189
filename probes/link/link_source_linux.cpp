// rtnetlink (libnl-route) and ethtool netlink (libnl-genl) behind LinkSource.
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/genl/genl.h>
#include <arpa/inet.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/neighbour.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "probes/common/ethtool_genl.h"
#include "probes/link/link_source.h"

namespace linkready::link {

namespace {

// The first u64 of an ETHTOOL_A_FEC_STAT_* array is the total over the lanes.
std::optional<uint64_t> fecTotal(const nlattr* a) {
  if (!a || nla_len(a) < int(sizeof(uint64_t))) return std::nullopt;
  uint64_t v;
  std::memcpy(&v, nla_data(a), sizeof v);
  return v;
}

std::string macText(nl_addr* a) {
  if (nl_addr_get_len(a) != 6) return "";
  auto* b = static_cast<const uint8_t*>(nl_addr_get_binary_addr(a));
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return buf;
}

InterfaceFacts toFacts(rtnl_link* l) {
  InterfaceFacts f;
  f.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
  f.ifindex = rtnl_link_get_ifindex(l);
  f.parentIfindex = rtnl_link_get_link(l);
  f.kind = rtnl_link_get_type(l) ? rtnl_link_get_type(l) : "";
  unsigned flags = rtnl_link_get_flags(l);
  f.adminUp = flags & IFF_UP;
  f.carrier = flags & IFF_LOWER_UP;
  char buf[32];
  f.operState = rtnl_link_operstate2str(rtnl_link_get_operstate(l), buf, sizeof buf);
  uint32_t changes = 0;
  if (rtnl_link_get_carrier_changes(l, &changes) == 0) f.carrierChanges = changes;
  f.mtu = rtnl_link_get_mtu(l);
  f.rxPackets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
  f.txPackets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
  f.rxErrors = rtnl_link_get_stat(l, RTNL_LINK_RX_ERRORS);
  f.txErrors = rtnl_link_get_stat(l, RTNL_LINK_TX_ERRORS);
  f.rxCrcErrors = rtnl_link_get_stat(l, RTNL_LINK_RX_CRC_ERR);
  f.rxFrameErrors = rtnl_link_get_stat(l, RTNL_LINK_RX_FRAME_ERR);
  f.rxDropped = rtnl_link_get_stat(l, RTNL_LINK_RX_DROPPED);
  f.txDropped = rtnl_link_get_stat(l, RTNL_LINK_TX_DROPPED);
  if (nl_addr* a = rtnl_link_get_addr(l)) f.mac = macText(a);
  if (rtnl_link_is_vlan(l)) {
    f.vlanId = uint16_t(rtnl_link_vlan_get_id(l));
    // libnl keeps IFLA_VLAN_PROTOCOL as the kernel sends it: network byte order.
    f.vlanProtocol = ntohs(uint16_t(rtnl_link_vlan_get_protocol(l)));
    if (f.vlanProtocol == 0) f.vlanProtocol = 0x8100;
  }
  return f;
}

// The device behind a physical port, as the driver registered it ("" for virtual ones).
std::string readBusInfo(const std::string& ifname) {
  char target[512];
  std::string dev = "/sys/class/net/" + ifname + "/device";
  ssize_t n = readlink(dev.c_str(), target, sizeof target - 1);
  if (n <= 0) return "";
  target[n] = 0;
  std::string t = target;
  return t.substr(t.rfind('/') + 1);
}

std::optional<IpAddress> toAddress(nl_addr* a) {
  if (!a) return std::nullopt;
  IpAddress ip;
  int fam = nl_addr_get_family(a);
  unsigned len = nl_addr_get_len(a);
  if ((fam == AF_INET && len == 4) || (fam == AF_INET6 && len == 16)) {
    ip.family = fam;
    std::memcpy(ip.bytes.data(), nl_addr_get_binary_addr(a), len);
    return ip;
  }
  return std::nullopt;
}

// Dumps one rtnetlink cache type with a fresh socket and a deadline.
template <typename AllocFn, typename Each>
std::string dumpCache(AllocFn alloc, Each each) {
  nl_sock* sk = nl_socket_alloc();
  if (!sk) return "out of memory";
  std::string err;
  if (int rc = nl_connect(sk, NETLINK_ROUTE); rc < 0) {
    err = std::string("cannot open rtnetlink: ") + nl_geterror(rc);
  } else {
    timeval tv{2, 0};
    setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    nl_cache* cache = nullptr;
    if (int rc2 = alloc(sk, &cache); rc2 < 0) {
      err = std::string("rtnetlink dump failed: ") + nl_geterror(rc2);
    } else {
      for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) each(o);
      nl_cache_free(cache);
    }
  }
  nl_socket_free(sk);
  return err;
}

// The interfaces as rtnetlink's link events keep them, with their counters from one
// RTM_GETSTATS dump each time (IFLA_STATS_LINK_64 only, ~200 bytes an interface). A full
// link dump costs the kernel ~2 KB an interface (its IPv6 settings and statistics among
// them) and libnl an object each: the flight recorder asked for one every second. Carrier,
// carrier changes, flags, MTU, MAC and VLAN come from the events (the kernel sends
// RTM_NEWLINK for every change; a carrier that comes up is announced by linkwatch, up to a
// second late); a full dump at the first read, after an overrun of the event queue, and
// on every read where the events or RTM_GETSTATS cannot be had.
class LinkTable {
 public:
  ~LinkTable() {
    if (events_) nl_socket_free(events_);
    if (stats_) nl_socket_free(stats_);
  }

  tl::expected<std::vector<InterfaceFacts>, std::string> read() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ready_ && !broken_) broken_ = !open();
    bool fresh = false;
    if (broken_ || !synced_ || !drainEvents()) {
      if (std::string err = resync(); !err.empty()) return tl::unexpected(err);
      fresh = true;  // the dump carries the counters
    }
    if (!fresh && !readStats()) {
      broken_ = true;  // a kernel without RTM_GETSTATS: the full dump from now on
      if (std::string err = resync(); !err.empty()) return tl::unexpected(err);
    }
    std::vector<InterfaceFacts> out;
    out.reserve(known_.size());
    for (const auto& [ifindex, f] : known_) out.push_back(f);
    return out;
  }

 private:
  bool open() {
    events_ = nl_socket_alloc();
    stats_ = nl_socket_alloc();
    if (!events_ || !stats_) return false;
    nl_socket_disable_seq_check(events_);  // notifications carry no sequence of ours
    if (nl_connect(events_, NETLINK_ROUTE) < 0 || nl_connect(stats_, NETLINK_ROUTE) < 0) return false;
    if (nl_socket_add_membership(events_, RTNLGRP_LINK) < 0) return false;
    nl_socket_set_nonblocking(events_);
    nl_socket_modify_cb(events_, NL_CB_VALID, NL_CB_CUSTOM, &LinkTable::onEvent, this);
    nl_socket_modify_cb(stats_, NL_CB_VALID, NL_CB_CUSTOM, &LinkTable::onStats, this);
    timeval tv{2, 0};
    setsockopt(nl_socket_get_fd(stats_), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ready_ = true;
    return true;
  }

  // Subscribed before the dump: a change while it runs is in the queue after it.
  std::string resync() {
    if (events_ && ready_) {
      // What was queued before the dump is older than it.
      uint8_t buf[8192];
      while (recv(nl_socket_get_fd(events_), buf, sizeof buf, MSG_DONTWAIT) > 0) {
      }
    }
    std::map<int, InterfaceFacts> now;
    std::string err = dumpCache([](nl_sock* sk, nl_cache** c) { return rtnl_link_alloc_cache(sk, AF_UNSPEC, c); },
                                [&](nl_object* o) {
                                  InterfaceFacts f = toFacts(reinterpret_cast<rtnl_link*>(o));
                                  now[f.ifindex] = std::move(f);
                                });
    if (!err.empty()) return err;
    known_ = std::move(now);
    synced_ = ready_;
    return "";
  }

  // false: the queue overran (a change may be lost) or the socket failed: a full dump.
  bool drainEvents() {
    int fd = nl_socket_get_fd(events_);
    for (int round = 0; round < 100000; ++round) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 0) <= 0) return true;
      int rc = nl_recvmsgs_default(events_);
      if (rc < 0 && rc != -NLE_AGAIN) return false;  // ENOBUFS (-NLE_NOMEM): events were dropped
    }
    return false;
  }

  bool readStats() {
    if_stats_msg ask{};
    ask.family = AF_UNSPEC;
    ask.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
    statsSeen_ = 0;
    if (nl_send_simple(stats_, RTM_GETSTATS, NLM_F_DUMP, &ask, sizeof ask) < 0) return false;
    if (nl_recvmsgs_default(stats_) < 0) return false;
    return statsSeen_ > 0 || known_.empty();
  }

  static void applyEvent(nl_object* o, void* arg) {
    auto* self = static_cast<LinkTable*>(arg);
    auto* l = reinterpret_cast<rtnl_link*>(o);
    if (self->eventType_ == RTM_DELLINK) {
      self->known_.erase(rtnl_link_get_ifindex(l));
      return;
    }
    InterfaceFacts f = toFacts(l);
    self->known_[f.ifindex] = std::move(f);
  }

  static int onEvent(nl_msg* msg, void* arg) {
    auto* self = static_cast<LinkTable*>(arg);
    int type = nlmsg_hdr(msg)->nlmsg_type;
    if (type != RTM_NEWLINK && type != RTM_DELLINK) return NL_SKIP;
    self->eventType_ = type;
    nl_msg_parse(msg, &LinkTable::applyEvent, self);
    return NL_OK;
  }

  static int onStats(nl_msg* msg, void* arg) {
    auto* self = static_cast<LinkTable*>(arg);
    nlmsghdr* h = nlmsg_hdr(msg);
    if (h->nlmsg_type != RTM_NEWSTATS || nlmsg_datalen(h) < int(sizeof(if_stats_msg))) return NL_SKIP;
    const auto* head = static_cast<const if_stats_msg*>(nlmsg_data(h));
    nlattr* a = nlmsg_find_attr(h, sizeof(if_stats_msg), IFLA_STATS_LINK_64);
    auto it = self->known_.find(int(head->ifindex));
    if (!a || it == self->known_.end() || nla_len(a) < int(sizeof(rtnl_link_stats64))) return NL_OK;
    rtnl_link_stats64 st;
    std::memcpy(&st, nla_data(a), sizeof st);
    InterfaceFacts& f = it->second;
    f.rxPackets = st.rx_packets, f.txPackets = st.tx_packets;
    f.rxErrors = st.rx_errors, f.txErrors = st.tx_errors;
    f.rxCrcErrors = st.rx_crc_errors, f.rxFrameErrors = st.rx_frame_errors;
    f.rxDropped = st.rx_dropped, f.txDropped = st.tx_dropped;
    ++self->statsSeen_;
    return NL_OK;
  }

  std::mutex mutex_;
  nl_sock* events_ = nullptr;
  nl_sock* stats_ = nullptr;
  bool ready_ = false, broken_ = false, synced_ = false;
  int eventType_ = 0;
  size_t statsSeen_ = 0;
  std::map<int, InterfaceFacts> known_;  // by ifindex
};

class LinuxLinkSource final : public LinkSource {
 public:
  tl::expected<std::vector<InterfaceFacts>, std::string> counters() override { return table_.read(); }

  tl::expected<std::vector<InterfaceFacts>, std::string> interfaces() override {
    auto links = counters();
    if (!links) return links;
    std::vector<InterfaceFacts>& out = *links;
    fillBusInfo(out);
    // Addresses, attached to their interfaces.
    std::string err = dumpCache([](nl_sock* sk, nl_cache** c) { return rtnl_addr_alloc_cache(sk, c); },
                    [&](nl_object* o) {
                      auto* a = reinterpret_cast<rtnl_addr*>(o);
                      auto ip = toAddress(rtnl_addr_get_local(a));
                      if (!ip) return;
                      for (auto& i : out)
                        if (i.ifindex == rtnl_addr_get_ifindex(a)) i.addresses.push_back({*ip, rtnl_addr_get_prefixlen(a)});
                    });
    if (!err.empty()) return tl::unexpected(err);
    return out;
  }

  tl::expected<std::vector<NeighborEntry>, std::string> neighbors() override {
    std::vector<NeighborEntry> out;
    std::string err = dumpCache([](nl_sock* sk, nl_cache** c) { return rtnl_neigh_alloc_cache(sk, c); },
                                [&](nl_object* o) {
                                  auto* n = reinterpret_cast<rtnl_neigh*>(o);
                                  auto ip = toAddress(rtnl_neigh_get_dst(n));
                                  if (!ip) return;
                                  NeighborEntry e;
                                  e.ifindex = rtnl_neigh_get_ifindex(n);
                                  e.address = *ip;
                                  if (nl_addr* ll = rtnl_neigh_get_lladdr(n)) e.mac = macText(ll);
                                  char buf[64];
                                  std::string st = rtnl_neigh_state2str(rtnl_neigh_get_state(n), buf, sizeof buf);
                                  for (auto& ch : st) ch = char(std::toupper(static_cast<unsigned char>(ch)));
                                  e.state = st;
                                  out.push_back(e);
                                });
    if (!err.empty()) return tl::unexpected(err);
    return out;
  }

  tl::expected<LinkModes, std::string> linkModes(const std::string& ifname) override {
    LinkModes m;
    auto r = genl_.request(
        ETHTOOL_MSG_LINKMODES_GET, ETHTOOL_A_LINKMODES_HEADER, ETHTOOL_A_LINKMODES_MAX, ifname, nullptr,
        [&](nlattr** a) {
          if (a[ETHTOOL_A_LINKMODES_SPEED]) {
            uint32_t s = nla_get_u32(a[ETHTOOL_A_LINKMODES_SPEED]);
            if (s != 0 && s != uint32_t(SPEED_UNKNOWN)) m.speedMbps = s;
          }
          if (a[ETHTOOL_A_LINKMODES_DUPLEX]) {
            uint8_t d = nla_get_u8(a[ETHTOOL_A_LINKMODES_DUPLEX]);
            if (d == DUPLEX_FULL) m.fullDuplex = true;
            else if (d == DUPLEX_HALF) m.fullDuplex = false;
          }
          if (a[ETHTOOL_A_LINKMODES_AUTONEG]) m.autoneg = nla_get_u8(a[ETHTOOL_A_LINKMODES_AUTONEG]) == AUTONEG_ENABLE;
        });
    if (!r) {
      if (r.error().errnum == EOPNOTSUPP)
        return tl::unexpected("the driver does not report link modes (" + r.error().message + ")");
      return tl::unexpected("ethtool netlink LINKMODES_GET failed: " + r.error().message);
    }
    return m;
  }

  tl::expected<FecStats, std::string> fecStats(const std::string& ifname) override {
    FecStats f;
    bool any = false;
    auto r = genl_.request(
        ETHTOOL_MSG_FEC_GET, ETHTOOL_A_FEC_HEADER, ETHTOOL_A_FEC_MAX, ifname, nullptr,
        [&](nlattr** a) {
          if (!a[ETHTOOL_A_FEC_STATS]) return;
          nlattr* st[ETHTOOL_A_FEC_STAT_MAX + 1];
          if (nla_parse_nested(st, ETHTOOL_A_FEC_STAT_MAX, a[ETHTOOL_A_FEC_STATS], nullptr) != 0) return;
          f.corrected = fecTotal(st[ETHTOOL_A_FEC_STAT_CORRECTED]);
          f.uncorrectable = fecTotal(st[ETHTOOL_A_FEC_STAT_UNCORR]);
          any = f.corrected || f.uncorrectable;
        },
        ETHTOOL_FLAG_STATS);
    if (!r) return tl::unexpected("ethtool netlink FEC_GET: " + r.error().message);
    if (!any) return tl::unexpected("the driver of " + ifname + " keeps no FEC statistics");
    return f;
  }

 private:
  // A port's bus address does not change while its ifindex lives: read from sysfs once per
  // (ifindex, name), not for every interface at every dump (the recorder dumps once a second).
  void fillBusInfo(std::vector<InterfaceFacts>& dump) {
    std::lock_guard<std::mutex> lock(busMutex_);
    std::map<int, std::pair<std::string, std::string>> seen;
    for (InterfaceFacts& f : dump) {
      auto it = busInfo_.find(f.ifindex);
      if (it != busInfo_.end() && it->second.first == f.name) f.busInfo = it->second.second;
      else f.busInfo = readBusInfo(f.name);
      seen[f.ifindex] = {f.name, f.busInfo};
    }
    busInfo_ = std::move(seen);  // gone interfaces leave the cache
  }

  LinkTable table_;
  EthtoolGenl genl_;
  std::mutex busMutex_;
  std::map<int, std::pair<std::string, std::string>> busInfo_;  // ifindex -> (name, bus info)
};

}  // namespace

std::unique_ptr<LinkSource> makeLinuxLinkSource() { return std::make_unique<LinuxLinkSource>(); }

}  // namespace linkready::link
