#include "probes/link/gather.h"

namespace linkready::link {

LinkGather gatherLinks(LinkSource& source, const std::vector<LinkJob>& jobs) {
  LinkGather out;
  auto dump = source.interfaces();
  out.success = bool(dump);
  for (const LinkJob& job : jobs) {
    LinkFacts f = factsFor(job.interface, dump, job.addresses);
    if (f.iface) {
      auto modes = source.linkModes(job.interface);
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
