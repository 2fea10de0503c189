// The I/O interface behind the optics probe: reads of a module's EEPROM, as the kernel
// allows them (one half page at most: offset < 128 on page 0 only, or 128..255 of page
// N, bank B). Linux: ethtool netlink, with the legacy ioctl as fallback
// (eeprom_io_linux.cpp). Tests serve page maps from real dumps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace linkready::optics {

struct EepromRead {
  uint8_t i2c = 0x50;
  uint8_t bank = 0;
  uint8_t page = 0;
  uint8_t offset = 0;   // 0-255 in the 256-byte view of the page
  uint8_t length = 0;   // 1-128, never crossing 128
  bool operator==(const EepromRead&) const = default;
};

struct EepromError {
  int errnum = 0;        // EOPNOTSUPP: the driver cannot read modules; EPERM: no CAP_NET_ADMIN; ...
  std::string message;   // strerror, plus what was asked
};

class EepromIo {
 public:
  virtual ~EepromIo() = default;
  virtual tl::expected<std::vector<uint8_t>, EepromError> read(const std::string& ifname, const EepromRead& request) = 0;
};

std::unique_ptr<EepromIo> makeLinuxEepromIo();

}  // namespace linkready::optics
