#include "agent/check/eval_vlan.h"

#include <cstdio>

#include "agent/check/vlan_chain.h"

namespace linkready {

namespace {

constexpr Layer L = Layer::Vlan;
constexpr uint32_t kMinMtu = 1500;

std::string seenStacks(const vlan::WireResult& r) {
  std::string s;
  for (const auto& [stack, n] : r.farEndStacks) s += (s.empty() ? "" : ", ") + stack + " (" + std::to_string(n) + ")";
  return s;
}

void wireCheck(const config::Link& link, const vlan::WireFacts& w, std::vector<CheckResult>& out) {
  std::string want = vlan::stackText(w.sentStack);
  if (!w.ran) {
    if (!w.notRun.empty())
      out.push_back(verdict(Status::Unknown, "vlan.wire", L, "on-wire proof not run: " + w.notRun, w.notRun,
                            "ARP answered on " + want,
                            w.notRun.find("CAP_NET_RAW") != std::string::npos
                                ? "run as root or grant CAP_NET_RAW to send and capture on the port"
                                : "fix what the line above says, then check again"));
    return;
  }
  const vlan::WireResult& r = w.result;
  char stats[96];
  std::snprintf(stats, sizeof stats, "%d frames sent, %d seen from the far end in %.1f s", r.framesSent, r.framesSeen,
                r.seconds);
  if (!r.error.empty()) {
    out.push_back(verdict(Status::Unknown, "vlan.wire", L, "on-wire proof failed: " + r.error, r.error,
                          "ARP answered on " + want,
                          r.permissionDenied ? "injection needs CAP_NET_RAW: run as root or grant the capability"
                                             : "check that the port exists and is up"));
    return;
  }
  if (!link.ip.local || !link.ip.gateway) {
    // Without IPv4 the proof rests on IPv6 neighbour discovery alone.
    if (!link.ip.local6 || !link.ip.gateway6) return;
  }
  auto answer = r.arpAnswerStack ? r.arpAnswerStack : r.ndAnswerStack;
  const char* what = r.arpAnswerStack ? "ARP" : "neighbour discovery";
  std::string gw = link.ip.gateway ? link.ip.gateway->toString() : link.ip.gateway6->toString();
  if (answer) {
    if (vlan::sameStack(*answer, w.sentStack)) {
      out.push_back(ok("vlan.wire", L,
                       "the VBR gateway " + gw + " answered " + what + " on " + want +
                           (r.gatewayMac.empty() ? "" : " (" + r.gatewayMac + ")"),
                       "answer on " + vlan::stackText(*answer) + "; " + stats, "answer on " + want));
    } else {
      out.push_back(verdict(Status::Critical, "vlan.wire", L,
                            "the gateway answered on " + vlan::stackText(*answer) + ", we sent " + want,
                            "answer on " + vlan::stackText(*answer) + "; " + stats, "answer on " + want,
                            "a device in the path rewrites the tags: the stack the router sends must match what the "
                            "VBR (or the Equinix aSide) expects"));
    }
    return;
  }
  if (r.framesSent == 0 && !r.sendError.empty()) {
    out.push_back(verdict(Status::Unknown, "vlan.wire", L,
                          "on-wire proof not made: the port would not send our frames: " + r.sendError, stats,
                          "ARP answered on " + want,
                          "the interface refused the frames (down, or an MTU smaller than a tagged frame): see the "
                          "link layer's verdicts, then check again"));
    return;
  }
  if (r.framesSent == 0) {  // silence after nothing was asked proves nothing
    out.push_back(verdict(Status::Unknown, "vlan.wire", L,
                          "on-wire proof not made: no frame went out before the check's deadline", stats,
                          "ARP answered on " + want,
                          "the probes before it took the whole deadline (a busy router): the next check tries again"));
    return;
  }
  std::string seen = "no answer on " + want + "; " + stats;
  std::string others;
  bool sameStackSeen = false;
  for (const auto& [stack, n] : r.farEndStacks) {
    if (stack == want) sameStackSeen = true;
    else others += (others.empty() ? "" : ", ") + stack + " (" + std::to_string(n) + ")";
  }
  std::string summary = "no answer on " + want;
  if (!r.farEndStacks.empty()) summary += "; frames seen from the far end on " + seenStacks(r);
  std::string hint;
  if (!others.empty() && !sameStackSeen) {
    hint = "VLAN or TPID mismatch: the far end sends on " + others + ", we on " + want +
           ": compare the VBR's VlanId (or the Equinix aSide tag) with the router's";
  } else if (sameStackSeen) {
    std::string senders;
    for (const auto& [ip, stack] : r.farEndArpSenders)
      if (stack == want) senders += (senders.empty() ? "" : ", ") + ip;
    hint = "the far end is on the right VLAN but nobody answers for " + gw + ": the gateway IP is wrong or the "
           "Local/Peer IPs are swapped" + (senders.empty() ? "" : " (the far end speaks as " + senders + ")");
  } else {
    hint = "nothing at all comes back: a device in the path does not trunk the tag, the VBR's VLAN is not set up, "
           "or the cross-connect is not done (check the link and optics layers)";
  }
  out.push_back(verdict(Status::Critical, "vlan.wire", L, summary, seen, "answer on " + want, hint));
}

}  // namespace

std::vector<CheckResult> evaluateVlan(const config::Link& link, const link::LinkFacts& facts, const vlan::WireFacts& wire) {
  std::vector<CheckResult> out;
  if (!facts.iface) return out;  // the link layer says the port is missing
  const config::Vlan& v = link.vlan;
  std::string want = expectedStackText(v);
  if (v.terminatedExternally) {
    out.push_back(ok("vlan.config", L, "does not apply: the tags are terminated outside the kernel "
                     "(vlan.terminated_by: external)", "terminated externally", want));
  } else if (v.tpid == 0x9100 && v.mode != config::VlanMode::Untagged) {
    out.push_back(verdict(Status::Critical, "vlan.config", L,
                          "the order asks for outer TPID 0x9100, which Linux VLAN devices cannot send",
                          "Linux VLAN devices speak 0x8100 and 0x88a8 only", want,
                          "terminate 0x9100 in the NIC or a switch in front of the router (then set "
                          "vlan.terminated_by: external), or ask the provider for 0x88a8"));
  } else if (v.mode == config::VlanMode::Untagged) {
    out.push_back(ok("vlan.config", L, "untagged: no VLAN device expected", "untagged on " + link.interface, want));
  } else {
    VlanChain c = findVlanChain(link, facts);
    if (!c.complete) {
      out.push_back(verdict(Status::Critical, "vlan.config", L, c.mismatch, c.mismatch, want + " on " + link.interface,
                            "build the stack the VBR expects: " + c.fix));
    } else {
      std::string chain;
      for (auto* d : c.devices) chain += (chain.empty() ? "" : " -> ") + d->name;
      out.push_back(ok("vlan.config", L, c.innermost()->name + " carries " + want, chain, want));
      std::string down;
      for (auto* d : c.devices)
        if (!d->adminUp || !d->carrier) down += (down.empty() ? "" : ", ") + d->name + (d->adminUp ? " (no carrier)" : " (admin down)");
      if (!down.empty())
        out.push_back(verdict(Status::Critical, "vlan.state", L, "VLAN device down: " + down, down, "all up",
                              "ip link set <device> up, lowest first"));
      std::string small;
      for (auto* d : c.devices)
        if (d->mtu < kMinMtu) small += (small.empty() ? "" : ", ") + d->name + " MTU " + std::to_string(d->mtu);
      if (!small.empty())
        out.push_back(verdict(Status::Critical, "vlan.mtu", L, "MTU below 1500 on the tag stack: " + small, small,
                              ">= 1500 on every device",
                              "Alibaba requires MTU 1500 on the physical layer: raise the MTU from the port upwards"));
      else
        out.push_back(ok("vlan.mtu", L, "MTU >= 1500 on every device of the stack", chain, ">= 1500 on every device"));
    }
  }
  wireCheck(link, wire, out);
  return out;
}

}  // namespace linkready
