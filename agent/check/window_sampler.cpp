#include "agent/check/window_sampler.h"

#include "probes/bgp/bgp_probe.h"
#include "probes/link/gather.h"

namespace linkready::window {

namespace {

void sampleInterface(const link::InterfaceFacts& i, Sample& x) {
  x.present = true;
  x.carrier = i.carrier;
  x.carrierChanges = i.carrierChanges;
  x.rxErrors = i.rxErrors, x.txErrors = i.txErrors, x.rxCrcErrors = i.rxCrcErrors, x.rxDropped = i.rxDropped;
}

void sampleModule(const optics::ModuleFacts& m, Sample& x) {
  if (!m.readError.empty() || !m.corrupt.empty() || !m.domImplemented) return;
  for (const optics::Lane& l : m.lanes) {
    LaneSample ls;
    ls.lane = l.number;
    if (l.rxPower) ls.rxDbm = l.rxPower->dbm();
    if (l.txPower) ls.txDbm = l.txPower->dbm();
    ls.biasMa = l.biasMa;
    ls.rxLos = l.losReported && l.rxLos;
    x.lanes.push_back(ls);
  }
}

}  // namespace

std::vector<Sample> Sampler::sampleInterfaces() {
  std::vector<Sample> out(links_.size());
  auto at = std::chrono::system_clock::now();
  for (Sample& x : out) x.at = at;
  if (s_.link) {
    auto dump = s_.link->counters();
    for (size_t i = 0; i < links_.size(); ++i) {
      const config::Link& l = *links_[i];
      link::LinkFacts f = link::factsFor(l.interface, dump);
      if (!f.iface) continue;
      sampleInterface(*f.iface, out[i]);
      if (link::isVirtualKind(f.iface->kind)) continue;
      if (auto fec = s_.link->fecStats(l.interface)) {
        out[i].fecCorrected = fec->corrected;
        out[i].fecUncorrectable = fec->uncorrectable;
      }
      if (s_.optics && l.optics.check) sampleModule(s_.optics->poll(l.interface).facts, out[i]);
    }
  }
  if (s_.frr)
    for (size_t i = 0; i < links_.size(); ++i) {
      const config::Link& l = *links_[i];
      if (!l.bgp) continue;
      out[i].sessions.push_back({"ipv4", l.bgp->peer.toString()});
      if (l.bgp->peer6) out[i].sessions.push_back({"ipv6", l.bgp->peer6->toString()});
    }
  return out;
}

std::vector<bgp::WantedSession> Sampler::wantedSessions() const {
  std::vector<bgp::WantedSession> wanted;
  for (const config::Link* l : links_) {
    if (!l->bgp) continue;
    wanted.push_back({l->bgp->vrf, l->bgp->peer.toString(), false, l->bgp->remoteAs, l->bgp->bfd});
    if (l->bgp->peer6) wanted.push_back({l->bgp->vrf, l->bgp->peer6->toString(), true, l->bgp->remoteAs, l->bgp->bfd});
  }
  return wanted;
}

void Sampler::complete(std::vector<Sample>& out, std::chrono::steady_clock::time_point deadline) {
  std::vector<l3::PingRequest> echoes;
  std::vector<size_t> echoOf;
  for (size_t i = 0; i < links_.size() && i < out.size(); ++i) {
    const config::Link& l = *links_[i];
    std::optional<IpAddress> gw = l.ip.gateway ? l.ip.gateway : l.ip.gateway6;
    if (!gw || !out[i].present) continue;
    l3::PingRequest rq;
    rq.target = *gw;
    rq.count = 1;
    // One echo each: the interval only spreads the first sends. 2 ms instead of the check's
    // 20 ms puts a second's 64 echoes into about three sendmmsg calls instead of a wakeup
    // each millisecond with three echoes: about half the CPU of the round (README, "Every
    // link at once").
    rq.interval = std::chrono::milliseconds(2);
    echoes.push_back(rq);
    echoOf.push_back(i);
  }
  if (s_.pinger && !echoes.empty()) {
    auto results = s_.pinger->pingAll(echoes, deadline);
    for (size_t k = 0; k < results.size() && k < echoOf.size(); ++k) {
      Sample& x = out[echoOf[k]];
      x.echoSent = results[k].sent > 0;
      x.echoAnswered = results[k].received > 0;
      x.rttMs = results[k].avgRttMs;
    }
  }

  std::vector<bgp::WantedSession> wanted = wantedSessions();
  if (s_.frr && !wanted.empty()) {
    const bgp::BgpFacts& f = sessions_.read(*s_.frr, wanted);
    for (size_t i = 0; i < links_.size() && i < out.size(); ++i) {
      const config::Link& l = *links_[i];
      if (!l.bgp) continue;
      out[i].sessions.clear();  // listed by sampleInterfaces; now known
      auto one = [&](const std::string& family, const IpAddress& peer) {
        SessionSample ss;
        ss.family = family;
        ss.peer = peer.toString();
        for (const bgp::Neighbor& n : f.neighbors) {
          if (n.address != ss.peer || n.vrf != l.bgp->vrf) continue;
          ss.known = true;
          ss.established = n.state == "Established";
          ss.dropped = n.connectionsDropped;
          if (l.bgp->bfd) ss.bfdUp = n.bfd && n.bfd->status == "Up";
        }
        out[i].sessions.push_back(ss);
      };
      one("ipv4", l.bgp->peer);
      if (l.bgp->peer6) one("ipv6", *l.bgp->peer6);
    }
  }
}

}  // namespace linkready::window
