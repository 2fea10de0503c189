#include "agent/check/intent.h"

#include <algorithm>
#include <cstdio>

namespace linkready::intent {

namespace {
std::string norm(const std::string& s) { return cloud::normalizeEnum(s); }
}  // namespace

tl::expected<std::vector<Draft>, std::string> drafts(const Intent& in, const ImportOptions& o) {
  std::vector<Draft> out;
  for (const Vbr& v : in.vbrs) {
    Draft d;
    config::Link& l = d.link;
    l.name = v.name.empty() ? v.id : v.name;
    l.interface = o.interface;
    l.order.vbrId = v.id;
    l.order.physicalConnectionId = v.physicalConnectionId;
    const PhysicalConnection* pc = nullptr;
    for (const auto& c : in.connections)
      if (c.id == v.physicalConnectionId) pc = &c;
    if (pc && !pc->portType.empty()) {
      l.order.portType = pc->portType;
      d.comments.push_back({"order", "PortType of " + pc->id + " (DescribePhysicalConnections)"});
    }
    // The router's tag: Equinix's aSide when the link goes through Equinix, else the VBR's.
    const EquinixConnection* eq = in.equinix.empty() ? nullptr : &in.equinix.front();
    if (eq && eq->aSideProtocol == "QINQ" && eq->aSideSTag) {
      l.vlan.mode = config::VlanMode::Qinq;
      l.vlan.sTag = uint16_t(*eq->aSideSTag);
      l.vlan.cTag = uint16_t(eq->aSideCTag.value_or(0));
      l.vlan.tpid = eq->tagProtocolId.value_or(0x88a8);
      if (!eq->aSideCTag) return tl::unexpected(eq->source + ".aSide.accessPoint.linkProtocol.vlanCTag: a QINQ connection without a C-tag (0 or absent): ask Equinix which inner tag the port carries");
      d.comments.push_back({"vlan", "Equinix aSide linkProtocol vlanSTag/vlanCTag of " + eq->uuid +
                                        " (Equinix rewrites tags; the VBR's VlanId is Alibaba's side)"});
    } else if (eq && eq->aSideProtocol == "DOT1Q" && eq->aSideTag) {
      l.vlan.mode = config::VlanMode::Dot1q;
      l.vlan.id = uint16_t(*eq->aSideTag);
      l.vlan.tpid = 0x8100;
      d.comments.push_back({"vlan", "Equinix aSide linkProtocol vlanTag of " + eq->uuid +
                                        " (Equinix rewrites tags; the VBR's VlanId is Alibaba's side)"});
    } else if (v.vlanId && *v.vlanId > 0) {
      l.vlan.mode = config::VlanMode::Dot1q;
      l.vlan.id = uint16_t(*v.vlanId);
      l.vlan.tpid = 0x8100;
      d.comments.push_back({"vlan", "VlanId of " + v.id + " (DescribeVirtualBorderRouters)"});
    }
    if (!v.peerGatewayIp.empty()) {
      std::string mask = v.peeringSubnetMask;
      std::string text = v.peerGatewayIp + "/" + (mask.rfind('/', 0) == 0 ? mask.substr(1) : mask);
      if (mask.find('/') != std::string::npos && mask.rfind('/', 0) != 0) text = v.peerGatewayIp + mask.substr(mask.find('/'));
      auto p = IpPrefix::parse(text);
      if (!p) return tl::unexpected(v.source + ".PeerGatewayIp/PeeringSubnetMask: '" + v.peerGatewayIp + "' with '" + mask +
                                    "' is not an address and mask (masked in the sample?)");
      l.ip.local = p;
      auto gw = IpAddress::parse(v.localGatewayIp);
      if (!gw) return tl::unexpected(v.source + ".LocalGatewayIp: '" + v.localGatewayIp + "' is not an IP address");
      l.ip.gateway = gw;
      d.comments.push_back({"ip", "PeerGatewayIp/PeeringSubnetMask (ours) and LocalGatewayIp (Alibaba's) of " + v.id});
    }
    if (v.enableIpv6 && !v.peerIpv6GatewayIp.empty()) {
      std::string len = v.peeringIpv6SubnetMask.substr(v.peeringIpv6SubnetMask.find('/') == std::string::npos ? 0 : v.peeringIpv6SubnetMask.find('/'));
      auto p6 = IpPrefix::parse(v.peerIpv6GatewayIp + (len.rfind('/', 0) == 0 ? len : "/" + len));
      auto g6 = IpAddress::parse(v.localIpv6GatewayIp);
      if (p6 && g6) l.ip.local6 = p6, l.ip.gateway6 = g6;
    }
    const BgpGroup* g = nullptr;
    for (const auto& x : in.groups)
      if (x.vbrId == v.id) g = &x;
    if (g) {
      config::Bgp b;
      b.peer = l.ip.gateway.value_or(IpAddress{});
      for (const auto& p : in.peers)
        if (p.groupId == g->id && IpAddress::parse(p.peerIpAddress) && IpAddress::parse(p.peerIpAddress)->isV4()) {
          b.peer = *IpAddress::parse(p.peerIpAddress);
          if (p.enableBfd) b.bfd = *p.enableBfd;
        }
      if (g->localAsn) b.remoteAs = *g->localAsn;  // LocalAsn is Alibaba's
      if (g->peerAsn) b.localAs = *g->peerAsn;
      if (g->routeLimit) b.maxPrefixes = *g->routeLimit;
      l.bgp = b;
      d.comments.push_back({"bgp", "BGP group " + g->id + ": LocalAsn (Alibaba's) -> remote_as, PeerAsn -> local_as, "
                                   "RouteLimit -> max_prefixes; peer and BFD from its BGP peer"});
      if (!g->authKeyHash.empty())
        d.md5Note = "BGP group " + g->id + " sets an MD5 key (" + std::to_string(g->authKeyLength) +
                    " characters, sha256 " + g->authKeyHash + "...): put it in " + o.md5KeyDir + "/" + v.id +
                    " (mode 600) and in FRR's 'neighbor X password'; it is never written here";
    }
    if (pc && !pc->redundantId.empty()) {
      for (const auto& other : in.vbrs)
        if (other.physicalConnectionId == pc->redundantId)
          l.redundantWith = other.name.empty() ? other.id : other.name;
    }
    out.push_back(std::move(d));
  }
  if (out.empty()) return tl::unexpected(std::string("no VBR in the intent: give the output of aliyun vpc DescribeVirtualBorderRouters"));
  return out;
}

tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& in, const ImportOptions& o) {
  auto ds = drafts(in, o);
  if (!ds) return tl::unexpected(ds.error());
  std::vector<config::Link> out;
  for (auto& d : *ds) out.push_back(d.link);
  return out;
}

std::vector<Finding> reconcile(const Intent& in) {
  std::vector<Finding> out;
  for (const Vbr& v : in.vbrs) {
    std::string who = "VBR " + v.id;
    if (norm(v.status) != "active")
      out.push_back({2, who + " is not active", v.status, "active",
                     "the VBR is not usable yet: finish it in the Alibaba console (Express Connect > VBR)"});
    else
      out.push_back({0, who + " is active", v.status, "active", ""});
    auto local = IpPrefix::parse(v.peerGatewayIp + "/" + v.peeringSubnetMask);
    auto gw = IpAddress::parse(v.localGatewayIp);
    if (local && gw) {
      if (!local->contains(*gw))
        out.push_back({2, who + ": LocalGatewayIp outside our subnet", v.localGatewayIp + " vs " + local->toString(),
                       "both in one subnet", "the VBR's Local/Peer IPs or the mask are wrong in the order"});
      else
        out.push_back({0, who + ": gateway and our IP in one subnet", local->toString(), "one subnet", ""});
    }
    for (const auto& pc : in.connections) {
      if (pc.id != v.physicalConnectionId) continue;
      bool enabled = norm(pc.status) == "enabled";
      out.push_back({enabled ? 0 : 2, "physical connection " + pc.id + (enabled ? " is Enabled" : " is not Enabled"),
                     pc.status + (pc.loaStatus.empty() ? "" : ", LOA " + pc.loaStatus), "Enabled",
                     enabled ? "" : "LOA not approved, cross-connect not completed, or Confirm Delivery not done: follow "
                                    "the LOA flow in the Alibaba console"});
    }
    for (const auto& eq : in.equinix) {
      if (eq.zSideTag && v.vlanId && *eq.zSideTag != *v.vlanId)
        out.push_back({2, "Equinix zSide VLAN vs " + who, "zSide " + std::to_string(*eq.zSideTag) + ", VBR " + std::to_string(*v.vlanId),
                       "equal", "verify that the VLAN ID on the Equinix side is the VLAN ID of the VBR"});
      else if (eq.zSideTag && v.vlanId)
        out.push_back({0, "Equinix zSide VLAN matches " + who, std::to_string(*eq.zSideTag), std::to_string(*v.vlanId), ""});
    }
  }
  for (const auto& eq : in.equinix) {
    std::string who = "Equinix connection " + (eq.name.empty() ? eq.uuid : eq.name);
    std::string eqs = norm(eq.equinixStatus), ps = norm(eq.providerStatus);
    if (eqs.empty() && ps.empty()) {
      out.push_back({3, who + ": no provisioning state", "no operation.equinixStatus/providerStatus", "PROVISIONED/PROVISIONED",
                     "this looks like a create request, not the connection as Equinix reports it: "
                     "GET /fabric/v4/connections/{id}"});
      continue;
    }
    bool ok = eqs == "provisioned" && (ps == "provisioned" || ps == "available");
    std::string hint;
    if (ps == "pendingapproval" || ps == "notavailable") hint = "accept the connection in the Alibaba console";
    else if (ps == "provisioning" || eqs == "provisioning") hint = "Equinix is still provisioning: wait, then check again";
    else if (ps == "failed" || eqs == "failed") hint = "provisioning failed: open a case with Equinix";
    else if (ps.find("delet") != std::string::npos || norm(eq.state) == "deprovisioned")
      hint = "the connection is being removed or was removed";
    else if (!ok) hint = "unknown state '" + eq.providerStatus + "': check the Equinix portal";
    out.push_back({ok ? 0 : 2, who + (ok ? " is provisioned" : " is not provisioned"),
                   "equinixStatus " + eq.equinixStatus + ", providerStatus " + eq.providerStatus, "PROVISIONED/PROVISIONED",
                   hint});
  }
  return out;
}

}  // namespace linkready::intent
