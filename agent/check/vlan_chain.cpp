#include "agent/check/vlan_chain.h"

#include <cstdio>

namespace linkready {

namespace {

std::vector<const link::InterfaceFacts*> childrenOf(const link::LinkFacts& f, int ifindex) {
  std::vector<const link::InterfaceFacts*> out;
  for (const auto& i : f.all)
    if (i.vlanId && i.parentIfindex == ifindex) out.push_back(&i);
  return out;
}

// The child that most likely was meant: one carrying an address, else the first.
const link::InterfaceFacts* likelyMeant(const std::vector<const link::InterfaceFacts*>& children) {
  for (auto* c : children)
    for (const auto& a : c->addresses)
      if (a.address.isV4() || (a.address.isV6() && a.address.bytes[0] != 0xfe)) return c;
  return children.empty() ? nullptr : children.front();
}

std::string idList(const std::vector<const link::InterfaceFacts*>& cs) {
  std::string s;
  for (auto* c : cs) s += (s.empty() ? "" : ", ") + c->name + " (" + tpidText(c->vlanProtocol) + "/" + std::to_string(*c->vlanId) + ")";
  return s;
}

}  // namespace

std::string tpidText(uint16_t tpid) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04x", tpid);
  return b;
}

std::vector<vlan::Tag> configuredStack(const config::Vlan& v) {
  if (v.terminatedExternally) return {};
  switch (v.mode) {
    case config::VlanMode::Dot1q: return {{v.tpid, v.id, 0}};
    case config::VlanMode::Qinq: return {{v.tpid, v.sTag, 0}, {0x8100, v.cTag, 0}};
    default: return {};
  }
}

std::string expectedStackText(const config::Vlan& v) {
  switch (v.mode) {
    case config::VlanMode::Dot1q: return "VLAN " + std::to_string(v.id) + " (" + tpidText(v.tpid) + ")";
    case config::VlanMode::Qinq:
      return "S-VLAN " + std::to_string(v.sTag) + " (" + tpidText(v.tpid) + ") + C-VLAN " + std::to_string(v.cTag) +
             " (0x8100)";
    default: return "untagged";
  }
}

VlanChain findVlanChain(const config::Link& link, const link::LinkFacts& f) {
  VlanChain c;
  if (!f.iface) return c;
  c.devices.push_back(&*f.iface);
  const config::Vlan& v = link.vlan;
  const std::string& port = link.interface;
  if (v.mode == config::VlanMode::Untagged || v.terminatedExternally) {
    c.complete = true;
    return c;
  }
  uint16_t outerId = v.mode == config::VlanMode::Dot1q ? v.id : v.sTag;
  std::string outerName = v.mode == config::VlanMode::Dot1q ? "VLAN" : "S-VLAN";
  auto outer = childrenOf(f, f.iface->ifindex);
  const link::InterfaceFacts* o = nullptr;
  for (auto* ch : outer)
    if (*ch->vlanId == outerId) o = ch;
  std::string proto = v.tpid == 0x88a8 ? "802.1ad" : "802.1Q";
  std::string outerDev = port + "." + std::to_string(outerId);
  if (!o) {
    if (auto* meant = likelyMeant(outer)) {
      c.mismatch = meant->name + " has " + outerName + " " + std::to_string(*meant->vlanId) + ", the VBR says " +
                   std::to_string(outerId) + (outer.size() > 1 ? " (VLAN devices on " + port + ": " + idList(outer) + ")" : "");
    } else {
      c.mismatch = "no VLAN device for " + outerName + " " + std::to_string(outerId) + " on " + port;
    }
    c.fix = "ip link add link " + port + " name " + outerDev + " type vlan proto " + proto + " id " + std::to_string(outerId);
    return c;
  }
  c.devices.push_back(o);
  if (o->vlanProtocol != v.tpid) {
    c.mismatch = "outer TPID " + tpidText(o->vlanProtocol) + " on " + o->name + ", the port expects " + tpidText(v.tpid);
    c.fix = "ip link del " + o->name + " and add it again with 'type vlan proto " + proto + " id " + std::to_string(outerId) + "'";
    return c;
  }
  if (v.mode == config::VlanMode::Dot1q) {
    c.complete = true;
    return c;
  }
  auto inner = childrenOf(f, o->ifindex);
  const link::InterfaceFacts* in = nullptr;
  for (auto* ch : inner)
    if (*ch->vlanId == v.cTag) in = ch;
  std::string innerDev = o->name + "." + std::to_string(v.cTag);
  if (!in) {
    if (auto* meant = likelyMeant(inner))
      c.mismatch = meant->name + " has C-VLAN " + std::to_string(*meant->vlanId) + ", the VBR says " + std::to_string(v.cTag);
    else
      c.mismatch = "no C-VLAN device for C-VLAN " + std::to_string(v.cTag) + " on " + o->name;
    c.fix = "ip link add link " + o->name + " name " + innerDev + " type vlan proto 802.1Q id " + std::to_string(v.cTag);
    return c;
  }
  c.devices.push_back(in);
  if (in->vlanProtocol != 0x8100) {
    c.mismatch = "inner TPID " + tpidText(in->vlanProtocol) + " on " + in->name + ", expected 0x8100";
    c.fix = "recreate " + in->name + " with 'type vlan proto 802.1Q id " + std::to_string(v.cTag) + "'";
    return c;
  }
  c.complete = true;
  return c;
}

}  // namespace linkready
