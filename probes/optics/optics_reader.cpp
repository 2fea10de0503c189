#include "probes/optics/optics_reader.h"

#include <cerrno>
#include <cstring>

namespace linkready::optics {

namespace {

EepromRead lowerRead(uint8_t i2c, uint8_t offset, uint8_t length) { return {i2c, 0, 0, offset, length}; }
EepromRead upperRead(uint8_t page, uint8_t offset, uint8_t length, uint8_t bank = 0) {
  return {0x50, bank, page, offset, length};
}

// The two checksum bytes whose sums cover the identifier and the serial number
// (SFF-8472 CC_BASE/CC_EXT at A0h 63/95; SFF-8636 page 00h 191/223; CMIS page 00h 222 and
// the identifier). A swapped module changes them: that is the cheap re-read.
std::pair<EepromRead, EepromRead> identityReads(Standard s) {
  switch (s) {
    case Standard::Sff8472: return {lowerRead(0x50, 63, 1), lowerRead(0x50, 95, 1)};
    case Standard::Sff8636: return {upperRead(0, 191, 1), upperRead(0, 223, 1)};
    default: return {lowerRead(0x50, 0, 1), upperRead(0, 222, 1)};
  }
}

}  // namespace

tl::expected<std::vector<uint8_t>, EepromError> OpticsReader::get(const std::string& ifname, const EepromRead& r,
                                                                  size_t& count) {
  count += r.length;
  total_ += r.length;
  return io_.read(ifname, r);
}

bool OpticsReader::readInto(const std::string& ifname, ModuleMemory& m, const EepromRead& r, size_t& count) {
  auto bytes = get(ifname, r, count);
  if (!bytes) {
    HalfPage h = r.offset < 128 ? lowerHalf(r.i2c) : upperPage(r.page, r.bank, r.i2c);
    m.setUnavailable(h, bytes.error().message);
    return false;
  }
  m.patch(r.i2c, r.bank, r.page, r.offset, *bytes);
  return true;
}

OpticsRead OpticsReader::full(const std::string& ifname, bool everything) {
  OpticsRead out;
  out.fullRead = true;
  ModuleMemory& m = out.memory;
  auto lower = get(ifname, lowerRead(0x50, 0, 128), out.bytesRequested);
  if (!lower) {
    out.facts.readError = lower.error().message;
    out.facts.readErrno = lower.error().errnum;
    cache_.erase(ifname);
    return out;
  }
  m.patch(0x50, 0, 0, 0, *lower);
  Standard s = standardOf((*lower)[0]);
  if (s == Standard::Sff8472) {
    readInto(ifname, m, upperRead(0, 128, 128), out.bytesRequested);  // A0h 128-255
    bool dom = m.byte(0x50, 0, 92).value_or(0) & 0x40;
    if (dom) readInto(ifname, m, lowerRead(0x51, 0, 128), out.bytesRequested);
    if (dom && everything) readInto(ifname, m, {0x51, 0, 0, 128, 128}, out.bytesRequested);
  } else if (s == Standard::Sff8636) {
    readInto(ifname, m, upperRead(0, 128, 128), out.bytesRequested);
    bool flat = (*lower)[2] & 0x04;
    if (!flat) {
      if (everything) {
        readInto(ifname, m, upperRead(1, 128, 128), out.bytesRequested);
        readInto(ifname, m, upperRead(2, 128, 128), out.bytesRequested);
      }
      readInto(ifname, m, upperRead(3, 128, 128), out.bytesRequested);
    }
  } else if (s == Standard::Cmis) {
    readInto(ifname, m, upperRead(0, 128, 128), out.bytesRequested);
    bool flat = (*lower)[2] & 0x80;
    if (!flat) {
      for (uint8_t p : {0x01, 0x02, 0x11}) readInto(ifname, m, upperRead(p, 128, 128), out.bytesRequested);
      // Banks beyond 0 only when the module has them (page 01h byte 142 bits 1:0).
      uint8_t banks = m.byte(0x50, 1, 142).value_or(0) & 0x03;
      for (uint8_t bank = 1; banks && bank < (banks == 1 ? 2 : 4); ++bank)
        readInto(ifname, m, upperRead(0x11, 128, 128, bank), out.bytesRequested);
      if (everything) readInto(ifname, m, upperRead(0x10, 128, 128), out.bytesRequested);
    }
  }
  out.facts = decodeModule(m);
  if (out.facts.corrupt.empty() && out.facts.readError.empty()) {
    auto [a, b] = identityReads(s);
    Cached c;
    c.memory = m;
    c.identityA = m.byte(a.i2c, a.page, a.offset).value_or(0);
    c.identityB = m.byte(b.i2c, b.page, b.offset).value_or(0);
    cache_[ifname] = std::move(c);
  } else {
    cache_.erase(ifname);  // never cache what we do not believe
  }
  return out;
}

OpticsRead OpticsReader::readAll(const std::string& ifname) { return full(ifname, true); }

OpticsRead OpticsReader::poll(const std::string& ifname) {
  auto it = cache_.find(ifname);
  if (it == cache_.end()) return full(ifname, false);
  Cached& c = it->second;
  OpticsRead out;
  Standard s = standardOf(c.memory.byte(0x50, 0, 0).value_or(0));
  auto [a, b] = identityReads(s);
  auto ia = get(ifname, a, out.bytesRequested);
  auto ib = get(ifname, b, out.bytesRequested);
  if (!ia || !ib || (*ia)[0] != c.identityA || (*ib)[0] != c.identityB) {
    // Another module, or none: start over (a failed read reports its error there).
    cache_.erase(it);
    OpticsRead again = full(ifname, false);
    again.bytesRequested += out.bytesRequested;
    return again;
  }
  ModuleMemory m = c.memory;
  bool ok = true;
  if (s == Standard::Sff8472) {
    if (m.byte(0x50, 0, 92).value_or(0) & 0x40) {
      ok &= readInto(ifname, m, lowerRead(0x51, 96, 10), out.bytesRequested);   // live values
      ok &= readInto(ifname, m, lowerRead(0x51, 112, 2), out.bytesRequested);   // alarm flags
      ok &= readInto(ifname, m, lowerRead(0x51, 116, 2), out.bytesRequested);   // warning flags
    }
  } else if (s == Standard::Sff8636) {
    ok &= readInto(ifname, m, lowerRead(0x50, 3, 12), out.bytesRequested);   // LOS, fault, flags 3-14
    ok &= readInto(ifname, m, lowerRead(0x50, 22, 2), out.bytesRequested);   // temperature
    ok &= readInto(ifname, m, lowerRead(0x50, 26, 2), out.bytesRequested);   // Vcc
    ok &= readInto(ifname, m, lowerRead(0x50, 34, 24), out.bytesRequested);  // Rx power, bias, Tx power
  } else if (s == Standard::Cmis) {
    ok &= readInto(ifname, m, lowerRead(0x50, 9, 1), out.bytesRequested);    // module flags
    ok &= readInto(ifname, m, lowerRead(0x50, 14, 4), out.bytesRequested);   // temperature, Vcc
    ModuleFacts cachedFacts = decodeModule(c.memory);
    if (!cachedFacts.flatMemory && !cachedFacts.lanes.empty()) {
      // Only the media lanes of the active application, per bank.
      int lanes = int(cachedFacts.lanes.size());
      for (uint8_t bank = 0; bank * 8 < lanes; ++bank) {
        uint8_t n = uint8_t(std::min(8, lanes - bank * 8));
        ok &= readInto(ifname, m, upperRead(0x11, 139, 14, bank), out.bytesRequested);          // lane flags
        ok &= readInto(ifname, m, upperRead(0x11, 154, uint8_t(2 * n), bank), out.bytesRequested);  // Tx power
        ok &= readInto(ifname, m, upperRead(0x11, 170, uint8_t(2 * n), bank), out.bytesRequested);  // Tx bias
        ok &= readInto(ifname, m, upperRead(0x11, 186, uint8_t(2 * n), bank), out.bytesRequested);  // Rx power
      }
    }
  }
  if (!ok) {
    // A live read failed: the module may have gone. Never decode stale bytes as live.
    cache_.erase(it);
    OpticsRead again = full(ifname, false);
    again.bytesRequested += out.bytesRequested;
    return again;
  }
  out.facts = decodeModule(m);
  c.memory = m;
  out.memory = std::move(m);
  return out;
}

}  // namespace linkready::optics
