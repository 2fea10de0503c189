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
  std::unordered_map<int, int> parentOf;
  for (const InterfaceFacts& i : *dump) parentOf.emplace(i.ifindex, i.parentIfindex);
  auto stackedOnPort = [&](const InterfaceFacts& i) {
    int at = i.ifindex;
    for (int hops = 0; hops <= 4 && at; ++hops) {
      if (at == port->ifindex) return true;
      auto p = parentOf.find(at);
      at = p == parentOf.end() ? 0 : p->second;
    }
    return false;
  };
  for (const InterfaceFacts& i : *dump)
    if (stackedOnPort(i) || holdsAny(i, addresses)) f.all.push_back(i);
  return f;
}

}  // namespace linkready::link
