// rtnetlink (libnl-route) and ethtool netlink (libnl-genl) behind LinkSource.
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/if.h>
#include <netlink/genl/genl.h>
#include <arpa/inet.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/neighbour.h>
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

class LinuxLinkSource final : public LinkSource {
 public:
  tl::expected<std::vector<InterfaceFacts>, std::string> counters() override {
    std::vector<InterfaceFacts> out;
    std::string err = dumpCache([](nl_sock* sk, nl_cache** c) { return rtnl_link_alloc_cache(sk, AF_UNSPEC, c); },
                                [&](nl_object* o) { out.push_back(toFacts(reinterpret_cast<rtnl_link*>(o))); });
    if (!err.empty()) return tl::unexpected(err);
    return out;
  }

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

  EthtoolGenl genl_;
  std::mutex busMutex_;
  std::map<int, std::pair<std::string, std::string>> busInfo_;  // ifindex -> (name, bus info)
};

}  // namespace

std::unique_ptr<LinkSource> makeLinuxLinkSource() { return std::make_unique<LinuxLinkSource>(); }

}  // namespace linkready::link
