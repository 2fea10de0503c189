#include "agent/check/eval_ip.h"

#include <cstdio>

#include "agent/check/vlan_chain.h"

namespace linkready {

namespace {

constexpr Layer L = Layer::Ip;

std::string rtt(const l3::PingResult& p) {
  if (p.received == 0) return std::to_string(p.received) + "/" + std::to_string(p.sent) + " answered";
  char b[96];
  std::snprintf(b, sizeof b, "%d/%d answered, rtt min/avg/max %.2f/%.2f/%.2f ms", p.received, p.sent, p.minRttMs,
                p.avgRttMs, p.maxRttMs);
  return b;
}

bool descendsFrom(const link::LinkFacts& f, const link::InterfaceFacts& d, int port) {
  int at = d.parentIfindex;
  for (int hops = 0; hops < 4 && at; ++hops) {
    if (at == port) return true;
    int next = 0;
    for (const auto& i : f.all)
      if (i.ifindex == at) next = i.parentIfindex;
    at = next;
  }
  return false;
}

std::string expectedDevice(const config::Link& l) {
  if (l.vlan.terminatedExternally) return l.interface;
  switch (l.vlan.mode) {
    case config::VlanMode::Dot1q: return l.interface + "." + std::to_string(l.vlan.id);
    case config::VlanMode::Qinq:
      return l.interface + "." + std::to_string(l.vlan.sTag) + "." + std::to_string(l.vlan.cTag);
    default: return l.interface;
  }
}

struct Family {
  const char* prefix;  // "ip" or "ip6"
  const char* resolveName;  // "ARP" or "ND"
  const std::optional<IpPrefix>& local;
  const std::optional<IpAddress>& gateway;
  const l3::PingResult& ping;
  const l3::PingResult& big;
  bool ran;
};

// The address: on the innermost device of the stack, with the VBR's mask. Returns the
// name of the device that should hold it, for the checks after it.
std::string checkAddress(const config::Link& link, const link::LinkFacts& facts, const Family& fam,
                         std::vector<CheckResult>& out) {
  std::string p = fam.prefix;
  const IpPrefix& want = *fam.local;
  VlanChain chain = findVlanChain(link, facts);
  bool tagged = link.vlan.mode != config::VlanMode::Untagged && !link.vlan.terminatedExternally;

  // Where is our address?
  const link::InterfaceFacts* holder = nullptr;
  IpPrefix held;
  for (const auto& i : facts.all)
    for (const auto& a : i.addresses)
      if (a.address == want.address) holder = &i, held = a;
  // The device that should hold it: the innermost of the stack; while the stack itself is
  // wrong (the VLAN layer says how), a VLAN device on the port that holds it is taken.
  const link::InterfaceFacts* dev = chain.complete ? chain.innermost() : nullptr;
  if (!dev && holder && tagged && holder->vlanId && descendsFrom(facts, *holder, facts.iface->ifindex)) dev = holder;
  std::string devName = dev ? dev->name : expectedDevice(link);
  bool onDev = holder && dev && holder->ifindex == dev->ifindex;
  if (onDev && held.length == want.length) {
    out.push_back(ok(p + ".address", L, want.toString() + " on " + dev->name, want.toString() + " on " + dev->name,
                     want.toString() + " on " + devName));
  } else if (onDev) {
    out.push_back(verdict(Status::Critical, p + ".address", L,
                          "mask mismatch: " + held.toString() + " on " + dev->name + ", the VBR says /" +
                              std::to_string(want.length),
                          held.toString() + " on " + dev->name, want.toString(),
                          "use the VBR's mask (PeeringSubnetMask): ip addr del " + held.toString() + " dev " + dev->name +
                              "; ip addr add " + want.toString() + " dev " + dev->name));
  } else if (holder && tagged && holder->ifindex == facts.iface->ifindex) {
    out.push_back(verdict(Status::Critical, p + ".address", L,
                          want.address.toString() + " is on " + holder->name + " (the physical port), not on the VLAN "
                          "device" + (dev ? " " + dev->name : ""),
                          held.toString() + " on " + holder->name, want.toString() + " on " + devName,
                          "the address belongs on the innermost VLAN device: ip addr del " + held.toString() + " dev " +
                              holder->name + "; ip addr add " + want.toString() + " dev " + devName));
  } else if (holder) {
    out.push_back(verdict(Status::Critical, p + ".address", L,
                          want.address.toString() + " is on " + holder->name + ", not on " + devName,
                          held.toString() + " on " + holder->name, want.toString() + " on " + devName,
                          "move the address to " + devName));
  } else {
    std::string others;
    if (dev)
      for (const auto& a : dev->addresses)
        if (a.address.family == want.address.family && !(a.address.isV6() && a.address.bytes[0] == 0xfe))
          others += (others.empty() ? "" : ", ") + a.toString();
    out.push_back(verdict(Status::Critical, p + ".address", L,
                          others.empty() ? "no address " + want.toString() + " on " + devName
                                         : devName + " has " + others + ", the VBR says " + want.toString(),
                          others.empty() ? "none" : others, want.toString() + " on " + devName,
                          "configure the VBR's customer-side address (PeerGatewayIp/PeeringSubnetMask): ip addr add " +
                              want.toString() + " dev " + devName));
  }
  return devName;
}

// The gateway's ARP/ND entry, after the pings asked for it. Returns whether it resolved.
bool checkNeighbor(const l3::ReachFacts& reach, const Family& fam, const std::string& devName,
                   std::vector<CheckResult>& out) {
  std::string p = fam.prefix;
  std::string gw = fam.gateway->toString();
  const link::NeighborEntry* n = nullptr;
  for (const auto& e : reach.neighbors)
    if (e.address == *fam.gateway) n = &e;
  bool resolved = n && n->resolved();
  if (resolved)
    out.push_back(ok(p + ".neighbor", L, std::string(fam.resolveName) + ": " + gw + " is at " + n->mac,
                     n->mac + " (" + n->state + ")", gw + " resolved"));
  else
    out.push_back(verdict(Status::Critical, p + ".neighbor", L,
                          std::string(fam.resolveName) + " for the VBR gateway " + gw + " unresolved on " + devName,
                          n ? n->state : "no entry", gw + " resolved",
                          "no " + std::string(fam.resolveName) + " answer: VLAN mismatch, or a device in the path not "
                          "trunking the tag (see the VLAN layer's on-wire proof)"));
  return resolved;
}

// Small echoes: answered, lost, or not at all. Returns whether any came back.
bool checkPing(const Family& fam, bool resolved, std::vector<CheckResult>& out) {
  std::string p = fam.prefix;
  std::string gw = fam.gateway->toString();
  const l3::PingResult& ping = fam.ping;
  if (!ping.error.empty() && ping.sent == 0) {
    out.push_back(verdict(Status::Unknown, p + ".ping", L, "cannot ping " + gw + ": " + ping.error, ping.error,
                          gw + " answers", ping.permissionDenied ? "needs CAP_NET_RAW" : "check routing to " + gw));
    return false;
  }
  if (ping.received == 0) {
    out.push_back(verdict(Status::Critical, p + ".ping", L, gw + " does not answer ping", rtt(ping), "all answered",
                          resolved ? std::string(fam.resolveName) +
                                         " but no ping: filtering on the path or on the router, or the Local/Peer IPs "
                                         "are swapped (we use the VBR's address)"
                                   : "no " + std::string(fam.resolveName) +
                                         ", no ping: VLAN mismatch or a device in the path not trunking the tag"));
    return false;
  }
  if (ping.received < ping.sent)
    out.push_back(verdict(Status::Warning, p + ".ping", L,
                          std::to_string(ping.sent - ping.received) + " of " + std::to_string(ping.sent) +
                              " pings to " + gw + " lost",
                          rtt(ping), "all answered", "loss on a fresh link: errors on the link layer, or rate limiting"));
  else
    out.push_back(ok(p + ".ping", L, gw + " answers ping", rtt(ping), "all answered"));
  return true;
}

// 1500-byte echoes with DF: Alibaba requires MTU 1500 on the physical layer.
void checkMtu(const Family& fam, const std::string& devName, std::vector<CheckResult>& out) {
  std::string p = fam.prefix;
  std::string gw = fam.gateway->toString();
  const l3::PingResult& big = fam.big;
  if (big.localMtuTooSmall)
    out.push_back(verdict(Status::Critical, p + ".mtu", L, "our own MTU on the way to " + gw + " is below 1500",
                          big.error, "1500-byte packets with DF pass",
                          "Alibaba requires MTU 1500: raise the MTU of " + devName + " and the devices below it"));
  else if (big.sent > 0 && big.received == 0)
    out.push_back(verdict(Status::Critical, p + ".mtu", L, "1500-byte packets to " + gw + " are lost, small ones pass",
                          rtt(big), "1500-byte packets with DF pass",
                          "big packets lost: an MTU below 1500 somewhere on the path (a switch, the far end's port, "
                          "the VBR's MTU); Alibaba requires 1500 on the physical layer"));
  else if (big.sent > 0)
    out.push_back(ok(p + ".mtu", L, "1500-byte packets with DF pass", rtt(big), "1500-byte packets with DF pass"));
  else if (big.error.empty())
    out.push_back(verdict(Status::Unknown, p + ".mtu", L,
                          "no 1500-byte packet sent to " + gw + ": the check's deadline came first", "0 sent",
                          "1500-byte packets with DF pass", "the next check tries again"));
}

void evaluateFamily(const config::Link& link, const link::LinkFacts& facts, const l3::ReachFacts& reach,
                    const Family& fam, std::vector<CheckResult>& out) {
  if (!fam.local) return;
  std::string devName = checkAddress(link, facts, fam, out);
  if (!fam.gateway) return;
  if (!fam.ran) {  // this family's echoes did not run (the other's may have)
    if (!reach.notRun.empty())
      out.push_back(verdict(Status::Unknown, std::string(fam.prefix) + ".ping", L,
                            "reachability not probed: " + reach.notRun, reach.notRun,
                            fam.gateway->toString() + " answers", "run as root or grant CAP_NET_RAW"));
    return;
  }
  if (fam.ping.sent == 0 && fam.ping.error.empty()) {
    // The check's deadline came before the first echo could go out: nothing asked for the
    // gateway's address either, so neither its absence nor silence says anything.
    out.push_back(verdict(Status::Unknown, std::string(fam.prefix) + ".ping", L,
                          "no ping sent to " + fam.gateway->toString() + ": the check's deadline came first", "0 sent",
                          fam.gateway->toString() + " answers",
                          "the probes before the echoes took the whole deadline (a busy router, or many far ends "
                          "silent to the on-wire proof): the next check tries again"));
    return;
  }
  bool resolved = checkNeighbor(reach, fam, devName, out);
  if (!checkPing(fam, resolved, out)) return;
  checkMtu(fam, devName, out);
}

}  // namespace

std::vector<CheckResult> evaluateIp(const config::Link& link, const link::LinkFacts& facts, const l3::ReachFacts& reach) {
  std::vector<CheckResult> out;
  if (!facts.iface) return out;
  evaluateFamily(link, facts, reach, {"ip", "ARP", link.ip.local, link.ip.gateway, reach.ping4, reach.big4, reach.ran}, out);
  evaluateFamily(link, facts, reach,
                 {"ip6", "ND", link.ip.local6, link.ip.gateway6, reach.ping6, reach.big6, reach.ran6}, out);
  return out;
}

}  // namespace linkready
