#include "config/intent.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace linkready::intent {

namespace {

using nlohmann::json;

struct Failure {
  std::string message;
};

// A JSON node with the path that reached it, for errors that say where.
struct At {
  const json& v;
  std::string path;
  const std::string& file;

  At operator[](const char* key) const {
    static const json null;
    auto it = v.is_object() ? v.find(key) : v.end();
    return {it == v.end() ? null : *it, path + "." + key, file};
  }
  bool has(const char* key) const { return v.is_object() && v.contains(key); }
  [[noreturn]] void fail(const std::string& what) const { throw Failure{file + ": " + path + ": " + what}; }

  // Strings, and numbers or booleans written as text.
  std::string str() const {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    fail("expected text, found " + std::string(v.type_name()));
  }
  // Numbers, also as strings ("10"); empty string and null are absent.
  std::optional<uint64_t> u64() const {
    if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return std::nullopt;
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return uint64_t(v.get<int64_t>());
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      uint64_t out = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc() && p == s.data() + s.size()) return out;
    }
    fail("expected a whole number, found " + v.dump());
  }
  std::optional<uint32_t> u32() const {
    auto x = u64();
    if (x && *x > 0xffffffffull) fail("number " + std::to_string(*x) + " is too large");
    return x ? std::optional<uint32_t>(uint32_t(*x)) : std::nullopt;
  }
  // true/false, also "true"/"false"
  std::optional<bool> boolean() const {
    if (v.is_null()) return std::nullopt;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      std::transform(s.begin(), s.end(), s.begin(), ::tolower);
      if (s == "true") return true;
      if (s == "false") return false;
    }
    fail("expected true or false, found " + v.dump());
  }
  // Alibaba wraps lists as {"XxxType": [...]}; old XML-derived samples give one object.
  std::vector<At> list(const char* inner) const {
    std::vector<At> out;
    At in = (*this)[inner];
    if (in.v.is_array()) {
      for (size_t i = 0; i < in.v.size(); ++i) out.push_back({in.v[i], in.path + "[" + std::to_string(i) + "]", file});
    } else if (in.v.is_object()) {
      out.push_back(in);
    } else if (!in.v.is_null()) {
      in.fail("expected a list or an object, found " + std::string(in.v.type_name()));
    }
    return out;
  }
};

// The first of several spellings (Alibaba's own keys are misspelt in places).
At pick(const At& a, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (a.has(k)) return a[k];
  return a[*keys.begin()];
}

std::string sha256Prefix(const std::string& secret) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(secret.data(), secret.size(), md, &len, EVP_sha256(), nullptr);
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return hex;
}

// "Allocation Failed" -> "allocationfailed": enum values compare without case or spaces.
std::string norm(std::string s) {
  std::string o;
  for (char c : s)
    if (c != ' ' && c != '_' && c != '-') o.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  return o;
}

void readVbrs(const At& root, Intent& in) {
  for (const At& v : root["VirtualBorderRouterSet"].list("VirtualBorderRouterType")) {
    Vbr b;
    b.source = v.file + ": " + v.path;
    b.id = v["VbrId"].str();
    b.name = v["Name"].str();
    b.status = v["Status"].str();
    b.vlanId = v["VlanId"].u32();
    b.localGatewayIp = v["LocalGatewayIp"].str();
    b.peerGatewayIp = v["PeerGatewayIp"].str();
    b.peeringSubnetMask = v["PeeringSubnetMask"].str();
    b.enableIpv6 = v["EnableIpv6"].boolean().value_or(false);
    b.localIpv6GatewayIp = v["LocalIpv6GatewayIp"].str();
    b.peerIpv6GatewayIp = v["PeerIpv6GatewayIp"].str();
    b.peeringIpv6SubnetMask = v["PeeringIpv6SubnetMask"].str();
    b.physicalConnectionId = v["PhysicalConnectionId"].str();
    b.physicalConnectionStatus = v["PhysicalConnectionStatus"].str();
    b.minRxIntervalMs = v["MinRxInterval"].u32();
    b.detectMultiplier = v["DetectMultiplier"].u32();
    (void)pick(v, {"EcrAttatchStatus", "EcrAttachStatus"}).str();  // known misspelling, read to check its type
    if (b.id.empty()) v["VbrId"].fail("a VBR without VbrId");
    in.vbrs.push_back(b);
  }
}

void readGroups(const At& root, Intent& in) {
  for (const At& g : root["BgpGroups"].list("BgpGroup")) {
    BgpGroup x;
    x.source = g.file + ": " + g.path;
    x.id = g["BgpGroupId"].str();
    x.vbrId = g["RouterId"].str();
    x.status = g["Status"].str();
    x.localAsn = g["LocalAsn"].u32();
    x.peerAsn = g["PeerAsn"].u32();
    x.routeLimit = g["RouteLimit"].u32();
    std::string key = g["AuthKey"].str();
    if (!key.empty()) x.authKeyHash = sha256Prefix(key), x.authKeyLength = key.size();
    (void)g["IsFake"].boolean();
    in.groups.push_back(x);
  }
}

void readPeers(const At& root, Intent& in) {
  for (const At& p : root["BgpPeers"].list("BgpPeer")) {
    BgpPeer x;
    x.source = p.file + ": " + p.path;
    x.id = p["BgpPeerId"].str();
    x.groupId = p["BgpGroupId"].str();
    x.vbrId = p["RouterId"].str();
    x.peerIpAddress = p["PeerIpAddress"].str();
    x.status = p["Status"].str();
    x.bgpStatus = p["BgpStatus"].str();
    x.enableBfd = p["EnableBfd"].boolean();
    x.bfdMultiHop = p["BfdMultiHop"].u32() ? std::optional<bool>(*p["BfdMultiHop"].u32() > 1) : std::nullopt;
    in.peers.push_back(x);
  }
}

void readConnections(const At& root, Intent& in) {
  for (const At& c : root["PhysicalConnectionSet"].list("PhysicalConnectionType")) {
    PhysicalConnection x;
    x.source = c.file + ": " + c.path;
    x.id = c["PhysicalConnectionId"].str();
    x.portType = c["PortType"].str();
    x.status = c["Status"].str();
    x.businessStatus = c["BusinessStatus"].str();
    x.loaStatus = c["LoaStatus"].str();
    x.redundantId = c["RedundantPhysicalConnectionId"].str();
    x.lineOperator = c["LineOperator"].str();
    x.productType = c["ProductType"].str();
    x.vpconnStatus = c["VpconnStatus"].str();
    x.vlanId = c["VlanId"].u32();
    x.ownerUid = c["ParentPhysicalConnectionAliUid"].str();
    in.connections.push_back(x);
  }
}

void readEquinix(const At& c, Intent& in) {
  EquinixConnection x;
  x.source = c.file + ": " + c.path;
  x.uuid = c["uuid"].str();
  x.name = c["name"].str();
  x.state = c["state"].str();
  x.equinixStatus = c["operation"]["equinixStatus"].str();
  x.providerStatus = c["operation"]["providerStatus"].str();
  x.profileName = c["zSide"]["accessPoint"]["profile"]["name"].str();
  At a = c["aSide"]["accessPoint"]["linkProtocol"];
  x.aSideProtocol = a["type"].str();
  x.aSideTag = a["vlanTag"].u32();
  x.aSideSTag = a["vlanSTag"].u32();
  x.aSideCTag = a["vlanCTag"].u32();
  if (x.aSideCTag && *x.aSideCTag == 0) x.aSideCTag.reset();  // the spec's own example has 0: "no C-tag"
  x.zSideTag = c["zSide"]["accessPoint"]["linkProtocol"]["vlanTag"].u32();
  // A port object's tag protocol id, when the file carries one ("0x88A8").
  std::string tpid = c["aSide"]["accessPoint"]["port"]["encapsulation"]["tagProtocolId"].str();
  if (!tpid.empty()) x.tagProtocolId = uint16_t(std::stoul(tpid, nullptr, 16));
  in.equinix.push_back(x);
}

}  // namespace

tl::expected<Intent, std::string> parse(const std::string& text, const std::string& name, Intent in) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return tl::unexpected(name + ": not JSON");
  try {
    // Old XML-derived samples wrap the answer in "<Action>Response".
    bool wrapped = j.is_object() && j.size() == 1 && j.begin().key().size() > 8 &&
                   j.begin().key().compare(j.begin().key().size() - 8, 8, "Response") == 0;
    At root = wrapped ? At{j.begin().value(), "$." + j.begin().key(), name} : At{j, "$", name};
    if (root.has("VirtualBorderRouterSet")) readVbrs(root, in);
    else if (root.has("BgpGroups")) readGroups(root, in);
    else if (root.has("BgpPeers")) readPeers(root, in);
    else if (root.has("PhysicalConnectionSet")) readConnections(root, in);
    else if (root.has("aSide") && root.has("zSide")) readEquinix(root, in);
    else
      return tl::unexpected(name + ": not a DescribeVirtualBorderRouters, DescribeBgpGroups, DescribeBgpPeers, "
                                   "DescribePhysicalConnections or Equinix Fabric connection answer");
  } catch (const Failure& f) {
    return tl::unexpected(f.message);
  } catch (const std::exception& e) {
    return tl::unexpected(name + ": " + e.what());
  }
  return in;
}

tl::expected<Intent, std::string> load(const std::vector<std::string>& files) {
  Intent in;
  for (const auto& f : files) {
    std::ifstream s(f);
    if (!s) return tl::unexpected(f + ": cannot read");
    std::stringstream ss;
    ss << s.rdbuf();
    auto r = parse(ss.str(), f, std::move(in));
    if (!r) return tl::unexpected(r.error());
    in = std::move(*r);
  }
  return in;
}

namespace {

// One link's worth of intent, with where each value came from.
struct Draft {
  config::Link link;
  std::vector<std::pair<std::string, std::string>> comments;  // key -> source
  std::string md5Note;
};

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

std::string yamlVlan(const config::Vlan& v) {
  char b[96];
  switch (v.mode) {
    case config::VlanMode::Dot1q: std::snprintf(b, sizeof b, "{mode: dot1q, id: %u}", v.id); return b;
    case config::VlanMode::Qinq:
      std::snprintf(b, sizeof b, "{mode: qinq, s_tag: %u, c_tag: %u, tpid: 0x%04x}", v.sTag, v.cTag, v.tpid);
      return b;
    default: return "{mode: untagged}";
  }
}

}  // namespace

tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& in, const ImportOptions& o) {
  auto ds = drafts(in, o);
  if (!ds) return tl::unexpected(ds.error());
  std::vector<config::Link> out;
  for (auto& d : *ds) out.push_back(d.link);
  return out;
}

tl::expected<std::string, std::string> importYaml(const Intent& in, const ImportOptions& o) {
  auto ds = drafts(in, o);
  if (!ds) return tl::unexpected(ds.error());
  std::ostringstream y;
  y << "# Generated by linkready intent import from the Alibaba (and Equinix) API output.\n"
    << "# Set each link's interface to the router port cabled to its physical connection.\n"
    << "links:\n";
  for (const auto& d : *ds) {
    const config::Link& l = d.link;
    auto comment = [&](const char* key) {
      for (const auto& [k, src] : d.comments)
        if (k == key) y << "    # " << src << "\n";
    };
    y << "  - name: " << l.name << "\n";
    y << "    interface: " << l.interface << "\n";
    comment("order");
    y << "    order: {";
    if (!l.order.portType.empty()) y << "port_type: " << l.order.portType << ", ";
    y << "physical_connection_id: " << l.order.physicalConnectionId << ", vbr_id: " << l.order.vbrId << "}\n";
    comment("vlan");
    y << "    vlan: " << yamlVlan(l.vlan) << "\n";
    if (l.ip.local) {
      comment("ip");
      y << "    ip: {local: " << l.ip.local->toString() << ", gateway: " << l.ip.gateway->toString();
      if (l.ip.local6) y << ", local6: " << l.ip.local6->toString() << ", gateway6: " << l.ip.gateway6->toString();
      y << "}\n";
    }
    if (l.bgp) {
      comment("bgp");
      y << "    bgp: {peer: " << l.bgp->peer.toString() << ", remote_as: " << l.bgp->remoteAs;
      if (l.bgp->localAs) y << ", local_as: " << *l.bgp->localAs;
      y << ", max_prefixes: " << l.bgp->maxPrefixes << ", bfd: " << (l.bgp->bfd ? "true" : "false") << "}\n";
    }
    if (!d.md5Note.empty()) y << "    # MD5: " << d.md5Note << "\n";
    if (!l.redundantWith.empty())
      y << "    # RedundantPhysicalConnectionId of " << l.order.physicalConnectionId << "\n    redundant_with: " << l.redundantWith << "\n";
  }
  return y.str();
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
