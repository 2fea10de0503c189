// rtnetlink (libnl-route) and ethtool netlink (libnl-genl) behind LinkSource.
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/if.h>
#include <netlink/genl/genl.h>
#include <netlink/route/link.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "probes/common/ethtool_genl.h"
#include "probes/link/link_source.h"

namespace linkready::link {

namespace {

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
  return f;
}

class LinuxLinkSource final : public LinkSource {
 public:
  tl::expected<std::vector<InterfaceFacts>, std::string> interfaces() override {
    nl_sock* sk = nl_socket_alloc();
    if (!sk) return tl::unexpected(std::string("out of memory"));
    std::vector<InterfaceFacts> out;
    std::string err;
    if (int rc = nl_connect(sk, NETLINK_ROUTE); rc < 0) {
      err = std::string("cannot open rtnetlink: ") + nl_geterror(rc);
    } else {
      timeval tv{2, 0};
      setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      nl_cache* cache = nullptr;
      if (int rc2 = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache); rc2 < 0) {
        err = std::string("rtnetlink link dump failed: ") + nl_geterror(rc2);
      } else {
        for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o))
          out.push_back(toFacts(reinterpret_cast<rtnl_link*>(o)));
        nl_cache_free(cache);
      }
    }
    nl_socket_free(sk);
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

 private:
  EthtoolGenl genl_;
};

}  // namespace

std::unique_ptr<LinkSource> makeLinuxLinkSource() { return std::make_unique<LinuxLinkSource>(); }

}  // namespace linkready::link
