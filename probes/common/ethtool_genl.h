// A generic-netlink connection to the kernel's "ethtool" family (libnl-genl), shared by
// the link probe (LINKMODES_GET) and the optics probe (MODULE_EEPROM_GET).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <tl/expected.hpp>

struct nl_msg;
struct nl_sock;
struct nlattr;

namespace linkready {

// A failed request: the kernel's errno (positive) and a sentence for the report.
struct NetlinkError {
  int errnum = 0;
  std::string message;
};

class EthtoolGenl {
 public:
  EthtoolGenl();
  ~EthtoolGenl();
  EthtoolGenl(const EthtoolGenl&) = delete;
  EthtoolGenl& operator=(const EthtoolGenl&) = delete;

  // Sends one request for `ifname`. `addAttrs` adds attributes after the header nest
  // (whose attribute number is `headerAttr`, with ETHTOOL_A_HEADER_FLAGS `headerFlags` when
  // not 0, e.g. ETHTOOL_FLAG_STATS); `onReply` receives the reply's top-level
  // attributes, indexed by type, up to `maxAttr`.
  tl::expected<void, NetlinkError> request(
      int command, int headerAttr, int maxAttr, const std::string& ifname,
      const std::function<void(nl_msg*)>& addAttrs,
      const std::function<void(nlattr** attrs)>& onReply, uint32_t headerFlags = 0);

  bool available() const { return family_ >= 0; }
  const std::string& openError() const { return openError_; }

 private:
  nl_sock* sock_ = nullptr;
  int family_ = -1;
  std::string openError_;
};

}  // namespace linkready
