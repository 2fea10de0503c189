// The wire probe over libpcap: pcap_inject to send, a BPF-filtered capture to listen.
// libpcap rebuilds tags the NIC (or veth) stripped into packet metadata from
// PACKET_AUXDATA, so the frames read here carry the stack as it was on the wire.
#include <pcap/pcap.h>

#include <thread>

#include "probes/vlan/wire_probe.h"

namespace linkready::vlan {

namespace {

using Clock = std::chrono::steady_clock;

struct Capture {
  const WireRequest* request;
  WireResult* result;
  size_t read = 0;
};

void onPacket(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
  auto* c = reinterpret_cast<Capture*>(user);
  ++c->read;
  if (auto f = decodeFrame(bytes, h->caplen)) accountFrame(*c->request, *f, *c->result);
}

class PcapWireProbe final : public WireProbe {
 public:
  WireResult probe(const WireRequest& rq) override {
    WireResult r;
    auto t0 = Clock::now();
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_create(rq.interface.c_str(), err);
    if (!p) {
      r.error = err;
      return r;
    }
    pcap_set_snaplen(p, 512);
    pcap_set_promisc(p, 0);
    pcap_set_immediate_mode(p, 1);
    pcap_set_timeout(p, 20);
    int rc = pcap_activate(p);
    if (rc < 0) {
      r.permissionDenied = rc == PCAP_ERROR_PERM_DENIED;
      r.error = std::string(pcap_statustostr(rc)) + ": " + pcap_geterr(p);
      pcap_close(p);
      return r;
    }
    bpf_program prog{};
    if (pcap_compile(p, &prog, kWireFilter, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0) {
      r.error = std::string("BPF filter: ") + pcap_geterr(p);
      pcap_freecode(&prog);
      pcap_close(p);
      return r;
    }
    pcap_freecode(&prog);
    pcap_setnonblock(p, 1, err);

    std::vector<std::vector<uint8_t>> arp, ns;
    if (rq.ourIp4 && rq.gateway4) arp.push_back(encodeArpRequest(rq.ourMac, *rq.ourIp4, *rq.gateway4, rq.tags));
    if (rq.ourIp6 && rq.gateway6) ns.push_back(encodeNeighborSolicitation(rq.ourMac, *rq.ourIp6, *rq.gateway6, rq.tags));
    Capture cap{&rq, &r};
    auto deadline = t0 + rq.wait;
    auto nextSend = t0;
    int rounds = 0;
    while (Clock::now() < deadline && cap.read < rq.maxFrames) {
      bool arpDone = arp.empty() || r.arpAnswerStack;
      bool ndDone = ns.empty() || r.ndAnswerStack;
      if (arpDone && ndDone) break;
      if (Clock::now() >= nextSend && rounds < rq.sends) {
        if (!arpDone)
          for (auto& f : arp) r.framesSent += pcap_inject(p, f.data(), f.size()) > 0;
        if (!ndDone)
          for (auto& f : ns) r.framesSent += pcap_inject(p, f.data(), f.size()) > 0;
        ++rounds;
        nextSend = Clock::now() + std::chrono::milliseconds(300);
      }
      int n = pcap_dispatch(p, 64, onPacket, reinterpret_cast<u_char*>(&cap));
      if (n < 0) {
        r.error = std::string("capture: ") + pcap_geterr(p);
        break;
      }
      if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pcap_close(p);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
  }
};

}  // namespace

std::unique_ptr<WireProbe> makePcapWireProbe() { return std::make_unique<PcapWireProbe>(); }

}  // namespace linkready::vlan
