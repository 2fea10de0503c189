// The link source's interface table against the real kernel, in a namespace of its own:
// after the first read it follows rtnetlink's link events and reads only the counters
// (RTM_GETSTATS) each time, so each change must show in the next read as a full dump would
// show it: carrier and carrier changes, MTU, a new interface, a deleted one, a port that
// joins and leaves a bridge, and counters that rise with traffic.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "probes/link/link_source.h"

using linkready::link::InterfaceFacts;
using linkready::link::LinkSource;

namespace {

const std::string kNs = "lrlinktable", kFar = "lrlinktable-far";

// This thread in namespace `name` until the end of the scope (also when a REQUIRE throws):
// netlink sockets belong to the namespace of the thread that opens them.
class InNamespace {
 public:
  explicit InNamespace(const std::string& name) {
    home_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
    entered_ = home_ >= 0 && fd >= 0 && setns(fd, CLONE_NEWNET) == 0;
    if (fd >= 0) close(fd);
  }
  ~InNamespace() {
    if (entered_) setns(home_, CLONE_NEWNET);
    if (home_ >= 0) close(home_);
  }
  bool entered() const { return entered_; }

 private:
  int home_ = -1;
  bool entered_ = false;
};

int sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

std::optional<InterfaceFacts> find(LinkSource& src, const std::string& name) {
  auto all = src.counters();
  REQUIRE(all);
  for (const InterfaceFacts& f : *all)
    if (f.name == name) return f;
  return std::nullopt;
}

// Reads until `ok` holds, at most 3 s (a carrier that comes up is announced by the kernel's
// linkwatch, up to a second late).
bool until(LinkSource& src, const std::string& name, const std::function<bool(const std::optional<InterfaceFacts>&)>& ok) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < end) {
    if (ok(find(src, name))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE("link source: after the first dump, link events and the counters alone keep every interface as a dump "
          "would show it",
          "[netns][link]") {
  sh("ip netns del " + kNs);
  sh("ip netns del " + kFar);
  REQUIRE(sh("ip netns add " + kNs) == 0);
  REQUIRE(sh("ip netns add " + kFar) == 0);
  std::string in = "ip -n " + kNs + " ", far = "ip -n " + kFar + " ";
  REQUIRE(sh(in + "link add ls0 type veth peer name ls1 netns " + kFar) == 0);
  REQUIRE(sh(in + "addr add 10.1.1.1/30 dev ls0") == 0);
  REQUIRE(sh(far + "addr add 10.1.1.2/30 dev ls1") == 0);
  REQUIRE(sh(in + "link set ls0 up") == 0);
  REQUIRE(sh(far + "link set ls1 up") == 0);

  {
    InNamespace inside(kNs);
    REQUIRE(inside.entered());
    auto src = linkready::link::makeLinuxLinkSource();
    REQUIRE(until(*src, "ls0", [](auto& f) { return f && f->carrier; }));
    auto before = find(*src, "ls0");

    // The far side goes down: carrier lost, one more carrier change.
    REQUIRE(sh(far + "link set ls1 down") == 0);
    CHECK(until(*src, "ls0", [&](auto& f) { return f && !f->carrier && f->carrierChanges > before->carrierChanges; }));
    REQUIRE(sh(far + "link set ls1 up") == 0);
    CHECK(until(*src, "ls0", [&](auto& f) { return f && f->carrier && f->carrierChanges >= before->carrierChanges + 2; }));

    // Counters rise with traffic (from RTM_GETSTATS, not from an event).
    auto quiet = find(*src, "ls0");
    REQUIRE(sh("ping -c 5 -i 0.05 -W 1 -I ls0 10.1.1.2") == 0);
    auto busy = find(*src, "ls0");
    REQUIRE(busy);
    CHECK(busy->txPackets >= quiet->txPackets + 5);
    CHECK(busy->rxPackets >= quiet->rxPackets + 5);

    // MTU, a new pair, a deleted one.
    REQUIRE(sh(in + "link set ls0 mtu 1400") == 0);
    CHECK(until(*src, "ls0", [](auto& f) { return f && f->mtu == 1400; }));
    REQUIRE(sh(in + "link add ls2 type veth peer name ls3") == 0);
    CHECK(until(*src, "ls2", [](auto& f) { return f.has_value(); }));
    REQUIRE(sh(in + "link del ls2") == 0);
    CHECK(until(*src, "ls2", [](auto& f) { return !f.has_value(); }));
    CHECK(until(*src, "ls3", [](auto& f) { return !f.has_value(); }));

    // Into a bridge and out of it: the bridge's own port messages (AF_BRIDGE, carrying no
    // kind and no carrier count) are not the interface's.
    REQUIRE(sh(in + "link add lsbr type bridge") == 0);
    REQUIRE(sh(in + "link set lsbr up") == 0);  // its ports' forwarding states are announced too
    auto unbridged = find(*src, "ls0");
    REQUIRE(sh(in + "link set ls0 master lsbr") == 0);
    REQUIRE(sh(in + "link set ls0 nomaster") == 0);
    REQUIRE(sh(in + "link set ls0 master lsbr") == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto bridged = find(*src, "ls0");
    REQUIRE(bridged);
    CHECK(bridged->kind == "veth");
    CHECK(bridged->carrierChanges == unbridged->carrierChanges);
    REQUIRE(sh(in + "link set ls0 nomaster") == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto left = find(*src, "ls0");
    REQUIRE(left);
    CHECK(left->kind == "veth");
    REQUIRE(sh(in + "link del lsbr") == 0);

    // What it keeps is what a fresh full dump says.
    auto kept = src->counters();
    auto fresh = linkready::link::makeLinuxLinkSource()->counters();
    REQUIRE(kept);
    REQUIRE(fresh);
    REQUIRE(kept->size() == fresh->size());
    for (const InterfaceFacts& f : *fresh) {
      bool same = false;
      for (const InterfaceFacts& k : *kept)
        if (k.ifindex == f.ifindex)
          same = k.name == f.name && k.kind == f.kind && k.carrier == f.carrier && k.adminUp == f.adminUp && k.mtu == f.mtu &&
                 k.mac == f.mac && k.carrierChanges == f.carrierChanges && k.operState == f.operState &&
                 k.rxErrors == f.rxErrors && k.txPackets == f.txPackets;
      INFO(f.name);
      CHECK(same);
    }
  }
  sh("ip netns del " + kNs);
  sh("ip netns del " + kFar);
}
