#include "probes/optics/module_memory.h"

#include <cctype>
#include <algorithm>
#include <cstdio>
#include <tuple>

namespace linkready::optics {

std::string HalfPage::name() const {
  char buf[48];
  if (i2c == kA2) {
    std::snprintf(buf, sizeof buf, "A2h %s", upper ? "upper" : "lower");
  } else if (!upper) {
    std::snprintf(buf, sizeof buf, "lower page");
  } else if (bank) {
    std::snprintf(buf, sizeof buf, "bank %u page %02Xh", bank, page);
  } else {
    std::snprintf(buf, sizeof buf, "page %02Xh", page);
  }
  return buf;
}

void ModuleMemory::patch(uint8_t i2c, uint8_t bank, uint8_t page, uint8_t offset, const std::vector<uint8_t>& data) {
  for (size_t i = 0; i < data.size(); ++i) {
    int off = offset + int(i);
    if (off > 255) break;
    HalfPage h = off < 128 ? lowerHalf(i2c) : upperPage(page, bank, i2c);
    auto it = pages_.find(h);
    if (it == pages_.end()) it = pages_.emplace(h, Bytes{}).first;
    it->second[off % 128] = data[i];
  }
}

const ModuleMemory::Bytes* ModuleMemory::half(const HalfPage& h) const {
  HalfPage key = h.upper ? h : lowerHalf(h.i2c);
  auto it = pages_.find(key);
  return it == pages_.end() ? nullptr : &it->second;
}

std::optional<uint8_t> ModuleMemory::byte(uint8_t i2c, uint8_t page, int offset, uint8_t bank) const {
  if (offset < 0 || offset > 255) return std::nullopt;
  const Bytes* b = half(offset < 128 ? lowerHalf(i2c) : upperPage(page, bank, i2c));
  if (!b) return std::nullopt;
  return (*b)[offset % 128];
}

std::optional<uint16_t> ModuleMemory::be16(uint8_t i2c, uint8_t page, int offset, uint8_t bank) const {
  auto hi = byte(i2c, page, offset, bank);
  auto lo = byte(i2c, page, offset + 1, bank);
  if (!hi || !lo) return std::nullopt;
  return uint16_t(*hi << 8 | *lo);
}

namespace {

// `ethtool -m hex on`: "0x0000:\t\t03 04 07 ..." lines. Anything else is not hex.
std::optional<std::vector<uint8_t>> parseHexText(std::string_view text) {
  std::vector<uint8_t> out;
  bool any = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    size_t colon = line.find(':');
    if (line.rfind("0x", 0) != 0 || colon == std::string_view::npos) continue;
    any = true;
    std::string_view rest = line.substr(colon + 1);
    size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && std::isspace(static_cast<unsigned char>(rest[i]))) ++i;
      if (i >= rest.size()) break;
      if (i + 1 >= rest.size() || !std::isxdigit(static_cast<unsigned char>(rest[i])) ||
          !std::isxdigit(static_cast<unsigned char>(rest[i + 1])))
        return std::nullopt;
      out.push_back(uint8_t(std::stoi(std::string(rest.substr(i, 2)), nullptr, 16)));
      i += 2;
    }
  }
  if (!any) return std::nullopt;
  return out;
}

// Page-tagged hex text, one line per 16 bytes: "PAGE 11 BANK 0 OFFSET 80: 44 44 ...".
// Page 00 offsets 00-70 are the lower page; PAGE A0/A2 (offsets 00-f0) are the two
// SFF-8472 addresses when there is no PAGE 00. A half page with a byte shown as "??" (not
// captured) is left out. nullopt: not this form; an error names the line.
std::optional<tl::expected<ModuleMemory, std::string>> parsePagedText(std::string_view text) {
  struct Half {
    ModuleMemory::Bytes bytes{};
    std::vector<bool> seen = std::vector<bool>(128, false);
    bool unknown = false;
  };
  std::map<std::tuple<std::string, int, bool>, Half> halves;  // (page token, bank, upper)
  bool any = false;
  int lineNo = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineNo;
    if (line.rfind("PAGE ", 0) != 0) continue;
    char page[4] = {}, offset[4] = {};
    int bank = 0, used = 0;
    if (std::sscanf(line.c_str(), "PAGE %2s BANK %d OFFSET %2s:%n", page, &bank, offset, &used) != 3 || used == 0 ||
        bank < 0 || bank > 3 || !std::isxdigit(static_cast<unsigned char>(offset[0])))
      return tl::unexpected("line " + std::to_string(lineNo) + ": expected 'PAGE pp BANK b OFFSET oo: 16 bytes'");
    for (const char* c = page; *c; ++c)
      if (!std::isxdigit(static_cast<unsigned char>(*c)))
        return tl::unexpected("line " + std::to_string(lineNo) + ": page '" + std::string(page) + "' is not hex");
    int off = std::stoi(offset, nullptr, 16);
    if (off % 16) return tl::unexpected("line " + std::to_string(lineNo) + ": offset is not a multiple of 16");
    Half& h = halves[{page, bank, off >= 128}];
    std::string rest = line.substr(size_t(used));
    size_t i = 0;
    for (int n = 0; n < 16; ++n) {
      while (i < rest.size() && rest[i] == ' ') ++i;
      if (i + 2 > rest.size()) return tl::unexpected("line " + std::to_string(lineNo) + ": fewer than 16 bytes");
      std::string b = rest.substr(i, 2);
      i += 2;
      if (b == "??") {
        h.unknown = true;
        continue;
      }
      if (!std::isxdigit(static_cast<unsigned char>(b[0])) || !std::isxdigit(static_cast<unsigned char>(b[1])))
        return tl::unexpected("line " + std::to_string(lineNo) + ": '" + b + "' is not a hex byte");
      h.bytes[size_t((off + n) % 128)] = uint8_t(std::stoi(b, nullptr, 16));
      h.seen[size_t((off + n) % 128)] = true;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  bool sfp = !halves.count({"00", 0, false}) && halves.count({"A0", 0, false});
  ModuleMemory m;
  for (const auto& [key, h] : halves) {
    const auto& [pageText, bank, upper] = key;
    if (h.unknown || std::find(h.seen.begin(), h.seen.end(), false) != h.seen.end()) continue;
    uint8_t i2c = kA0, page = uint8_t(std::stoi(pageText, nullptr, 16));
    if (sfp) {
      if (pageText != "A0" && pageText != "A2") continue;
      i2c = pageText == "A0" ? kA0 : kA2;
      page = 0;
    }
    if (!upper && page != 0) continue;  // the lower half is page 00's
    m.set(upper ? upperPage(page, uint8_t(bank), i2c) : lowerHalf(i2c), h.bytes);
  }
  if (!m.has(lowerHalf())) return tl::unexpected(std::string("the page-tagged dump has no complete lower page"));
  return m;
}

ModuleMemory::Bytes slice(const std::vector<uint8_t>& b, size_t offset) {
  ModuleMemory::Bytes out{};
  for (size_t i = 0; i < 128 && offset + i < b.size(); ++i) out[i] = b[offset + i];
  return out;
}

bool isSfp(uint8_t identifier) { return identifier == 0x02 || identifier == 0x03; }

}  // namespace

tl::expected<std::vector<uint8_t>, std::string> parsePageList(std::string_view text) {
  std::vector<uint8_t> pages;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (item.empty() || item.size() > 2 || item.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return tl::unexpected("'" + item + "' is not a page number in hex (like 00,01,02,10,11)");
    pages.push_back(uint8_t(std::stoi(item, nullptr, 16)));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (pages.empty() || pages[0] != 0) return tl::unexpected(std::string("the page list starts with 00 (the upper page 00h after the lower page)"));
  return pages;
}

tl::expected<ModuleMemory, std::string> parseDump(std::string_view content, const std::vector<uint8_t>& pages) {
  if (auto paged = parsePagedText(content)) return *paged;
  std::vector<uint8_t> bytes;
  if (auto hex = parseHexText(content)) bytes = std::move(*hex);
  else bytes.assign(content.begin(), content.end());
  if (bytes.size() < 128) return tl::unexpected("a dump has at least 128 bytes; this one has " + std::to_string(bytes.size()));

  ModuleMemory m;
  m.set(lowerHalf(), slice(bytes, 0));
  if (!pages.empty()) {
    if (bytes.size() != 128 * (1 + pages.size()))
      return tl::unexpected("--pages names " + std::to_string(pages.size()) + " upper pages: expected " +
                            std::to_string(128 * (1 + pages.size())) + " bytes, the dump has " +
                            std::to_string(bytes.size()));
    for (size_t i = 0; i < pages.size(); ++i) m.set(upperPage(pages[i]), slice(bytes, 128 * (i + 1)));
    return m;
  }
  uint8_t identifier = bytes[0];
  switch (bytes.size()) {
    case 256:  // SFF-8079 (A0h only), or lower + upper 00h of a QSFP/CMIS module
      m.set(upperPage(0), slice(bytes, 128));
      break;
    case 512:  // SFF-8472: A0h then A2h
      if (!isSfp(identifier))
        return tl::unexpected(std::string("a 512-byte dump is SFF-8472 (A0h + A2h) but the identifier is not an SFP"));
      m.set(upperPage(0), slice(bytes, 128));
      m.set(lowerHalf(kA2), slice(bytes, 256));
      m.set(upperPage(0, 0, kA2), slice(bytes, 384));
      break;
    case 640:  // SFF-8636 (or CMIS over the legacy ioctl): lower, upper 00h-03h
      for (uint8_t p = 0; p < 4; ++p) m.set(upperPage(p), slice(bytes, 128 * (p + 1)));
      break;
    default:
      return tl::unexpected("cannot tell the layout of a " + std::to_string(bytes.size()) +
                            "-byte dump (ethtool writes 256, 512 or 640): name its pages with --pages");
  }
  return m;
}

std::vector<uint8_t> serializeDump(const ModuleMemory& memory, std::string& pageList) {
  std::vector<uint8_t> out;
  pageList.clear();
  const auto* lower = memory.half(lowerHalf());
  if (lower && isSfp((*lower)[0])) {
    // SFF-8472: the 512-byte layout of `ethtool -m raw on` (A0h, then A2h).
    for (const HalfPage& h : {lowerHalf(kA0), upperPage(0, 0, kA0), lowerHalf(kA2), upperPage(0, 0, kA2)}) {
      const auto* b = memory.half(h);
      ModuleMemory::Bytes zero{};
      out.insert(out.end(), (b ? *b : zero).begin(), (b ? *b : zero).end());
    }
    return out;
  }
  if (lower) out.insert(out.end(), lower->begin(), lower->end());
  for (const auto& [h, bytes] : memory.pages()) {
    if (h.i2c != kA0 || !h.upper || h.bank != 0) continue;
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", h.page);
    pageList += (pageList.empty() ? "" : ",") + std::string(buf);
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

}  // namespace linkready::optics
