#include "probes/common/ethtool_genl.h"

#include <linux/ethtool_netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace linkready {

namespace {

struct Exchange {
  int maxAttr;
  const std::function<void(nlattr**)>* onReply;
  int kernelErrno = 0;
  bool done = false;
};

int onValid(nl_msg* msg, void* arg) {
  auto* ex = static_cast<Exchange*>(arg);
  std::vector<nlattr*> attrs(ex->maxAttr + 1, nullptr);
  if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs.data(), ex->maxAttr, nullptr) == 0) (*ex->onReply)(attrs.data());
  return NL_OK;
}

int onError(sockaddr_nl*, nlmsgerr* err, void* arg) {
  auto* ex = static_cast<Exchange*>(arg);
  ex->kernelErrno = -err->error;
  ex->done = true;
  return NL_STOP;
}

int onAck(nl_msg*, void* arg) {
  static_cast<Exchange*>(arg)->done = true;
  return NL_STOP;
}

}  // namespace

EthtoolGenl::EthtoolGenl() {
  sock_ = nl_socket_alloc();
  if (!sock_) {
    openError_ = "out of memory";
    return;
  }
  if (int rc = genl_connect(sock_); rc < 0) {
    openError_ = std::string("cannot open generic netlink: ") + nl_geterror(rc);
    return;
  }
  // A kernel that never answers must not hang a check.
  timeval tv{2, 0};
  setsockopt(nl_socket_get_fd(sock_), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  family_ = genl_ctrl_resolve(sock_, ETHTOOL_GENL_NAME);
  if (family_ < 0) openError_ = "the kernel has no ethtool netlink interface (Linux 5.6 or later)";
}

EthtoolGenl::~EthtoolGenl() {
  if (sock_) nl_socket_free(sock_);
}

tl::expected<void, NetlinkError> EthtoolGenl::request(
    int command, int headerAttr, int maxAttr, const std::string& ifname,
    const std::function<void(nl_msg*)>& addAttrs, const std::function<void(nlattr**)>& onReply,
    uint32_t headerFlags) {
  if (family_ < 0) return tl::unexpected(NetlinkError{EOPNOTSUPP, openError_});
  nl_msg* msg = nlmsg_alloc();
  if (!msg) return tl::unexpected(NetlinkError{ENOMEM, "out of memory"});
  genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, NLM_F_REQUEST | NLM_F_ACK, command,
              ETHTOOL_GENL_VERSION);
  nlattr* hdr = nla_nest_start(msg, headerAttr);
  nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, ifname.c_str());
  if (headerFlags) nla_put_u32(msg, ETHTOOL_A_HEADER_FLAGS, headerFlags);
  nla_nest_end(msg, hdr);
  if (addAttrs) addAttrs(msg);

  Exchange ex{maxAttr, &onReply};
  nl_cb* cb = nl_cb_alloc(NL_CB_DEFAULT);
  nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, onValid, &ex);
  nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, onAck, &ex);
  nl_cb_err(cb, NL_CB_CUSTOM, onError, &ex);
  int rc = nl_send_auto(sock_, msg);
  nlmsg_free(msg);
  // The reply and the ACK may arrive in separate reads: read until the ACK or an error.
  while (rc >= 0 && !ex.done) rc = nl_recvmsgs(sock_, cb);
  nl_cb_put(cb);
  if (ex.kernelErrno != 0) return tl::unexpected(NetlinkError{ex.kernelErrno, strerror(ex.kernelErrno)});
  if (rc < 0) return tl::unexpected(NetlinkError{EIO, std::string("netlink: ") + nl_geterror(rc)});
  return {};
}

}  // namespace linkready
