// The wire probe over libpcap: pcap_inject to send, a BPF-filtered capture to listen, one
// capture per link, all of them in one poll() loop over their selectable descriptors
// (non-blocking, immediate mode) under one deadline. libpcap rebuilds tags the NIC (or
// veth) stripped into packet metadata from PACKET_AUXDATA, so the frames read here carry
// the stack as it was on the wire.
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>

#include <algorithm>
#include <system_error>
#include <utility>
#include <thread>

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

// The filter, compiled by libpcap's optimiser once with the first live capture and set on
// every capture of the same link type (compiling it per link cost more than the kernel's
// part at hundreds of links). Compiled against a live handle, not pcap_open_dead: only a
// live Linux capture tells libpcap that the kernel keeps VLAN tags in packet metadata.
class SharedFilter {
 public:
  SharedFilter() = default;
  ~SharedFilter() {
    if (dlt_ >= 0) pcap_freecode(&prog_);
  }
  SharedFilter(const SharedFilter&) = delete;
  SharedFilter& operator=(const SharedFilter&) = delete;

  bool set(pcap_t* p) {
    int dlt = pcap_datalink(p);
    if (dlt_ < 0) {
      if (pcap_compile(p, &prog_, kWireFilter, 1, PCAP_NETMASK_UNKNOWN) != 0) return false;
      dlt_ = dlt;
    }
    if (dlt == dlt_) return pcap_setfilter(p, &prog_) == 0;
    bpf_program own{};  // another link type (a tunnel, say): its own program
    bool ok = pcap_compile(p, &own, kWireFilter, 1, PCAP_NETMASK_UNKNOWN) == 0 && pcap_setfilter(p, &own) == 0;
    pcap_freecode(&own);
    return ok;
  }

 private:
  bpf_program prog_{};
  int dlt_ = -1;
};

// Opens the link's capture; on failure the result carries the error and nothing is open.
void openCapture(Capture& c, SharedFilter& filter) {
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
  pcap_set_buffer_size(p, 128 * 1024);  // ~200 frames of 512 bytes; hundreds of links share memory
  int rc = pcap_activate(p);
  if (rc < 0) {
    r.permissionDenied = rc == PCAP_ERROR_PERM_DENIED;
    r.error = std::string(pcap_statustostr(rc)) + ": " + pcap_geterr(p);
    pcap_close(p);
    return;
  }
  if (!filter.set(p)) {
    r.error = std::string("BPF filter: ") + pcap_geterr(p);
    pcap_close(p);
    return;
  }
  if (pcap_setnonblock(p, 1, err) != 0 || (c.fd = pcap_get_selectable_fd(p)) < 0) {
    r.error = std::string("capture: no selectable descriptor: ") + err;
    pcap_close(p);
    return;
  }
  // Not inherited by what another probe starts meanwhile (vtysh, the fallback): libpcap
  // opens its socket without close-on-exec.
  fcntl(c.fd, F_SETFD, FD_CLOEXEC);
  c.pcap = p;
}

// A finished capture stays open until every link is done (closed together, below).
void finish(Capture& c, Clock::time_point now) {
  if (c.finished) return;
  c.finished = true;
  c.result->seconds = std::chrono::duration<double>(now - c.start).count();
}

// Sends the round that is due; ends the link when answered, out of time or over its frame cap.
void step(Capture& c, Clock::time_point now) {
  if (c.finished) return;
  const WireRequest& rq = *c.request;
  if (wireAnswered(rq, *c.result) || now >= c.end || c.read >= rq.maxFrames) return finish(c, now);
  if (now >= c.nextSend && c.rounds < rq.sends) {
    for (const auto& f : wireRound(rq, *c.result)) {
      if (pcap_inject(c.pcap, f.data(), f.size()) > 0) ++c.result->framesSent;
      else c.result->sendError = pcap_geterr(c.pcap);  // the port down, a frame over its MTU
    }
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
    SharedFilter filter;
    for (size_t i = 0; i < requests.size(); ++i) caps[i].request = &requests[i], caps[i].result = &results[i];
    // Whatever leaves early (bad_alloc in the loop) closes the captures on its way out.
    struct CloseOnUnwind {
      std::vector<Capture>& caps;
      ~CloseOnUnwind() {
        for (Capture& c : caps)
          if (c.pcap) pcap_close(std::exchange(c.pcap, nullptr));
      }
    } guard{caps};
    for (Capture& c : caps) {
      openCapture(c, filter);
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
      for (size_t k = 0; k < fds.size(); ++k) {
        if (fds[k].revents & (POLLIN | POLLERR)) drain(*polled[k]);
        // Not readable yet never quiet again: ends this link's wait (poll would return at once
        // until the deadline).
        else if (fds[k].revents & (POLLHUP | POLLNVAL))
          polled[k]->result->error = "capture: the packet socket hung up (did the port go away?)";
      }
    }
    closeLater(caps);
    return results;
  }

  ~PcapWireProbe() override {
    if (closer_.joinable()) closer_.join();
  }

 private:
  // Closing a capture waits for the kernel (an RCU grace period per packet socket, ~0.15 ms):
  // done on a thread of its own while the next probes run; the next probeAll or the
  // destructor waits for it.
  void closeLater(std::vector<Capture>& caps) {
    if (closer_.joinable()) closer_.join();
    std::vector<pcap_t*> open;
    open.reserve(caps.size());  // may throw: then the caller's guard closes them, none is lost
    for (Capture& c : caps)
      if (c.pcap) open.push_back(std::exchange(c.pcap, nullptr));
    auto closeAll = [](std::vector<pcap_t*> handles) {
      for (pcap_t* p : handles) pcap_close(p);
    };
    try {
      closer_ = std::thread(closeAll, open);  // a copy: a thread that cannot start leaves `open` whole
    } catch (const std::system_error&) {     // no thread to be had: close them here
      closeAll(std::move(open));
    }
  }

  std::thread closer_;
};

}  // namespace

std::unique_ptr<WireProbe> makePcapWireProbe() { return std::make_unique<PcapWireProbe>(); }

}  // namespace linkready::vlan
