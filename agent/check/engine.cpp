#include "agent/check/engine.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <map>
#include <system_error>
#include <thread>

#include "agent/check/eval_bgp.h"
#include "agent/check/eval_ip.h"
#include "agent/check/eval_link.h"
#include "agent/check/eval_optics.h"
#include "agent/check/eval_vlan.h"
#include "agent/check/vlan_chain.h"
#include "agent/version.h"
#include "probes/bgp/bgp_probe.h"
#include "probes/l3/gather.h"
#include "probes/link/gather.h"
#include "probes/optics/gather.h"
#include "probes/vlan/gather.h"

namespace linkready {

namespace {

using Links = std::vector<const config::Link*>;

// Each probe gathers for all selected links at once (one netlink dump, one FRR query);
// the functions here only turn the config into the probe's requests and place the facts.
// `Gathering::deadline` is the check's one deadline: nothing that waits on the network waits past it.
using Deadline = std::chrono::steady_clock::time_point;
using Proof = CheckOptions::Proof;
struct Gathering {
  Deadline deadline;
  std::vector<const Proof*> reuse;  // per link: the earlier proof taken instead of probing, or null
};
using GatherFn = bool (*)(ProbeSources&, const Links&, std::vector<Observation>&, const Gathering&);
using EvaluateFn = std::vector<CheckResult> (*)(const config::Link&, const Observation&);

bool gatherLinkLayer(ProbeSources& s, const Links& links, std::vector<Observation>& obs, const Gathering&) {
  std::vector<link::LinkJob> jobs;
  for (const config::Link* l : links) {
    link::LinkJob& job = jobs.emplace_back(link::LinkJob{l->interface, {}});
    if (l->ip.local) job.addresses.push_back(l->ip.local->address);
    if (l->ip.local6) job.addresses.push_back(l->ip.local6->address);
  }
  auto got = link::gatherLinks(*s.link, jobs);
  for (size_t i = 0; i < links.size(); ++i) obs[i].link = std::move(got.facts[i]);
  return got.success;
}

// Runs after the link probe (the table's order is the probes' order): only a physical
// port that exists has a module to read.
bool gatherOpticsLayer(ProbeSources& s, const Links& links, std::vector<Observation>& obs, const Gathering&) {
  if (!s.optics) return true;
  std::vector<optics::OpticsRequest> requests;
  std::vector<size_t> index;
  for (size_t i = 0; i < links.size(); ++i) {
    if (!links[i]->optics.check) continue;
    optics::OpticsRequest rq{links[i]->interface, {}};
    const auto& iface = obs[i].link.iface;
    if (!iface) rq.notApplicableWhy = "interface " + links[i]->interface + " does not exist (see the link layer)";
    else if (link::isVirtualKind(iface->kind))
      rq.notApplicableWhy = links[i]->interface + " is a " + iface->kind + " (virtual) interface";
    requests.push_back(std::move(rq));
    index.push_back(i);
  }
  auto got = optics::gatherOptics(*s.optics, requests);
  for (size_t k = 0; k < index.size(); ++k) obs[index[k]].optics = std::move(got.facts[k]);
  return got.success;
}

vlan::WireJob wireJob(const config::Link& l, const link::LinkFacts& facts) {
  vlan::WireJob job;
  job.sentStack = configuredStack(l.vlan);
  if (!facts.iface) {
    job.skip = true;
    return job;
  }
  if (!(l.ip.local && l.ip.gateway) && !(l.ip.local6 && l.ip.gateway6)) {
    job.notRun = "no local address and gateway in the config to ask for";
    return job;
  }
  auto mac = vlan::parseMac(facts.iface->mac);
  if (!mac) {
    job.notRun = l.interface + " has no Ethernet address";
    return job;
  }
  vlan::WireRequest& rq = job.request;
  rq.interface = l.interface;
  rq.ourMac = *mac;
  rq.tags = job.sentStack;
  if (l.ip.local && l.ip.gateway) rq.ourIp4 = l.ip.local->address, rq.gateway4 = *l.ip.gateway;
  if (l.ip.local6 && l.ip.gateway6) rq.ourIp6 = l.ip.local6->address, rq.gateway6 = *l.ip.gateway6;
  return job;
}

// The echoes run after the on-wire proof (the same lane): the proof's waits end this long
// before the check's deadline, so that a far end silent to the proof (it waits 2 s) still
// leaves every other link's echoes the time to go out and come back.
constexpr auto kEchoShare = std::chrono::milliseconds(500);

bool gatherVlanLayer(ProbeSources& s, const Links& links, std::vector<Observation>& obs, const Gathering& g) {
  if (!s.wire) return true;
  std::vector<vlan::WireJob> jobs;
  for (size_t i = 0; i < links.size(); ++i) {
    jobs.push_back(wireJob(*links[i], obs[i].link));
    if (g.reuse[i]) jobs.back().skip = true;
  }
  // Links sharing a port (hosted connections on one trunk): each request knows the others'
  // stacks, so that their traffic is not taken for the far end of this one.
  for (size_t i = 0; i < jobs.size(); ++i)
    for (size_t k = 0; k < jobs.size(); ++k)
      if (k != i && links[k]->interface == links[i]->interface) jobs[i].request.otherLinks.push_back(jobs[k].sentStack);
  auto got = vlan::gatherWire(*s.wire, jobs, g.deadline - kEchoShare);
  for (size_t i = 0; i < links.size(); ++i) obs[i].wire = g.reuse[i] ? g.reuse[i]->wire : std::move(got.facts[i]);
  return got.success;
}

bool gatherIpLayer(ProbeSources& s, const Links& links, std::vector<Observation>& obs, const Gathering& g) {
  if (!s.pinger) return true;
  std::vector<l3::ReachJob> jobs;
  for (size_t i = 0; i < links.size(); ++i)
    jobs.push_back({!obs[i].link.iface, links[i]->ip.gateway, links[i]->ip.gateway6, !g.reuse[i]});
  auto got = l3::gatherReach(*s.pinger, s.link, jobs, g.deadline);
  for (size_t i = 0; i < links.size(); ++i) {
    l3::ReachFacts& now = got.facts[i];
    if (g.reuse[i]) {  // the earlier echoes, with the neighbour table as it is now
      l3::ReachFacts earlier = g.reuse[i]->reach;
      earlier.neighbors = std::move(now.neighbors);
      earlier.neighborsError = std::move(now.neighborsError);
      now = std::move(earlier);
    }
    obs[i].reach = std::move(now);
  }
  return got.success;
}

bool gatherBgpLayer(ProbeSources& s, const Links& links, std::vector<Observation>& obs, const Gathering&) {
  std::vector<bgp::WantedSession> sessions;
  bool wantBfd = false;
  for (const config::Link* l : links) {
    if (!l->bgp) continue;
    sessions.push_back({l->bgp->vrf, l->bgp->peer.toString(), false, l->bgp->remoteAs});
    if (l->bgp->peer6) sessions.push_back({l->bgp->vrf, l->bgp->peer6->toString(), true, l->bgp->remoteAs});
    wantBfd = wantBfd || l->bgp->bfd;
  }
  if (sessions.empty()) return true;
  auto shared = std::make_shared<const bgp::BgpFacts>(bgp::gatherBgp(*s.frr, sessions, wantBfd, s.procRoot, s.bgpMemo));
  for (Observation& o : obs) o.bgp = shared;
  return shared->queryError.empty();
}

std::vector<CheckResult> judgeOptics(const config::Link& l, const Observation& o) { return evaluateOptics(l, o.optics); }
std::vector<CheckResult> judgeLinkLayer(const config::Link& l, const Observation& o) { return evaluateLinkLayer(l, o.link); }
std::vector<CheckResult> judgeVlan(const config::Link& l, const Observation& o) { return evaluateVlan(l, o.link, o.wire); }

std::vector<CheckResult> judgeIp(const config::Link& l, const Observation& o) { return evaluateIp(l, o.link, o.reach); }

std::vector<CheckResult> judgeBgp(const config::Link& l, const Observation& o) {
  if (!l.bgp || !o.bgp) return {};
  return evaluateBgp(l, *o.bgp);
}

struct LayerEntry {
  Layer layer;
  const char* probe;  // name in metrics: linkready_probe_duration_seconds{probe=...}
  GatherFn gather;
  EvaluateFn evaluate;
  int lane;  // probes of one lane run one after another, lanes side by side (0: first, alone)
};

// The probes, in the order they run (the link probe first: the optics probe needs to
// know whether the interface is physical). Verdicts are ordered bottom up afterwards.
const LayerEntry kLayerTable[] = {
    {Layer::Link, "link", gatherLinkLayer, judgeLinkLayer, 0},
    {Layer::Optics, "optics", gatherOpticsLayer, judgeOptics, 1},
    // The echoes after the on-wire proof, never beside it: the kernel's ARP for the echoes
    // and the gateway's answers to it would be taken for answers to the proof's own frames.
    {Layer::Vlan, "vlan", gatherVlanLayer, judgeVlan, 2},
    {Layer::Ip, "ip", gatherIpLayer, judgeIp, 2},
    {Layer::Bgp, "bgp", gatherBgpLayer, judgeBgp, 3},
};

bool wanted(const std::vector<Layer>& layers, Layer l) {
  return layers.empty() || std::find(layers.begin(), layers.end(), l) != layers.end();
}

Links selectLinks(const config::Config& cfg, const CheckOptions& options) {
  Links links;
  for (const config::Link& l : cfg.links)
    if (options.onlyLinks.empty() ||
        std::find(options.onlyLinks.begin(), options.onlyLinks.end(), l.name) != options.onlyLinks.end())
      links.push_back(&l);
  return links;
}

// Redundant pairs, each once, when both partners were checked.
void judgePairs(const Links& links, const std::vector<Observation>& obs, Report& report) {
  for (size_t i = 0; i < links.size(); ++i) {
    for (size_t j = i + 1; j < links.size(); ++j) {
      // Either side naming the other makes a pair (once, in file order).
      if (links[i]->redundantWith != links[j]->name && links[j]->redundantWith != links[i]->name) continue;
      std::optional<bool> sameNic;
      const auto& a = obs[i].link.iface;
      const auto& b = obs[j].link.iface;
      if (a && b && !a->busInfo.empty() && !b->busInfo.empty()) {
        // PCI "domain:bus:device.function": one NIC = same up to the function.
        auto card = [](const std::string& s) { return s.substr(0, s.rfind('.')); };
        sameNic = card(a->busInfo) == card(b->busInfo);
      }
      report.pairs.push_back(judgePair(report.links[i], report.links[j], sameNic));
    }
  }
}

// An earlier proof is taken only for the interface it was made on: the same ifindex and MAC,
// and no carrier change since (a flap, a re-patch or a re-created port is proved again).
const Proof* reusable(const CheckOptions& options, const config::Link& l, const link::LinkFacts& now) {
  auto p = options.earlierProof.find(l.name);
  if (p == options.earlierProof.end() || !now.iface) return nullptr;
  const link::InterfaceFacts& i = *now.iface;
  if (i.ifindex != p->second.ifindex || i.mac != p->second.mac || i.carrierChanges != p->second.carrierChanges)
    return nullptr;
  return &p->second;
}

// The error counters once more, after the other probes: link.errors judges what rose since
// the first reading (or since the caller's baseline). One rtnetlink dump for every link.
void closeCounterWindow(ProbeSources& s, const Links& links, std::vector<Observation>& obs,
                        std::chrono::steady_clock::time_point firstAt, const CheckOptions& options) {
  auto dump = s.link->counters();
  if (!dump) return;
  auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < links.size(); ++i) {
    link::LinkFacts& f = obs[i].link;
    if (!f.iface) continue;
    link::LinkFacts later = link::factsFor(links[i]->interface, dump);
    if (!later.iface || later.iface->ifindex != f.iface->ifindex) continue;  // gone or re-created: no window
    link::CounterWindow w{link::errorCountersOf(*f.iface), link::errorCountersOf(*later.iface),
                          std::chrono::duration<double>(now - firstAt).count()};
    if (auto b = options.counterBaseline.find(links[i]->interface); b != options.counterBaseline.end())
      w.first = b->second.counters, w.seconds = std::chrono::duration<double>(now - b->second.at).count();
    f.counters = w;
  }
}

}  // namespace

LinkReport judgeObservation(const config::Link& link, const Observation& observed, const std::vector<Layer>& layers) {
  std::vector<CheckResult> checks;
  for (const LayerEntry& e : kLayerTable) {
    if (!wanted(layers, e.layer)) continue;
    auto c = e.evaluate(link, observed);
    checks.insert(checks.end(), std::make_move_iterator(c.begin()), std::make_move_iterator(c.end()));
  }
  return finalizeLink(link.name, link.interface, std::move(checks));
}

std::optional<CheckOptions::Proof> proofOf(const Observation& o, std::chrono::system_clock::time_point checkedAt) {
  if (!o.link.iface || !(o.wire.ran || o.reach.ran || o.reach.ran6)) return std::nullopt;
  Proof p{o.wire, o.reach, o.proofFrom.value_or(checkedAt), o.link.iface->ifindex, o.link.iface->mac,
          o.link.iface->carrierChanges};
  p.reach.neighbors.clear();  // read afresh by the check that takes the proof
  p.reach.neighborsError.clear();
  return p;
}

Report runChecks(const config::Config& cfg, ProbeSources& sources, const CheckOptions& options,
                 std::vector<Observation>* observations) {
  Report report;
  report.agentId = cfg.agent.id;
  report.version = kVersion;
  report.generatedAt = std::chrono::system_clock::now();
  report.began = std::chrono::steady_clock::now();

  Links links = selectLinks(cfg, options);
  std::vector<Observation> obs(links.size());
  // One deadline for every probe that waits on the network, whatever the number of links.
  Gathering gathering{std::chrono::steady_clock::now() + options.deadline, std::vector<const Proof*>(links.size())};
  auto firstAt = std::chrono::steady_clock::now();
  bool linkGathered = false;
  // The link probe first (one netlink dump: the others need to know which ports exist and
  // which are physical); then the other lanes side by side, each on a thread of its own
  // (three, whatever the number of links): the module reads, the on-wire proof and the
  // echoes, and FRR's answers wait side by side, not one after another. Each probe writes
  // only its own part of each observation and uses only its own source.
  report.probes.resize(std::size(kLayerTable));
  std::vector<bool> ran(std::size(kLayerTable));
  std::vector<std::exception_ptr> failures(std::size(kLayerTable));
  auto gather = [&](size_t k) {
    try {
      auto t0 = std::chrono::steady_clock::now();
      bool success = kLayerTable[k].gather(sources, links, obs, gathering);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      report.probes[k] = {kLayerTable[k].probe, secs, success};
    } catch (...) {  // handed to the caller after the join, as if the probe had run here
      failures[k] = std::current_exception();
    }
  };
  std::map<int, std::vector<size_t>> lanes;
  for (size_t k = 0; k < std::size(kLayerTable); ++k) {
    const LayerEntry& e = kLayerTable[k];
    if (!wanted(options.onlyLayers, e.layer) && !(e.layer == Layer::Link && wanted(options.onlyLayers, Layer::Optics)))
      continue;
    ran[k] = true;
    lanes[e.lane].push_back(k);
  }
  for (size_t k : lanes[0]) {
    gather(k);
    linkGathered = linkGathered || (kLayerTable[k].layer == Layer::Link && report.probes[k].success);
  }
  lanes.erase(0);
  // An earlier proof stands in only where this check runs the layers it proves.
  bool proving = wanted(options.onlyLayers, Layer::Vlan) || wanted(options.onlyLayers, Layer::Ip);
  for (size_t i = 0; i < links.size() && proving; ++i) {
    gathering.reuse[i] = reusable(options, *links[i], obs[i].link);
    if (gathering.reuse[i]) obs[i].proofFrom = gathering.reuse[i]->at;
  }
  std::vector<std::thread> running;
  running.reserve(lanes.size());
  for (const auto& [lane, probes] : lanes) {
    auto runLane = [&gather, probes = probes] {
      for (size_t k : probes) gather(k);
    };
    try {
      running.emplace_back(runLane);
    } catch (const std::system_error&) {  // no thread to be had: this lane runs here
      runLane();
    }
  }
  for (std::thread& t : running) t.join();
  for (const std::exception_ptr& f : failures)
    if (f) std::rethrow_exception(f);
  std::vector<ProbeRun> probes;
  for (size_t k = 0; k < ran.size(); ++k)
    if (ran[k]) probes.push_back(std::move(report.probes[k]));
  report.probes = std::move(probes);
  if (linkGathered && wanted(options.onlyLayers, Layer::Link)) closeCounterWindow(sources, links, obs, firstAt, options);
  for (size_t i = 0; i < links.size(); ++i) {
    report.links.push_back(judgeObservation(*links[i], obs[i], options.onlyLayers));
    report.links.back().proofFrom = obs[i].proofFrom;
  }
  judgePairs(links, obs, report);
  report.status = reportStatus(report);
  if (observations) *observations = std::move(obs);
  return report;
}

}  // namespace linkready
