#include "probes/link/link_source.h"

#include <algorithm>
#include <unordered_map>

namespace linkready::link {

namespace {

bool holdsAny(const InterfaceFacts& i, const std::vector<IpAddress>& addresses) {
  for (const IpPrefix& a : i.addresses)
    if (std::find(addresses.begin(), addresses.end(), a.address) != addresses.end()) return true;
  return false;
}

}  // namespace

LinkFacts factsFor(const std::string& ifname, const tl::expected<std::vector<InterfaceFacts>, std::string>& dump,
                   const std::vector<IpAddress>& addresses) {
  LinkFacts f;
  if (!dump) {
    f.probeError = dump.error();
    return f;
  }
  auto port = std::find_if(dump->begin(), dump->end(), [&](const InterfaceFacts& i) { return i.name == ifname; });
  if (port == dump->end()) {
    for (const InterfaceFacts& i : *dump) f.otherInterfaces.push_back(i.name);
    for (const InterfaceFacts& i : *dump)
      if (holdsAny(i, addresses)) f.all.push_back(i);
    return f;
  }
  f.iface = *port;
  // VLAN devices are the only stacked devices the evaluators follow (a veth's IFLA_LINK
  // names its peer, not a lower device): the parent index is built only when there are some.
  std::unordered_map<int, int> parentOf;
  auto stackedOnPort = [&](const InterfaceFacts& i) {
    if (!i.vlanId) return false;
    if (parentOf.empty())
      for (const InterfaceFacts& d : *dump) parentOf.emplace(d.ifindex, d.parentIfindex);
    int at = i.parentIfindex;
    for (int hops = 0; hops < 4 && at; ++hops) {
      if (at == port->ifindex) return true;
      auto p = parentOf.find(at);
      at = p == parentOf.end() ? 0 : p->second;
    }
    return false;
  };
  for (const InterfaceFacts& i : *dump)
    if (&i == &*port || stackedOnPort(i) || holdsAny(i, addresses)) f.all.push_back(i);
  return f;
}

}  // namespace linkready::link
