#include "probes/optics/optics_reader.h"

#include <cerrno>
#include <cstring>
#include <tuple>
#include <algorithm>

#include "probes/optics/memory_map.h"

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

std::vector<EepromRead> liveReads(const ModuleMemory& image, const ModuleFacts& facts) {
  std::map<int, std::pair<int, int>> lanes;  // bank -> first and last lane (1-8) in use
  for (const Lane& l : facts.lanes) {
    int bank = (l.number - 1) / 8, in = (l.number - 1) % 8 + 1;
    auto [it, fresh] = lanes.emplace(bank, std::pair{in, in});
    if (!fresh) it->second = {std::min(it->second.first, in), std::max(it->second.second, in)};
  }
  std::vector<EepromRead> reads;
  for (const Field& f : memoryMap(facts.standard)) {
    if (f.freshness != Freshness::Live) continue;
    for (uint8_t bank = 0; bank < (f.banked ? 4 : 1); ++bank) {
      uint8_t page = f.offset < 128 ? 0 : f.page;
      if (!image.has(f.offset < 128 ? lowerHalf(f.i2c) : upperPage(page, bank, f.i2c))) continue;
      EepromRead r{f.i2c, bank, page, f.offset, f.length};
      if (f.perLane) {  // only the lanes in use
        auto it = lanes.find(bank);
        if (it == lanes.end()) continue;
        r.offset = uint8_t(f.offset + (it->second.first - 1) * f.perLane);
        r.length = uint8_t((it->second.second - it->second.first + 1) * f.perLane);
      }
      reads.push_back(r);
    }
  }
  // One request for rows that touch in the same half page.
  std::sort(reads.begin(), reads.end(), [](const EepromRead& a, const EepromRead& b) {
    return std::tie(a.i2c, a.bank, a.page, a.offset) < std::tie(b.i2c, b.bank, b.page, b.offset);
  });
  std::vector<EepromRead> merged;
  for (const EepromRead& r : reads) {
    if (!merged.empty()) {
      EepromRead& last = merged.back();
      bool sameHalf = last.i2c == r.i2c && last.bank == r.bank && last.page == r.page && (last.offset < 128) == (r.offset < 128);
      if (sameHalf && r.offset <= last.offset + last.length) {
        last.length = uint8_t(std::max(last.offset + last.length, r.offset + r.length) - last.offset);
        continue;
      }
    }
    merged.push_back(r);
  }
  return merged;
}

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
    c.facts = out.facts;
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
  // The live rows of the memory map, for the lanes the cached decode has in use; if the
  // fresh bytes put other lanes in use (the host reconfigured a data path), their
  // monitors are read too before anything is decoded.
  std::vector<EepromRead> done = liveReads(c.memory, c.facts);
  bool ok = true;
  for (const EepromRead& r : done) ok = ok && readInto(ifname, m, r, out.bytesRequested);
  if (ok) {
    for (const EepromRead& r : liveReads(m, decodeModule(m)))
      if (std::find(done.begin(), done.end(), r) == done.end()) ok = ok && readInto(ifname, m, r, out.bytesRequested);
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
  c.facts = out.facts;
  out.memory = std::move(m);
  return out;
}

}  // namespace linkready::optics
