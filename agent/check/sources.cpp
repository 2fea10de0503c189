#include "agent/check/sources.h"

#include <chrono>

namespace linkready {

LinuxProbeSources::LinuxProbeSources(const config::Config& cfg, bool sampling)
    : link_(link::makeLinuxLinkSource()),
      eeprom_(optics::makeLinuxEepromIo()),
      opticsReader_(std::make_unique<optics::OpticsReader>(*eeprom_)),
      wire_(vlan::makePcapWireProbe()),
      pinger_(l3::makeRawSocketPinger(sampling)),
      frr_(bgp::makeFrrQuery({cfg.frr.socketDir(), std::chrono::milliseconds(cfg.frr.timeoutMs)})) {
  sources_.link = link_.get();
  sources_.optics = opticsReader_.get();
  sources_.wire = wire_.get();
  sources_.pinger = pinger_.get();
  sources_.frr = frr_.get();
}
LinuxProbeSources::~LinuxProbeSources() = default;

}  // namespace linkready
