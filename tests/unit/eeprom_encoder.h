// A small encoder of module EEPROM pages for what no real dump covers (external
// calibration, CMIS banks and bias multipliers, odd temperatures), with the checksums a
// real module would carry.
#pragma once

#include <cstring>
#include <string>

#include "probes/optics/decode.h"
#include "probes/optics/module_memory.h"

namespace linkready::test {

using optics::ModuleMemory;

inline void put16(ModuleMemory::Bytes& b, int off, uint16_t v) {
  b[off % 128] = uint8_t(v >> 8);
  b[(off + 1) % 128] = uint8_t(v);
}
inline void putFloat(ModuleMemory::Bytes& b, int off, float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  for (int i = 0; i < 4; ++i) b[(off + i) % 128] = uint8_t(bits >> (24 - 8 * i));
}
inline void putText(ModuleMemory::Bytes& b, int off, int len, const std::string& s) {
  for (int i = 0; i < len; ++i) b[(off + i) % 128] = i < int(s.size()) ? uint8_t(s[i]) : ' ';
}
inline void sealChecksum(ModuleMemory::Bytes& b, int from, int to, int at) { b[at % 128] = optics::checksum(b, from, to); }

// SFF-8472 SFP with DOM. Live raw counts given; everything else plausible.
struct SfpSpec {
  bool external = false;
  uint16_t tempRaw = 0x1900, vccRaw = 33000, biasRaw = 15000, txRaw = 5000, rxRaw = 4000;
  uint8_t compliance10g = 0x20;  // byte 3: 10GBASE-LR
  uint16_t wavelength = 1310;
};

inline ModuleMemory::Bytes sfpA0(const SfpSpec& s) {
  ModuleMemory::Bytes a0{};
  a0[0] = 0x03;
  a0[1] = 0x04;
  a0[2] = 0x07;
  a0[3] = s.compliance10g;
  a0[12] = 103;
  a0[14] = 10;
  putText(a0, 20, 16, "LINKREADY TEST");
  putText(a0, 40, 16, "LR-TEST-1");
  putText(a0, 56, 4, "A");
  put16(a0, 60, s.wavelength);
  sealChecksum(a0, 0, 62, 63);
  putText(a0, 68, 16, "SN0001");
  putText(a0, 84, 8, "260101");
  a0[92] = s.external ? 0x58 : 0x68;  // DOM, external (bit 4) or internal (bit 5), average Rx
  a0[93] = 0x80;                      // alarm/warning flags implemented
  sealChecksum(a0, 64, 94, 95);
  return a0;
}

inline ModuleMemory sfpModule(const SfpSpec& s, const ModuleMemory::Bytes* a2Override = nullptr) {
  ModuleMemory m;
  m.set(optics::lowerHalf(optics::kA0), sfpA0(s));
  m.set(optics::upperPage(0, 0, optics::kA0), ModuleMemory::Bytes{});
  ModuleMemory::Bytes a2{};
  if (a2Override) {
    a2 = *a2Override;
  } else {
    put16(a2, 96, s.tempRaw);
    put16(a2, 98, s.vccRaw);
    put16(a2, 100, s.biasRaw);
    put16(a2, 102, s.txRaw);
    put16(a2, 104, s.rxRaw);
  }
  sealChecksum(a2, 0, 94, 95);
  m.set(optics::lowerHalf(optics::kA2), a2);
  return m;
}

// CMIS QSFP-DD: `lanes` media lanes in the active application, banks 0..bankCount-1.
struct CmisSpec {
  int mediaLanes = 8;
  int biasMultiplierCode = 0;  // page 01h byte 160 bits 4:3: 0 x1, 1 x2, 2 x4
  uint8_t banksCode = 0;       // page 01h byte 142 bits 1:0
  uint16_t biasRaw = 5000;     // per lane
  uint16_t rxRaw = 8000;
  uint16_t txRaw = 9000;
  int16_t tempRaw = 30 * 256;
  bool flat = false;
  uint8_t moduleState = 3;  // ModuleReady (lower byte 3 bits 3-1)
  uint8_t dpState = 4;      // DPActivated, every host lane (page 11h 128-131)
};

inline ModuleMemory cmisModule(const CmisSpec& s) {
  ModuleMemory m;
  ModuleMemory::Bytes lower{}, p0{}, p1{}, p2{};
  lower[0] = 0x18;                 // QSFP-DD
  lower[1] = 0x50;                 // CMIS 5.0
  lower[2] = s.flat ? 0x80 : 0x00;
  lower[3] = uint8_t(s.moduleState << 1);
  put16(lower, 14, uint16_t(s.tempRaw));
  put16(lower, 16, 33000);
  lower[85] = 0x02;                // single-mode media
  // Application 1: 400GAUI-8 host (11h), 400G-LR4-10 media (1Eh): 8 host lanes, `mediaLanes` media lanes.
  lower[86] = 0x11, lower[87] = 0x1e, lower[88] = uint8_t(0x80 | s.mediaLanes), lower[89] = 0x01;
  lower[90] = 0xff;                // end of the application list
  p0[0] = 0x18;
  putText(p0, 129, 16, "LINKREADY CMIS");
  putText(p0, 148, 16, "DD-LR4-TEST");
  putText(p0, 166, 16, "CMIS0001");
  putText(p0, 182, 8, "260101");
  p0[203 - 128] = 0x07;            // LC
  sealChecksum(p0, 128, 221, 222);
  m.set(optics::lowerHalf(), lower);
  m.set(optics::upperPage(0), p0);
  if (s.flat) return m;
  put16(p1, 138, uint16_t(1310 / 0.05));
  p1[142 - 128] = s.banksCode;
  p1[151 - 128] = 0x10;  // Rx power measured as average power
  p1[160 - 128] = uint8_t(0x07 | (s.biasMultiplierCode << 3));  // bias, Tx, Rx monitors implemented
  p1[176 - 128] = 0x01;  // application 1's media lanes start at lane 1
  sealChecksum(p1, 130, 254, 255);  // CMIS page 01h: bytes 130-254
  m.set(optics::upperPage(1), p1);
  // Page 02h thresholds: temperature 80/-10 alarm, 75/-5 warning; bias (raw) 20000/1000, 18000/2000.
  put16(p2, 128, 80 * 256), put16(p2, 130, uint16_t(int16_t(-10 * 256))), put16(p2, 132, 75 * 256),
      put16(p2, 134, uint16_t(int16_t(-5 * 256)));
  put16(p2, 184, 20000), put16(p2, 186, 1000), put16(p2, 188, 18000), put16(p2, 190, 2000);
  put16(p2, 192, 50000), put16(p2, 194, 300), put16(p2, 196, 40000), put16(p2, 198, 500);  // Rx 5 mW..0.03 mW
  put16(p2, 176, 50000), put16(p2, 178, 1000), put16(p2, 180, 40000), put16(p2, 182, 1500);
  sealChecksum(p2, 128, 254, 255);  // CMIS page 02h: bytes 128-254
  m.set(optics::upperPage(2), p2);
  int banks = s.banksCode == 0 ? 1 : s.banksCode == 1 ? 2 : 4;
  for (int bank = 0; bank < banks; ++bank) {
    ModuleMemory::Bytes p11{};
    for (int lane = 0; lane < 8; ++lane) p11[206 - 128 + lane] = 0x10;  // active control set: AppSel 1, data path 0
    for (int i = 0; i < 4; ++i) p11[128 - 128 + i] = uint8_t(s.dpState << 4 | s.dpState);
    for (int lane = 0; lane < 8; ++lane) {
      put16(p11, 154 + 2 * lane, uint16_t(s.txRaw + bank * 100 + lane));
      put16(p11, 170 + 2 * lane, uint16_t(s.biasRaw + bank * 100 + lane));
      put16(p11, 186 + 2 * lane, uint16_t(s.rxRaw + bank * 100 + lane));
    }
    m.set(optics::upperPage(0x11, uint8_t(bank)), p11);
  }
  return m;
}

}  // namespace linkready::test
