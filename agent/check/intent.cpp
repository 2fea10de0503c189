#include "agent/check/intent.h"

#include <algorithm>
#include <cstdio>

namespace linkready::intent {

namespace {

std::string linkName(const Vbr& v) { return v.name.empty() ? v.id : v.name; }

const PhysicalConnection* connectionOf(const Intent& in, const Vbr& v) {
  for (const auto& c : in.connections)
    if (!v.physicalConnectionId.empty() && c.id == v.physicalConnectionId) return &c;
  return nullptr;
}

bool mentions(const std::string& text, const std::string& id) { return !id.empty() && text.find(id) != std::string::npos; }

// How well an Equinix connection fits a VBR: its name naming the VBR or its physical
// connection (3), its zSide tag being the VBR's VLAN (2) or the physical connection's (1).
struct Fit {
  int score = 0;
  std::string why;
};

Fit fit(const Intent& in, const Vbr& v, const EquinixConnection& eq) {
  const PhysicalConnection* pc = connectionOf(in, v);
  if (mentions(eq.name, v.id)) return {3, "its name names " + v.id};
  if (mentions(eq.name, v.physicalConnectionId)) return {3, "its name names " + v.physicalConnectionId};
  if (eq.zSideTag && v.vlanId && *eq.zSideTag == *v.vlanId)
    return {2, "its zSide VLAN " + std::to_string(*eq.zSideTag) + " is the VlanId of " + v.id};
  if (eq.zSideTag && pc && pc->vlanId && *eq.zSideTag == *pc->vlanId)
    return {1, "its zSide VLAN " + std::to_string(*eq.zSideTag) + " is the VlanId of " + pc->id};
  return {};
}

std::string eqName(const EquinixConnection& eq) { return eq.name.empty() ? eq.uuid : eq.name; }

}  // namespace

// Each VBR's connection: the best fit, when no other VBR fits it as well. With one VBR and
// one connection and no evidence either way, the pair is taken and the comment says so.
std::vector<const EquinixConnection*> matchEquinix(const Intent& in, std::vector<std::string>& unmatched,
                                                   std::vector<std::string>& why) {
  std::vector<const EquinixConnection*> out(in.vbrs.size(), nullptr);
  std::vector<int> scores(in.vbrs.size(), 0);
  why.assign(in.vbrs.size(), "");
  for (const EquinixConnection& eq : in.equinix) {
    int best = 0, count = 0;
    size_t at = 0;
    std::string reason;
    for (size_t i = 0; i < in.vbrs.size(); ++i) {
      Fit f = fit(in, in.vbrs[i], eq);
      if (f.score > best) best = f.score, count = 1, at = i, reason = f.why;
      else if (f.score == best && best > 0) ++count;
    }
    if (best == 0 && in.vbrs.size() == 1 && in.equinix.size() == 1) {
      // Taken as the pair they were given as; VLANs that differ are then the fault to fix
      // (reconcile: CRITICAL), not a reason to part them.
      best = 1, count = 1, at = 0;
      const Vbr& v = in.vbrs[0];
      if (eq.zSideTag && v.vlanId && *v.vlanId > 0)
        reason = "the only connection and the only VBR, although its zSide VLAN " + std::to_string(*eq.zSideTag) +
                 " is not the VBR's VlanId " + std::to_string(*v.vlanId) + ": see linkready intent reconcile";
      else
        reason = "the only connection and the only VBR (no VBR id in its name, no zSide VLAN to compare)";
    }
    if (best == 0) {
      unmatched.push_back("Equinix connection " + eqName(eq) + " matches no VBR: its name names no VBR or physical "
                          "connection id" + (eq.zSideTag ? " and its zSide VLAN " + std::to_string(*eq.zSideTag) +
                          " is no VBR's VlanId" : " and it has no zSide VLAN") + " (" + eq.source + ")");
    } else if (count > 1) {
      unmatched.push_back("Equinix connection " + eqName(eq) + " fits " + std::to_string(count) +
                          " VBRs equally (" + reason + "): name it after its VBR id, or give fewer VBRs (" + eq.source + ")");
    } else if (out[at] && scores[at] >= best) {
      unmatched.push_back("Equinix connection " + eqName(eq) + " fits " + in.vbrs[at].id + ", but " + eqName(*out[at]) +
                          " fits it better or as well (" + eq.source + ")");
    } else {
      if (out[at])
        unmatched.push_back("Equinix connection " + eqName(*out[at]) + " fits " + in.vbrs[at].id + ", but " + eqName(eq) +
                            " fits it better (" + out[at]->source + ")");
      out[at] = &eq, scores[at] = best, why[at] = reason;
    }
  }
  return out;
}

const EquinixPort* portOf(const Intent& in, const EquinixConnection& eq) {
  for (const auto& p : in.equinixPorts)
    if (!eq.portUuid.empty() && p.uuid == eq.portUuid) return &p;
  return nullptr;
}

std::string coloIds(const EquinixPort& p) {
  std::string out;
  for (const auto& pp : p.physicalPorts) {
    std::string one;
    if (!pp.crossConnectId.empty()) one += "cross-connect " + pp.crossConnectId;
    if (!pp.demarcPatchPanel.empty())
      one += std::string(one.empty() ? "" : ", ") + "demarc patch panel " + pp.demarcPatchPanel + " ports " + pp.demarcPortA +
             "/" + pp.demarcPortB;
    if (!pp.ibx.empty()) one += " (IBX " + pp.ibx + ")";
    if (!one.empty()) out += (out.empty() ? "" : "; ") + one;
  }
  return out.empty() ? "" : "Equinix port " + (p.name.empty() ? p.uuid : p.name) + ": " + out;
}

std::optional<IpPrefix> vbrSubnet(const Vbr& v) {
  const std::string& mask = v.peeringSubnetMask;
  std::string text = v.peerGatewayIp + "/" + (mask.rfind('/', 0) == 0 ? mask.substr(1) : mask);
  if (mask.find('/') != std::string::npos && mask.rfind('/', 0) != 0) text = v.peerGatewayIp + mask.substr(mask.find('/'));
  return IpPrefix::parse(text);
}

tl::expected<Drafts, std::string> drafts(const Intent& in, const ImportOptions& o) {
  Drafts result;
  std::vector<std::string> why;
  auto matched = matchEquinix(in, result.unmatched, why);
  auto& out = result.links;
  for (size_t vi = 0; vi < in.vbrs.size(); ++vi) {
    const Vbr& v = in.vbrs[vi];
    Draft d;
    config::Link& l = d.link;
    l.name = linkName(v);
    l.interface = o.interface;
    l.order.vbrId = v.id;
    l.order.physicalConnectionId = v.physicalConnectionId;
    const PhysicalConnection* pc = connectionOf(in, v);
    if (pc && !pc->portType.empty()) {
      l.order.portType = pc->portType;
      d.comments.push_back({"order", "PortType of " + pc->id + " (DescribePhysicalConnections)"});
    }
    // The router's tag: the aSide of the Equinix connection carrying this VBR, else the VBR's.
    const EquinixConnection* eq = matched[vi];
    d.equinix = eq;
    const EquinixPort* port = eq ? portOf(in, *eq) : nullptr;
    std::string via = eq ? eqName(*eq) + " (matched: " + why[vi] + "; Equinix rewrites tags, the VBR's VlanId is Alibaba's side)" : "";
    // A tag outside 1-4094 is no VLAN (and would wrap in 16 bits): said with its field.
    auto outOfRange = [](const auto& tag) { return tag && (*tag < 1 || *tag > 4094); };
    if (eq && (outOfRange(eq->aSideTag) || outOfRange(eq->aSideSTag) || (eq->aSideCTag && *eq->aSideCTag > 4094)))
    {
      std::string tags;
      auto add = [&](const char* key, const auto& tag) {
        if (tag) tags += (tags.empty() ? "" : ", ") + std::string(key) + " " + std::to_string(*tag);
      };
      add("vlanTag", eq->aSideTag), add("vlanSTag", eq->aSideSTag), add("vlanCTag", eq->aSideCTag);
      return tl::unexpected(eq->source + ".aSide.accessPoint.linkProtocol: a VLAN tag outside 1-4094 (" + tags + ")");
    }
    if (!eq && v.vlanId && *v.vlanId > 4094)
      return tl::unexpected(v.source + ".VlanId: " + std::to_string(*v.vlanId) + " is outside 1-4094");
    if (eq && eq->aSideProtocol == "QINQ" && eq->aSideSTag) {
      l.vlan.mode = config::VlanMode::Qinq;
      l.vlan.sTag = uint16_t(*eq->aSideSTag);
      l.vlan.cTag = uint16_t(eq->aSideCTag.value_or(0));
      std::optional<uint16_t> tpid = eq->tagProtocolId;
      if (!tpid && port) tpid = port->tagProtocolId;
      l.vlan.tpid = tpid.value_or(0x88a8);
      if (l.vlan.tpid != 0x8100 && l.vlan.tpid != 0x88a8 && l.vlan.tpid != 0x9100) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%04x", unsigned(l.vlan.tpid));
        return tl::unexpected((eq->tagProtocolId ? eq->source : port ? port->source : eq->source) +
                              ": tagProtocolId " + hex + " is not a TPID a Linux port sends an S-tag with (0x88a8, "
                              "0x8100 or 0x9100): ask Equinix to set the port to one of them");
      }
      if (!eq->aSideCTag) return tl::unexpected(eq->source + ".aSide.accessPoint.linkProtocol.vlanCTag: a QINQ connection without a C-tag (0 or absent): ask Equinix which inner tag the port carries");
      d.comments.push_back({"vlan", "Equinix aSide linkProtocol vlanSTag/vlanCTag of " + via});
      d.comments.push_back({"vlan", tpid ? "TPID: encapsulation.tagProtocolId of Equinix port " + (port ? (port->name.empty() ? port->uuid : port->name) : eq->portUuid)
                                         : "TPID 0x88a8 assumed: give the port object (GET /fabric/v4/ports/" + eq->portUuid + ") for its real tagProtocolId"});
    } else if (eq && eq->aSideProtocol == "DOT1Q" && eq->aSideTag) {
      l.vlan.mode = config::VlanMode::Dot1q;
      l.vlan.id = uint16_t(*eq->aSideTag);
      l.vlan.tpid = 0x8100;
      d.comments.push_back({"vlan", "Equinix aSide linkProtocol vlanTag of " + via});
    } else if (eq && eq->aSideProtocol == "UNTAGGED") {
      l.vlan.mode = config::VlanMode::Untagged;  // not the VBR's VlanId: that is Alibaba's side
      d.comments.push_back({"vlan", "Equinix aSide linkProtocol UNTAGGED of " + via});
    } else if (eq) {
      return tl::unexpected(eq->source + ".aSide.accessPoint.linkProtocol: " +
                            (eq->aSideProtocol.empty() ? std::string("no type") : "type " + eq->aSideProtocol) +
                            " without the tag our port sends (vlanTag, or vlanSTag/vlanCTag): the VBR's VlanId is "
                            "Alibaba's side of Equinix's rewrite, not ours; ask Equinix for the aSide tags");
    } else if (v.vlanId && *v.vlanId > 0) {
      l.vlan.mode = config::VlanMode::Dot1q;
      l.vlan.id = uint16_t(*v.vlanId);
      l.vlan.tpid = 0x8100;
      d.comments.push_back({"vlan", "VlanId of " + v.id + " (DescribeVirtualBorderRouters)" +
                                        (!in.equinix.empty() && !eq ? "; no Equinix connection matches this VBR (VBR id, zSide VLAN, physical connection): if it goes through Equinix, give that connection" : "")});
    }
    if (port && !coloIds(*port).empty()) d.comments.push_back({"colo", coloIds(*port)});
    if (!v.peerGatewayIp.empty()) {
      auto p = vbrSubnet(v);
      if (!p) return tl::unexpected(v.source + ".PeerGatewayIp/PeeringSubnetMask: '" + v.peerGatewayIp + "' with '" +
                                    v.peeringSubnetMask + "' is not an address and mask (masked in the sample?)");
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
      // Our neighbour is the VBR's own address (LocalGatewayIp). A BGP peer's PeerIpAddress
      // is the other end as Alibaba sees it: our router, so it must be our address
      // (PeerGatewayIp); a peer set up for another address never accepts our session.
      b.peer = l.ip.gateway.value_or(IpAddress{});
      std::string peerNote;
      for (const auto& p : in.peers) {
        auto addr = IpAddress::parse(p.peerIpAddress);
        if (p.groupId != g->id || !addr || !addr->isV4()) continue;
        if (l.ip.local && *addr == l.ip.local->address) {
          if (p.enableBfd) b.bfd = *p.enableBfd;
          peerNote.clear();
          break;
        }
        peerNote = "BGP peer " + p.id + " of group " + g->id + " is set up for " + p.peerIpAddress + ", but our address on " +
                   v.id + " is " + (l.ip.local ? l.ip.local->address.toString() : v.peerGatewayIp) +
                   " (PeerGatewayIp): Alibaba will not accept our session until its PeerIpAddress is ours";
      }
      if (!peerNote.empty()) d.comments.push_back({"bgp", peerNote});
      if (g->localAsn) b.remoteAs = *g->localAsn;  // LocalAsn is Alibaba's
      if (g->peerAsn) b.localAs = *g->peerAsn;
      if (g->routeLimit) b.maxPrefixes = *g->routeLimit;
      l.bgp = b;
      d.comments.push_back({"bgp", "BGP group " + g->id + ": LocalAsn (Alibaba's) -> remote_as, PeerAsn -> local_as, "
                                   "RouteLimit -> max_prefixes; peer: LocalGatewayIp; BFD from the BGP peer for our address"});
      if (!g->authKeyHash.empty())
        d.md5Note = "BGP group " + g->id + " sets an MD5 key (" + std::to_string(g->authKeyLength) +
                    " characters, sha256 " + g->authKeyHash + "...): put it in " + o.md5KeyDir + "/" + v.id +
                    " (mode 600) and in FRR's 'neighbor X password'; it is never written here";
    }
    // RedundantPhysicalConnectionId: either port naming the other is enough.
    for (const auto& other : in.vbrs) {
      const PhysicalConnection* opc = &other == &v ? nullptr : connectionOf(in, other);
      if (pc && opc && (pc->redundantId == opc->id || opc->redundantId == pc->id)) l.redundantWith = linkName(other);
    }
    out.push_back(std::move(d));
  }
  if (out.empty()) return tl::unexpected(std::string("no VBR in the intent: give the output of aliyun vpc DescribeVirtualBorderRouters"));
  return result;
}

tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& in, const ImportOptions& o) {
  auto ds = drafts(in, o);
  if (!ds) return tl::unexpected(ds.error());
  std::vector<config::Link> out;
  for (auto& d : ds->links) out.push_back(d.link);
  return out;
}

}  // namespace linkready::intent
