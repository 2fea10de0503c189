// A transceiver's EEPROM as half pages of 128 bytes, the unit the kernel reads in
// (ethtool netlink: lower half of page 0, or the upper half of page N of bank B, at I2C
// address 0x50 or 0x51). Pure data; loading from and saving to dump files is here too.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace linkready::optics {

inline constexpr uint8_t kA0 = 0x50;  // 7-bit I2C addresses: A0h, A2h
inline constexpr uint8_t kA2 = 0x51;

struct HalfPage {
  uint8_t i2c = kA0;
  uint8_t bank = 0;
  uint8_t page = 0;
  bool upper = false;  // bytes 128-255 of `page`; the lower half (0-127) is the same for every page
  auto operator<=>(const HalfPage&) const = default;
  std::string name() const;  // "A0h lower", "page 11h", "A2h upper", "bank 1 page 11h"
};

inline HalfPage lowerHalf(uint8_t i2c = kA0) { return HalfPage{i2c, 0, 0, false}; }
inline HalfPage upperPage(uint8_t page, uint8_t bank = 0, uint8_t i2c = kA0) { return HalfPage{i2c, bank, page, true}; }

class ModuleMemory {
 public:
  using Bytes = std::array<uint8_t, 128>;

  void set(const HalfPage& h, const Bytes& bytes) { pages_[h] = bytes; unavailable_.erase(h); }
  void setUnavailable(const HalfPage& h, std::string why) { unavailable_[h] = std::move(why); }
  // A half page read but not believed (a checksum that fails): gone, with the reason.
  void drop(const HalfPage& h, std::string why) {
    pages_.erase(h);
    unavailable_[h] = std::move(why);
  }
  // Writes `data` at byte `offset` (0-255 in the 256-byte view of `page`).
  void patch(uint8_t i2c, uint8_t bank, uint8_t page, uint8_t offset, const std::vector<uint8_t>& data);

  const Bytes* half(const HalfPage& h) const;
  bool has(const HalfPage& h) const { return half(h) != nullptr; }
  // A byte in the 256-byte view of a page: offsets below 128 are the lower half.
  std::optional<uint8_t> byte(uint8_t i2c, uint8_t page, int offset, uint8_t bank = 0) const;
  std::optional<uint16_t> be16(uint8_t i2c, uint8_t page, int offset, uint8_t bank = 0) const;

  const std::map<HalfPage, Bytes>& pages() const { return pages_; }
  const std::map<HalfPage, std::string>& unavailable() const { return unavailable_; }

 private:
  std::map<HalfPage, Bytes> pages_;
  std::map<HalfPage, std::string> unavailable_;
};

// Saved dumps, in the forms the field has:
//  - raw bytes as `ethtool -m DEV raw on` writes them: 256 (A0h, or a QSFP/CMIS lower +
//    upper 00h), 512 (SFP A0h + A2h), 640 (SFF-8636 lower + upper 00h-03h);
//  - the text of `ethtool -m DEV hex on` (same layouts);
//  - a lower page followed by 128-byte upper pages named in `pages` (e.g. {0,1,2,0x10,0x11}),
//    in the order they appear in the file: the form linkready writes with --save;
//  - page-tagged hex text, "PAGE 11 BANK 0 OFFSET 80: 44 44 ..." per 16 bytes (any pages,
//    any banks; PAGE A0/A2 for the two SFF-8472 addresses): collections of module dumps.
// `pages` empty = detect the ethtool layout from the size and the identifier byte.
tl::expected<ModuleMemory, std::string> parseDump(std::string_view content, const std::vector<uint8_t>& pages);

// The --save form: lower page, then every upper page of bank 0 at 0x50 in page order.
// Returns the bytes and fills `pageList` ("00,01,02,11").
std::vector<uint8_t> serializeDump(const ModuleMemory& memory, std::string& pageList);

// "00,01,02,10,11" -> {0,1,2,0x10,0x11}
tl::expected<std::vector<uint8_t>, std::string> parsePageList(std::string_view text);

}  // namespace linkready::optics
