// A fake ethtool reader for tests: serves the half pages of a real dump the way the
// kernel does (same request limits), can fail a page with an errno, and counts requests.
#pragma once

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "probes/optics/eeprom_io.h"
#include "probes/optics/module_memory.h"

namespace linkready::test {

class FakeEeprom final : public optics::EepromIo {
 public:
  explicit FakeEeprom(optics::ModuleMemory m) : memory_(std::move(m)) {}

  tl::expected<std::vector<uint8_t>, optics::EepromError> read(const std::string& ifname,
                                                               const optics::EepromRead& r) override {
    ++requests;
    log.push_back(r);
    if (ifname != interface) return tl::unexpected(optics::EepromError{ENODEV, strerror(ENODEV)});
    if (failAll) return tl::unexpected(optics::EepromError{failAll, strerror(failAll)});
    // The kernel's rules (net/ethtool/eeprom.c): no crossing 128, page != 0 only above it.
    if (r.length == 0 || r.length > 128 || (r.offset < 128 && r.offset + r.length > 128) ||
        (r.page != 0 && r.offset < 128) || r.offset + r.length > 256)
      return tl::unexpected(optics::EepromError{EINVAL, "request breaks the kernel's limits"});
    optics::HalfPage h = r.offset < 128 ? optics::lowerHalf(r.i2c) : optics::upperPage(r.page, r.bank, r.i2c);
    if (auto f = failing.find(h); f != failing.end()) return tl::unexpected(optics::EepromError{f->second, strerror(f->second)});
    const auto* b = memory_.half(h);
    if (!b) return tl::unexpected(optics::EepromError{EINVAL, strerror(EINVAL)});
    std::vector<uint8_t> out;
    for (int i = 0; i < r.length; ++i) out.push_back((*b)[(r.offset + i) % 128]);
    return out;
  }

  void replace(optics::ModuleMemory m) { memory_ = std::move(m); }
  // The module's live bytes change (a flag latches, a data path is switched off).
  void patch(uint8_t i2c, uint8_t bank, uint8_t page, uint8_t offset, const std::vector<uint8_t>& data) {
    memory_.patch(i2c, bank, page, offset, data);
  }
  // Whether byte `offset` of (i2c, bank, page) was asked for by a request in `log`.
  bool asked(uint8_t i2c, uint8_t bank, uint8_t page, int offset) const {
    for (const auto& r : log)
      if (r.i2c == i2c && (offset < 128 || (r.page == page && r.bank == bank)) && offset >= r.offset &&
          offset < r.offset + r.length)
        return true;
    return false;
  }

  std::string interface = "eth1";
  std::map<optics::HalfPage, int> failing;  // half page -> errno
  int failAll = 0;
  int requests = 0;
  std::vector<optics::EepromRead> log;  // every request, in order

 private:
  optics::ModuleMemory memory_;
};

}  // namespace linkready::test
