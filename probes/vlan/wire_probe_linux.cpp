// The wire probe over libpcap: pcap_inject to send, a BPF-filtered capture to listen, one
// capture per link, all of them in one poll() loop over their selectable descriptors
// (non-blocking, immediate mode) under one deadline. libpcap rebuilds tags the NIC (or
// veth) stripped into packet metadata from PACKET_AUXDATA, so the frames read here carry
// the stack as it was on the wire.
#include <pcap/pcap.h>
#include <poll.h>

#include <algorithm>

#include "probes/vlan/wire_probe.h"

namespace linkready::vlan {

namespace {

using Clock = std::chrono::steady_clock;

// One link's capture and where its proof stands.
struct Capture {
  const WireRequest* request = nullptr;
  WireResult* result = nullptr;
  pcap_t* pcap = nullptr;
  int fd = -1;
  size_t read = 0;
  int rounds = 0;
  Clock::time_point start, nextSend, end;
  bool finished = false;
};

void onPacket(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
  auto* c = reinterpret_cast<Capture*>(user);
  ++c->read;
  if (auto f = decodeFrame(bytes, h->caplen)) accountFrame(*c->request, *f, *c->result);
}

// Opens the link's capture; on failure the result carries the error and nothing is open.
void openCapture(Capture& c) {
  WireResult& r = *c.result;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_create(c.request->interface.c_str(), err);
  if (!p) {
    r.error = err;
    return;
  }
  pcap_set_snaplen(p, 512);
  pcap_set_promisc(p, 0);
  pcap_set_immediate_mode(p, 1);
  pcap_set_buffer_size(p, 256 * 1024);  // a few hundred ARP/ND frames; hundreds of links share memory
  int rc = pcap_activate(p);
  if (rc < 0) {
    r.permissionDenied = rc == PCAP_ERROR_PERM_DENIED;
    r.error = std::string(pcap_statustostr(rc)) + ": " + pcap_geterr(p);
    pcap_close(p);
    return;
  }
  bpf_program prog{};
  if (pcap_compile(p, &prog, kWireFilter, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0) {
    r.error = std::string("BPF filter: ") + pcap_geterr(p);
    pcap_freecode(&prog);
    pcap_close(p);
    return;
  }
  pcap_freecode(&prog);
  if (pcap_setnonblock(p, 1, err) != 0 || (c.fd = pcap_get_selectable_fd(p)) < 0) {
    r.error = std::string("capture: no selectable descriptor: ") + err;
    pcap_close(p);
    return;
  }
  c.pcap = p;
}

void finish(Capture& c, Clock::time_point now) {
  if (c.finished) return;
  c.finished = true;
  c.result->seconds = std::chrono::duration<double>(now - c.start).count();
  if (c.pcap) pcap_close(c.pcap);
  c.pcap = nullptr;
}

// Sends the round that is due; ends the link when answered, out of time or over its frame cap.
void step(Capture& c, Clock::time_point now) {
  if (c.finished) return;
  const WireRequest& rq = *c.request;
  if (wireAnswered(rq, *c.result) || now >= c.end || c.read >= rq.maxFrames) return finish(c, now);
  if (now >= c.nextSend && c.rounds < rq.sends) {
    for (const auto& f : wireRound(rq, *c.result)) c.result->framesSent += pcap_inject(c.pcap, f.data(), f.size()) > 0;
    ++c.rounds;
    c.nextSend = now + rq.spacing;
  }
}

void drain(Capture& c) {
  int n = pcap_dispatch(c.pcap, 64, onPacket, reinterpret_cast<u_char*>(&c));
  if (n < 0) c.result->error = std::string("capture: ") + pcap_geterr(c.pcap);
}

class PcapWireProbe final : public WireProbe {
 public:
  std::vector<WireResult> probeAll(const std::vector<WireRequest>& requests, Clock::time_point deadline) override {
    std::vector<WireResult> results(requests.size());
    std::vector<Capture> caps(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      Capture& c = caps[i];
      c.request = &requests[i];
      c.result = &results[i];
      openCapture(c);
      if (!c.pcap) c.finished = true;
    }
    // The waits count from when every capture is open: nobody's answer is missed while others open.
    auto t0 = Clock::now();
    for (Capture& c : caps) {
      c.start = c.nextSend = t0;
      c.end = std::min(deadline, t0 + c.request->wait);
    }
    std::vector<pollfd> fds;
    std::vector<Capture*> polled;
    for (;;) {
      auto now = Clock::now();
      auto wake = Clock::time_point::max();
      fds.clear();
      polled.clear();
      for (Capture& c : caps) {
        step(c, now);
        if (!c.finished && !c.result->error.empty()) finish(c, now);
        if (c.finished) continue;
        wake = std::min({wake, c.end, c.rounds < c.request->sends ? c.nextSend : c.end});
        fds.push_back({c.fd, POLLIN, 0});
        polled.push_back(&c);
      }
      if (fds.empty()) break;
      int waitMs = int(std::clamp<long>(std::chrono::ceil<std::chrono::milliseconds>(wake - now).count(), 0, 1000));
      if (poll(fds.data(), fds.size(), waitMs) <= 0) continue;
      for (size_t k = 0; k < fds.size(); ++k)
        if (fds[k].revents & (POLLIN | POLLERR)) drain(*polled[k]);
    }
    return results;
  }
};

}  // namespace

std::unique_ptr<WireProbe> makePcapWireProbe() { return std::make_unique<PcapWireProbe>(); }

}  // namespace linkready::vlan
