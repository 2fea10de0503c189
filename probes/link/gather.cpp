#include "probes/link/gather.h"

namespace linkready::link {

LinkGather gatherLinks(LinkSource& source, const std::vector<std::string>& interfaces) {
  LinkGather out;
  auto dump = source.interfaces();
  out.success = bool(dump);
  for (const std::string& ifname : interfaces) {
    LinkFacts f = factsFor(ifname, dump);
    if (f.iface) {
      auto modes = source.linkModes(ifname);
      if (modes) f.modes = *modes;
      else f.modesError = modes.error();
    }
    out.facts.push_back(std::move(f));
  }
  return out;
}

ErrorCounters errorCountersOf(const InterfaceFacts& i) {
  return {i.rxErrors, i.txErrors, i.rxCrcErrors, i.rxFrameErrors};
}

bool isVirtualKind(const std::string& kind) {
  static const char* kinds[] = {"veth", "tun", "tap", "dummy", "bridge", "macvlan", "ipvlan", "vxlan",
                                "wireguard", "vrf", "vlan", "bond", "team", "gre", "ipip", "geneve"};
  for (const char* k : kinds)
    if (kind == k) return true;
  return false;
}

}  // namespace linkready::link
