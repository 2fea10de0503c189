#include "agent/daemon/agent_state.h"

#include <algorithm>

namespace linkready {

// Readiness and every check's id and status, in id order: one string, built without a
// string per check (it runs for every link after every check).
std::string AgentState::signature(const LinkReport& l) {
  std::vector<const CheckResult*> order;
  order.reserve(l.checks.size());
  size_t size = 16;
  for (const auto& c : l.checks) order.push_back(&c), size += c.id.size() + 10;
  std::sort(order.begin(), order.end(), [](const CheckResult* a, const CheckResult* b) {
    return a->id != b->id ? a->id < b->id : a->status < b->status;
  });
  std::string s(readinessName(l.readiness));
  s.reserve(size);
  for (const CheckResult* c : order) s.append(";").append(c->id).append("=").append(statusName(c->status));
  return s;
}

std::vector<LinkUpdate> AgentState::merge(Report partial, std::vector<Observation> facts,
                                          const std::vector<Layer>& layers) {
  std::vector<LinkUpdate> updates;
  meta_.agentId = partial.agentId;
  meta_.version = partial.version;
  meta_.generatedAt = partial.generatedAt;
  if (layers.empty()) meta_.probes = std::move(partial.probes);
  for (const PairReport& p : partial.pairs) pairs_[{p.first, p.second}] = p.sameNic;
  auto covered = [&](Layer l) { return layers.empty() || std::find(layers.begin(), layers.end(), l) != layers.end(); };
  for (size_t i = 0; i < partial.links.size(); ++i) {
    LinkReport& fresh = partial.links[i];
    if (std::find(order_.begin(), order_.end(), fresh.name) == order_.end()) order_.push_back(fresh.name);
    auto& stamps = stamps_[fresh.name];
    // A full check that began before the latest fast re-check of this link saw the link as
    // it was then: all its layers are stale. The fast path asked for a new full check.
    if (layers.empty() && partial.began < stamps[Layer::Link]) continue;
    // A layer is taken from this run when the run covered it and is not older than what
    // the state has for it; otherwise the state's verdicts stay.
    auto take = [&](Layer l) { return covered(l) && !(partial.began < stamps[l]); };
    std::vector<CheckResult> checks;
    auto old = links_.find(fresh.name);
    // Exactly what is kept: the link's verdicts live in the state with this capacity.
    size_t kept = 0;
    if (old != links_.end())
      for (const auto& c : old->second.checks) kept += !take(c.layer);
    for (const auto& c : fresh.checks) kept += take(c.layer);
    checks.reserve(kept);
    std::optional<std::chrono::system_clock::time_point> proofFrom = fresh.proofFrom;
    if (old != links_.end()) {
      for (const auto& c : old->second.checks)
        if (!take(c.layer)) checks.push_back(c);
      if (!take(Layer::Vlan)) proofFrom = old->second.proofFrom;
    }
    for (auto& c : fresh.checks)
      if (take(c.layer)) checks.push_back(std::move(c));
    for (Layer l : kLayers)
      if (take(l)) stamps[l] = partial.began;
    links_[fresh.name] = finalizeLink(fresh.name, fresh.interface, std::move(checks));
    links_[fresh.name].proofFrom = proofFrom;
    if (i < facts.size()) {
      Observation& f = facts_[fresh.name];
      Observation& n = facts[i];
      if (take(Layer::Optics)) f.optics = std::move(n.optics);
      if (take(Layer::Link)) f.link = std::move(n.link);
      if (take(Layer::Vlan)) f.wire = std::move(n.wire);
      if (take(Layer::Ip)) f.reach = std::move(n.reach);
      if (take(Layer::Bgp)) f.bgp = std::move(n.bgp);
    }
    std::string sig = signature(links_[fresh.name]);
    bool changed = reported_[fresh.name] != sig;
    reported_[fresh.name] = sig;
    updates.push_back({fresh.name, changed});
  }
  return updates;
}

void AgentState::retain(const config::Config& cfg) {
  std::vector<std::string> keep;
  for (const auto& name : order_)
    if (cfg.findLink(name)) keep.push_back(name);
    else links_.erase(name), facts_.erase(name), reported_.erase(name);
  order_ = keep;
  for (auto it = pairs_.begin(); it != pairs_.end();) {
    const config::Link* a = cfg.findLink(it->first.first);
    const config::Link* b = cfg.findLink(it->first.second);
    bool still = a && b && (a->redundantWith == b->name || b->redundantWith == a->name);
    it = still ? std::next(it) : pairs_.erase(it);
  }
}

Report AgentState::report() const {
  Report r = meta_;
  r.links.clear();
  r.links.reserve(order_.size());
  for (const auto& name : order_)
    if (auto it = links_.find(name); it != links_.end()) r.links.push_back(it->second);
  r.pairs.clear();
  for (const auto& [names, sameNic] : pairs_) {
    auto a = links_.find(names.first), b = links_.find(names.second);
    if (a != links_.end() && b != links_.end()) r.pairs.push_back(judgePair(a->second, b->second, sameNic));
  }
  r.status = reportStatus(r);
  return r;
}

const LinkReport* AgentState::link(const std::string& name) const {
  auto it = links_.find(name);
  return it == links_.end() ? nullptr : &it->second;
}

}  // namespace linkready
