#include "probes/link/link_source.h"

namespace linkready::link {

LinkFacts factsFor(const std::string& ifname,
                   const tl::expected<std::vector<InterfaceFacts>, std::string>& dump) {
  LinkFacts f;
  if (!dump) {
    f.probeError = dump.error();
    return f;
  }
  f.all = *dump;
  for (const InterfaceFacts& i : *dump) {
    if (i.name == ifname) f.iface = i;
    else f.otherInterfaces.push_back(i.name);
  }
  return f;
}

}  // namespace linkready::link
