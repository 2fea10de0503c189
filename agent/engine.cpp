#include "agent/engine.h"

#include <algorithm>
#include <chrono>

#include "agent/eval_bgp.h"
#include "agent/eval_link.h"
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

// The probes, bottom up. Later layers are added here, and only here.
const LayerEntry kLayerTable[] = {
    {Layer::Link, "link", gatherLink, evalLink},
    {Layer::Bgp, "bgp", gatherBgp, evalBgp},
};

}  // namespace

LinuxSources::LinuxSources(const config::Config& cfg)
    : link_(link::makeLinuxLinkSource()),
      frr_(bgp::makeFrrQuery({cfg.frr.socketDir(), std::chrono::milliseconds(cfg.frr.timeoutMs)})) {
  sources_.link = link_.get();
  sources_.frr = frr_.get();
}
LinuxSources::~LinuxSources() = default;

LinkReport evaluateLinkFacts(const config::Link& link, const LinkFactSet& facts) {
  std::vector<CheckResult> checks;
  for (const LayerEntry& e : kLayerTable) {
    auto c = e.evaluate(link, facts);
    checks.insert(checks.end(), std::make_move_iterator(c.begin()), std::make_move_iterator(c.end()));
  }
  return finalizeLink(link.name, link.interface, std::move(checks));
}

Report runChecks(const config::Config& cfg, Sources& sources, const CheckOptions& options) {
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
    auto t0 = std::chrono::steady_clock::now();
    bool success = e.gather(sources, cfg, links, facts);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report.probes.push_back({e.probe, secs, success});
  }
  for (size_t i = 0; i < links.size(); ++i) report.links.push_back(evaluateLinkFacts(*links[i], facts[i]));
  report.status = worstStatus(report.links);
  return report;
}

}  // namespace linkready
