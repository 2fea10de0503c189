#include "agent/engine.h"

#include <algorithm>
#include <chrono>

#include "agent/eval_bgp.h"
#include "agent/eval_ip.h"
#include "agent/eval_link.h"
#include "agent/eval_vlan.h"
#include "agent/vlan_chain.h"
#include "probes/bgp/bgp_probe.h"
#include "agent/version.h"

namespace linkready {

namespace {

using Links = std::vector<const config::Link*>;

// A probe gathers facts for all selected links at once (one netlink dump, one FRR
// query), so its cost does not grow with a process or a socket per link.
using GatherFn = bool (*)(Sources&, const config::Config&, const Links&, std::vector<LinkFactSet>&);
using EvaluateFn = std::vector<CheckResult> (*)(const config::Link&, const LinkFactSet&);

bool gatherLink(Sources& s, const config::Config&, const Links& links, std::vector<LinkFactSet>& facts) {
  auto dump = s.link->interfaces();
  bool success = bool(dump);
  for (size_t i = 0; i < links.size(); ++i) {
    facts[i].link = link::factsFor(links[i]->interface, dump);
    if (facts[i].link.iface) {
      auto modes = s.link->linkModes(links[i]->interface);
      if (modes) facts[i].link.modes = *modes;
      else facts[i].link.modesError = modes.error();
    }
  }
  return success;
}

std::vector<CheckResult> evalLink(const config::Link& l, const LinkFactSet& f) { return evaluateLink(l, f.link); }

// Interfaces that are software: no cage, no module.
bool isVirtualKind(const std::string& kind) {
  static const char* kinds[] = {"veth", "tun", "tap", "dummy", "bridge", "macvlan", "ipvlan", "vxlan",
                                "wireguard", "vrf", "vlan", "bond", "team", "gre", "ipip", "geneve"};
  for (const char* k : kinds)
    if (kind == k) return true;
  return false;
}

// Runs after the link probe (the table's order is the probes' order), so that it knows
// the interface's kind.
bool gatherOptics(Sources& s, const config::Config&, const Links& links, std::vector<LinkFactSet>& facts) {
  bool success = true;
  for (size_t i = 0; i < links.size(); ++i) {
    if (!links[i]->optics.check || !s.optics) continue;
    facts[i].optics.probed = true;
    const auto& iface = facts[i].link.iface;
    if (!iface) {
      facts[i].optics.applicable = false;
      facts[i].optics.notApplicableWhy = "interface " + links[i]->interface + " does not exist (see the link layer)";
      continue;
    }
    if (isVirtualKind(iface->kind)) {
      facts[i].optics.applicable = false;
      facts[i].optics.notApplicableWhy = links[i]->interface + " is a " + iface->kind + " (virtual) interface";
      continue;
    }
    facts[i].optics.module = s.optics->poll(links[i]->interface).facts;
    success = success && facts[i].optics.module.readError.empty();
  }
  return success;
}

std::vector<CheckResult> evalOptics(const config::Link& l, const LinkFactSet& f) { return evaluateOptics(l, f.optics); }

// The on-wire proof of the tag stack: a few tagged ARP requests and neighbour
// solicitations from our address, and what comes back.
bool gatherWire(Sources& s, const config::Config&, const Links& links, std::vector<LinkFactSet>& facts) {
  if (!s.wire) return true;
  bool success = true;
  for (size_t i = 0; i < links.size(); ++i) {
    const config::Link& l = *links[i];
    WireFacts& w = facts[i].wire;
    w.sentStack = configuredStack(l.vlan);
    const auto& iface = facts[i].link.iface;
    if (!iface) continue;  // the link layer reports the missing port
    if (!(l.ip.local && l.ip.gateway) && !(l.ip.local6 && l.ip.gateway6)) {
      w.notRun = "no local address and gateway in the config to ask for";
      continue;
    }
    auto mac = vlan::parseMac(iface->mac);
    if (!mac) {
      w.notRun = l.interface + " has no Ethernet address";
      continue;
    }
    vlan::WireRequest rq;
    rq.interface = l.interface;
    rq.ourMac = *mac;
    rq.tags = w.sentStack;
    if (l.ip.local && l.ip.gateway) rq.ourIp4 = l.ip.local->address, rq.gateway4 = *l.ip.gateway;
    if (l.ip.local6 && l.ip.gateway6) rq.ourIp6 = l.ip.local6->address, rq.gateway6 = *l.ip.gateway6;
    w.result = s.wire->probe(rq);
    w.ran = true;
    success = success && w.result.error.empty();
  }
  return success;
}

std::vector<CheckResult> evalVlan(const config::Link& l, const LinkFactSet& f) { return evaluateVlan(l, f.link, f.wire); }

// Reachability of the gateway: pings (small and 1500 bytes with DF), then the
// neighbour table the pings filled.
bool gatherReach(Sources& s, const config::Config&, const Links& links, std::vector<LinkFactSet>& facts) {
  if (!s.pinger) return true;
  bool success = true;
  bool any = false;
  for (size_t i = 0; i < links.size(); ++i) {
    const config::Link& l = *links[i];
    ReachFacts& r = facts[i].reach;
    if (!facts[i].link.iface) continue;
    auto probe = [&](const IpAddress& gw, l3::PingResult& small, l3::PingResult& big) {
      l3::PingRequest rq;
      rq.target = gw;
      small = s.pinger->ping(rq);
      if (small.permissionDenied) return;
      l3::PingRequest jumbo = rq;
      jumbo.packetSize = 1500;
      jumbo.dontFragment = true;
      jumbo.count = 2;
      big = s.pinger->ping(jumbo);
    };
    if (l.ip.gateway) {
      probe(*l.ip.gateway, r.ping4, r.big4);
      r.ran = true;
      any = true;
      if (r.ping4.permissionDenied) {
        r.ran = false;
        r.notRun = "ICMP needs CAP_NET_RAW (" + r.ping4.error + ")";
        success = false;
        continue;
      }
    }
    if (l.ip.gateway6) {
      probe(*l.ip.gateway6, r.ping6, r.big6);
      r.ran6 = true;
      any = true;
    }
  }
  if (any && s.link) {
    auto neighbors = s.link->neighbors();
    for (size_t i = 0; i < links.size(); ++i) {
      if (neighbors) facts[i].reach.neighbors = *neighbors;
      else facts[i].reach.neighborsError = neighbors.error();
    }
  }
  return success;
}

std::vector<CheckResult> evalIp(const config::Link& l, const LinkFactSet& f) {
  ReachFacts reach = f.reach;
  reach.ran = f.reach.ran || f.reach.ran6;
  return evaluateIp(l, f.link, reach);
}

bool gatherBgp(Sources& s, const config::Config&, const Links& links, std::vector<LinkFactSet>& facts) {
  std::vector<bgp::WantedSession> sessions;
  bool wantBfd = false;
  for (const config::Link* l : links) {
    if (!l->bgp) continue;
    sessions.push_back({l->bgp->vrf, l->bgp->peer.toString(), false, l->bgp->remoteAs});
    if (l->bgp->peer6) sessions.push_back({l->bgp->vrf, l->bgp->peer6->toString(), true, l->bgp->remoteAs});
    wantBfd = wantBfd || l->bgp->bfd;
  }
  if (sessions.empty()) return true;
  auto shared = std::make_shared<const bgp::BgpFacts>(bgp::gatherBgp(*s.frr, sessions, wantBfd, s.procRoot));
  for (LinkFactSet& f : facts) f.bgp = shared;
  return shared->queryError.empty();
}

std::vector<CheckResult> evalBgp(const config::Link& l, const LinkFactSet& f) {
  if (!l.bgp || !f.bgp) return {};
  return evaluateBgp(l, *f.bgp);
}

struct LayerEntry {
  Layer layer;
  const char* probe;  // name in metrics: linkready_probe_duration_seconds{probe=...}
  GatherFn gather;
  EvaluateFn evaluate;
};

// The probes, in the order they run (the link probe first: the optics probe needs to
// know whether the interface is physical). Verdicts are ordered bottom up afterwards.
const LayerEntry kLayerTable[] = {
    {Layer::Link, "link", gatherLink, evalLink},
    {Layer::Optics, "optics", gatherOptics, evalOptics},
    {Layer::Vlan, "vlan", gatherWire, evalVlan},
    {Layer::Ip, "ip", gatherReach, evalIp},
    {Layer::Bgp, "bgp", gatherBgp, evalBgp},
};

}  // namespace

LinuxSources::LinuxSources(const config::Config& cfg)
    : link_(link::makeLinuxLinkSource()),
      eeprom_(optics::makeLinuxEepromIo()),
      opticsReader_(std::make_unique<optics::OpticsReader>(*eeprom_)),
      wire_(vlan::makePcapWireProbe()),
      pinger_(l3::makeRawSocketPinger()),
      frr_(bgp::makeFrrQuery({cfg.frr.socketDir(), std::chrono::milliseconds(cfg.frr.timeoutMs)})) {
  sources_.link = link_.get();
  sources_.optics = opticsReader_.get();
  sources_.wire = wire_.get();
  sources_.pinger = pinger_.get();
  sources_.frr = frr_.get();
}
LinuxSources::~LinuxSources() = default;

static bool wanted(const std::vector<Layer>& layers, Layer l) {
  return layers.empty() || std::find(layers.begin(), layers.end(), l) != layers.end();
}

LinkReport evaluateLinkFacts(const config::Link& link, const LinkFactSet& facts, const std::vector<Layer>& layers) {
  std::vector<CheckResult> checks;
  for (const LayerEntry& e : kLayerTable) {
    if (!wanted(layers, e.layer)) continue;
    auto c = e.evaluate(link, facts);
    checks.insert(checks.end(), std::make_move_iterator(c.begin()), std::make_move_iterator(c.end()));
  }
  return finalizeLink(link.name, link.interface, std::move(checks));
}

Report runChecks(const config::Config& cfg, Sources& sources, const CheckOptions& options,
                 std::vector<LinkFactSet>* factsOut) {
  Report report;
  report.agentId = cfg.agent.id;
  report.version = kVersion;
  report.generatedAt = std::chrono::system_clock::now();

  Links links;
  for (const config::Link& l : cfg.links)
    if (options.onlyLinks.empty() ||
        std::find(options.onlyLinks.begin(), options.onlyLinks.end(), l.name) != options.onlyLinks.end())
      links.push_back(&l);

  std::vector<LinkFactSet> facts(links.size());
  for (const LayerEntry& e : kLayerTable) {
    // The optics probe needs the link probe's facts (is the interface physical?).
    if (!wanted(options.onlyLayers, e.layer) && !(e.layer == Layer::Link && wanted(options.onlyLayers, Layer::Optics)))
      continue;
    auto t0 = std::chrono::steady_clock::now();
    bool success = e.gather(sources, cfg, links, facts);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report.probes.push_back({e.probe, secs, success});
  }
  for (size_t i = 0; i < links.size(); ++i) report.links.push_back(evaluateLinkFacts(*links[i], facts[i], options.onlyLayers));
  report.status = worstStatus(report.links);
  // Redundant pairs, each once, when both partners were checked.
  for (size_t i = 0; i < links.size(); ++i) {
    const std::string& partner = links[i]->redundantWith;
    for (size_t j = i + 1; j < links.size(); ++j) {
      if (links[j]->name != partner) continue;
      std::optional<bool> sameNic;
      const auto& a = facts[i].link.iface;
      const auto& b = facts[j].link.iface;
      if (a && b && !a->busInfo.empty() && !b->busInfo.empty()) {
        // PCI "domain:bus:device.function": one NIC = same up to the function.
        auto card = [](const std::string& s) { return s.substr(0, s.rfind('.')); };
        sameNic = card(a->busInfo) == card(b->busInfo);
      }
      report.pairs.push_back(judgePair(report.links[i], report.links[j], sameNic));
    }
  }
  if (factsOut) *factsOut = std::move(facts);
  return report;
}

}  // namespace linkready
