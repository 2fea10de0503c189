// Module EEPROM reads: ethtool netlink ETHTOOL_MSG_MODULE_EEPROM_GET (libnl-genl), and
// the legacy SIOCETHTOOL ETHTOOL_GMODULEINFO / ETHTOOL_GMODULEEEPROM where the kernel or
// the driver lacks the netlink path.
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/genl/genl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

#include "probes/common/ethtool_genl.h"
#include "probes/optics/eeprom_io.h"

namespace linkready::optics {

namespace {

// The legacy ioctl returns one blob for the whole module in a fixed layout.
struct LegacyBlob {
  uint32_t type = 0;  // ETH_MODULE_SFF_8079, _8472, _8436, _8636
  std::vector<uint8_t> bytes;
  std::chrono::steady_clock::time_point readAt;
};

// One ioctl reads the whole module; the requests of one poll are served from it, the
// next poll reads it again.
constexpr auto kLegacyBlobLifetime = std::chrono::milliseconds(500);

tl::expected<LegacyBlob, EepromError> legacyRead(const std::string& ifname) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return tl::unexpected(EepromError{errno, std::string("socket: ") + strerror(errno)});
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  ethtool_modinfo info{};
  info.cmd = ETHTOOL_GMODULEINFO;
  ifr.ifr_data = reinterpret_cast<char*>(&info);
  if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) {
    int e = errno;
    close(fd);
    return tl::unexpected(EepromError{e, std::string("ETHTOOL_GMODULEINFO: ") + strerror(e)});
  }
  std::vector<uint8_t> buf(sizeof(ethtool_eeprom) + info.eeprom_len);
  auto* ee = reinterpret_cast<ethtool_eeprom*>(buf.data());
  ee->cmd = ETHTOOL_GMODULEEEPROM;
  ee->offset = 0;
  ee->len = info.eeprom_len;
  ifr.ifr_data = reinterpret_cast<char*>(ee);
  if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) {
    int e = errno;
    close(fd);
    return tl::unexpected(EepromError{e, std::string("ETHTOOL_GMODULEEEPROM: ") + strerror(e)});
  }
  close(fd);
  LegacyBlob blob;
  blob.type = info.type;
  blob.bytes.assign(buf.begin() + sizeof(ethtool_eeprom), buf.end());
  return blob;
}

// Where a request lies in the legacy blob, or -1 where the ioctl cannot reach it (CMIS
// pages 02h/11h, banks).
long legacyOffset(const LegacyBlob& blob, const EepromRead& r) {
  if (r.bank != 0) return -1;
  if (blob.type == ETH_MODULE_SFF_8079 || blob.type == ETH_MODULE_SFF_8472) {
    if (r.i2c == 0x50) return r.offset;
    if (r.i2c == 0x51 && blob.type == ETH_MODULE_SFF_8472) return 256 + r.offset;
    return -1;
  }
  // SFF-8436/8636 (and CMIS): lower, then upper pages 00h, 01h, 02h, 03h in 128-byte blocks.
  if (r.i2c != 0x50) return -1;
  if (r.offset < 128) return r.offset;
  if (r.page > 3) return -1;
  return 128 + long(r.page) * 128 + (r.offset - 128);
}

class LinuxEepromIo final : public EepromIo {
 public:
  tl::expected<std::vector<uint8_t>, EepromError> read(const std::string& ifname, const EepromRead& r) override {
    if (!legacyOnly_.count(ifname)) {
      auto n = netlinkRead(ifname, r);
      if (n || n.error().errnum != EOPNOTSUPP) return n;
      legacyOnly_[ifname] = true;  // the kernel or driver has no netlink path: use the ioctl
    }
    auto& cached = blobs_[ifname];
    if (cached.bytes.empty() || std::chrono::steady_clock::now() - cached.readAt > kLegacyBlobLifetime) {
      auto blob = legacyRead(ifname);
      if (!blob) {
        legacyOnly_.erase(ifname);
        return tl::unexpected(blob.error());
      }
      cached = std::move(*blob);
      cached.readAt = std::chrono::steady_clock::now();
    }
    long off = legacyOffset(cached, r);
    if (off < 0 || size_t(off) + r.length > cached.bytes.size())
      return tl::unexpected(EepromError{EOPNOTSUPP, "not reachable through the legacy ioctl"});
    return std::vector<uint8_t>(cached.bytes.begin() + off, cached.bytes.begin() + off + r.length);
  }

 private:
  tl::expected<std::vector<uint8_t>, EepromError> netlinkRead(const std::string& ifname, const EepromRead& r) {
    std::vector<uint8_t> out;
    auto res = genl_.request(
        ETHTOOL_MSG_MODULE_EEPROM_GET, ETHTOOL_A_MODULE_EEPROM_HEADER, ETHTOOL_A_MODULE_EEPROM_MAX, ifname,
        [&](nl_msg* msg) {
          nla_put_u32(msg, ETHTOOL_A_MODULE_EEPROM_OFFSET, r.offset);
          nla_put_u32(msg, ETHTOOL_A_MODULE_EEPROM_LENGTH, r.length);
          nla_put_u8(msg, ETHTOOL_A_MODULE_EEPROM_PAGE, r.page);
          nla_put_u8(msg, ETHTOOL_A_MODULE_EEPROM_BANK, r.bank);
          nla_put_u8(msg, ETHTOOL_A_MODULE_EEPROM_I2C_ADDRESS, r.i2c);
        },
        [&](nlattr** a) {
          if (nlattr* d = a[ETHTOOL_A_MODULE_EEPROM_DATA]) {
            auto* p = static_cast<const uint8_t*>(nla_data(d));
            out.assign(p, p + nla_len(d));
          }
        });
    if (!res) return tl::unexpected(EepromError{res.error().errnum, res.error().message});
    if (out.size() != r.length)
      return tl::unexpected(EepromError{EIO, "short read: " + std::to_string(out.size()) + " of " +
                                                 std::to_string(r.length) + " bytes"});
    return out;
  }

  EthtoolGenl genl_;
  std::map<std::string, bool> legacyOnly_;
  std::map<std::string, LegacyBlob> blobs_;
};

}  // namespace

std::unique_ptr<EepromIo> makeLinuxEepromIo() { return std::make_unique<LinuxEepromIo>(); }

}  // namespace linkready::optics
