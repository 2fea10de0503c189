// Reads a module the way a slow I2C bus wants: the static pages (identity, thresholds)
// once per module, then per poll only the live monitor bytes and flags, patched into the
// cached image and decoded as a whole. Counts every byte it asks for.
#pragma once

#include <map>
#include <string>

#include "probes/optics/decode.h"
#include "probes/optics/eeprom_io.h"
#include "probes/optics/module_memory.h"

namespace linkready::optics {

struct OpticsRead {
  ModuleMemory memory;
  ModuleFacts facts;
  size_t bytesRequested = 0;  // by this read
  bool fullRead = false;      // static pages were (re)read
};

// The steady-state poll: the live rows of the standard's memory map (memory_map.h)
// whose half page is in `image`, per-lane rows only for the lanes `facts` has in use, rows
// that touch merged into one request.
std::vector<EepromRead> liveReads(const ModuleMemory& image, const ModuleFacts& facts);

class OpticsReader {
 public:
  explicit OpticsReader(EepromIo& io) : io_(io) {}

  // The steady-state read: full on a new or changed module, live bytes otherwise.
  OpticsRead poll(const std::string& ifname);
  // Every page the module has that linkready decodes or saves (for `optics IFACE`, --save).
  OpticsRead readAll(const std::string& ifname);

  size_t totalBytesRequested() const { return total_; }

 private:
  struct Cached {
    ModuleMemory memory;
    ModuleFacts facts;  // the decode of `memory`
    uint8_t identityA = 0, identityB = 0;  // the checksum bytes that cover identifier and serial number
  };

  tl::expected<std::vector<uint8_t>, EepromError> get(const std::string& ifname, const EepromRead& r, size_t& count);
  OpticsRead full(const std::string& ifname, bool everything);
  bool readInto(const std::string& ifname, ModuleMemory& m, const EepromRead& r, size_t& count);

  EepromIo& io_;
  std::map<std::string, Cached> cache_;
  size_t total_ = 0;
};

}  // namespace linkready::optics
