#include "probes/vlan/wire_probe.h"

namespace linkready::vlan {

namespace {

// Our gateway speaking, whatever the tags: on another link's VLAN it is the clue that the
// two links' VLANs are swapped.
bool fromOurGateway(const WireRequest& rq, const Frame& f) {
  if (rq.gateway4 && ((f.arp && f.arp->senderIp == *rq.gateway4) || (f.ipv4Source && *f.ipv4Source == *rq.gateway4)))
    return true;
  return rq.gateway6 && f.nd && f.nd->source == *rq.gateway6;
}

}  // namespace

void accountFrame(const WireRequest& rq, const Frame& f, WireResult& r) {
  if (f.source == rq.ourMac) return;  // our own frames, seen on the way out
  for (const auto& other : rq.otherLinks)  // another link's traffic on its own VLAN
    if (sameStack(f.tags, other) && !sameStack(f.tags, rq.tags) && !fromOurGateway(rq, f)) return;
  ++r.framesSeen;
  r.farEndStacks[stackText(f.tags)]++;
  // Who the far end says it is: ARP senders and IPv4 sources, by the stack they came on.
  if (f.arp && f.arp->senderIp.family) r.farEndArpSenders[f.arp->senderIp.toString()] = stackText(f.tags);
  if (f.ipv4Source) r.farEndArpSenders[f.ipv4Source->toString()] = stackText(f.tags);
  if (f.arp && f.arp->op == 2 && rq.gateway4 && f.arp->senderIp == *rq.gateway4 &&
      (!rq.ourIp4 || f.arp->targetIp == *rq.ourIp4) && !r.arpAnswerStack) {
    r.arpAnswerStack = f.tags;
    r.gatewayMac = macText(f.arp->senderMac);
  }
  if (f.nd && f.nd->type == 136 && rq.gateway6 && f.nd->target == *rq.gateway6 && !r.ndAnswerStack)
    r.ndAnswerStack = f.tags;
}

bool wireAnswered(const WireRequest& rq, const WireResult& r) {
  bool arpDone = !(rq.ourIp4 && rq.gateway4) || r.arpAnswerStack;
  bool ndDone = !(rq.ourIp6 && rq.gateway6) || r.ndAnswerStack;
  return arpDone && ndDone;
}

std::vector<std::vector<uint8_t>> wireRound(const WireRequest& rq, const WireResult& r) {
  std::vector<std::vector<uint8_t>> frames;
  if (rq.ourIp4 && rq.gateway4 && !r.arpAnswerStack)
    frames.push_back(encodeArpRequest(rq.ourMac, *rq.ourIp4, *rq.gateway4, rq.tags));
  if (rq.ourIp6 && rq.gateway6 && !r.ndAnswerStack)
    frames.push_back(encodeNeighborSolicitation(rq.ourMac, *rq.ourIp6, *rq.gateway6, rq.tags));
  return frames;
}

}  // namespace linkready::vlan
