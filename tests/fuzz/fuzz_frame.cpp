// libFuzzer target: the frame decoder reads whatever the wire brings.
#include <cstddef>
#include <cstdint>

#include "probes/vlan/frame.h"
#include "probes/vlan/wire_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace linkready::vlan;
  if (auto f = decodeFrame(data, size)) {
    WireRequest rq;
    rq.gateway4 = linkready::IpAddress::parse("10.0.0.1");
    rq.gateway6 = linkready::IpAddress::parse("2001:db8::1");
    WireResult r;
    accountFrame(rq, *f, r);
    (void)stackText(f->tags);
  }
  return 0;
}
