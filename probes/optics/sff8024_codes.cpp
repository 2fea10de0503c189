// SFF-8024 rev 4.13 code tables: extended specification compliance (Table 4-4, SFF-8472
// byte 36 and SFF-8636 byte 192), CMIS host electrical interfaces (Table 4-5) and module
// media interfaces (Tables 4-6 to 4-10). Checked whole against the rev 4.13 text; one name
// per code, no name twice in a table (tests/unit/optics_sff8024_test.cpp). Names are the
// PMD names a port type is ordered by; "A or B" where one code stands for several.
#include <span>

#include "probes/optics/decode_util.h"

namespace linkready::optics::detail {

namespace {

struct Code {
  uint8_t code;
  const char* name;
};

// Table 4-4. Codes 01h-04h, 08h, 0Bh, 18h, 19h name a 100G QSFP and a 25G SFP part.
constexpr Code kExtendedQsfp[] = {
    {0x01, "100G AOC (BER 5e-5)"}, {0x02, "100GBASE-SR4"}, {0x03, "100GBASE-LR4"}, {0x04, "100GBASE-ER4"},
    {0x08, "100G ACC (BER 5e-5)"}, {0x0b, "100GBASE-CR4"}, {0x18, "100G AOC (BER 1e-12)"},
    {0x19, "100G ACC (BER 1e-12)"},
};
constexpr Code kExtendedSfp[] = {
    {0x01, "25GAUI C2M AOC (BER 5e-5)"}, {0x02, "25GBASE-SR"}, {0x03, "25GBASE-LR"}, {0x04, "25GBASE-ER"},
    {0x08, "25GAUI C2M ACC (BER 5e-5)"}, {0x0b, "25GBASE-CR CA-25G-L"}, {0x18, "25GAUI C2M AOC (BER 1e-12)"},
    {0x19, "25GAUI C2M ACC (BER 1e-12)"},
};
constexpr Code kExtended[] = {
    {0x05, "100GBASE-SR10"}, {0x06, "100G CWDM4"}, {0x07, "100G PSM4"}, {0x0c, "25GBASE-CR CA-25G-S"},
    {0x0d, "25GBASE-CR CA-25G-N"}, {0x0e, "10 Mb/s single pair Ethernet"}, {0x10, "40GBASE-ER4"},
    {0x11, "4x10GBASE-SR"}, {0x12, "40G PSM4"}, {0x13, "G.959.1 P1I1-2D1"}, {0x14, "G.959.1 P1S1-2D2"},
    {0x15, "G.959.1 P1L1-2D2"}, {0x16, "10GBASE-T with SFI"}, {0x17, "100G CLR4"}, {0x1a, "100GE-DWDM2"},
    {0x1b, "100G 1550 nm WDM"}, {0x1c, "10GBASE-T short reach"}, {0x1d, "5GBASE-T"}, {0x1e, "2.5GBASE-T"},
    {0x1f, "40G SWDM4"}, {0x20, "100G SWDM4"}, {0x21, "100G PAM4 BiDi"}, {0x22, "100G 4WDM-10"},
    {0x23, "100G 4WDM-20"}, {0x24, "100G 4WDM-40"}, {0x25, "100GBASE-DR (CAUI-4, no host FEC)"},
    {0x26, "100GBASE-FR1 (CAUI-4, no host FEC)"}, {0x27, "100GBASE-LR1 (CAUI-4, no host FEC)"},
    {0x28, "100GBASE-SR1 (CAUI-4, no host FEC)"}, {0x29, "100GBASE-SR1 or 200GBASE-SR2 or 400GBASE-SR4"},
    {0x2a, "100GBASE-FR1 or 400GBASE-DR4-2"}, {0x2b, "100GBASE-LR1"}, {0x2c, "100G-LR1-20 (CAUI-4, no host FEC)"},
    {0x2d, "100G-ER1-30 (CAUI-4, no host FEC)"}, {0x2e, "100G-ER1-40 (CAUI-4, no host FEC)"}, {0x2f, "100G-LR1-20"},
    {0x30, "ACC 50GAUI/100GAUI-2/200GAUI-4 C2M (BER 1e-6)"}, {0x31, "AOC 50GAUI/100GAUI-2/200GAUI-4 C2M (BER 1e-6)"},
    {0x32, "ACC 50GAUI/100GAUI-2/200GAUI-4 C2M (BER 2.6e-4)"},
    {0x33, "AOC 50GAUI/100GAUI-2/200GAUI-4 C2M (BER 2.6e-4)"}, {0x34, "100G-ER1-30"}, {0x35, "100G-ER1-40"},
    {0x36, "100GBASE-VR1 or 200GBASE-VR2 or 400GBASE-VR4"}, {0x37, "10GBASE-BR"}, {0x38, "25GBASE-BR"},
    {0x39, "50GBASE-BR"}, {0x3a, "100GBASE-VR1 (CAUI-4, no host FEC)"},
    {0x3f, "100GBASE-CR1 or 200GBASE-CR2 or 400GBASE-CR4"}, {0x40, "50GBASE-CR or 100GBASE-CR2 or 200GBASE-CR4"},
    {0x41, "50GBASE-SR or 100GBASE-SR2 or 200GBASE-SR4"}, {0x42, "50GBASE-FR or 200GBASE-DR4"},
    {0x43, "200GBASE-FR4"}, {0x44, "200G 1550 nm PSM4"}, {0x45, "50GBASE-LR"}, {0x46, "200GBASE-LR4"},
    {0x47, "400GBASE-DR4"}, {0x48, "400GBASE-FR4"}, {0x49, "400GBASE-LR4-6"}, {0x4a, "50GBASE-ER"},
    {0x4b, "400G-LR4-10"}, {0x4c, "400GBASE-ZR (obsolete code)"}, {0x7f, "256GFC-SW4"}, {0x80, "64GFC"},
    {0x81, "128GFC"},
};

constexpr Code kHost[] = {  // Table 4-5
    {0x01, "1000BASE-CX"}, {0x02, "XAUI"}, {0x03, "XFI"}, {0x04, "SFI"}, {0x05, "25GAUI C2M"}, {0x06, "XLAUI C2M"},
    {0x07, "XLPPI"}, {0x08, "LAUI-2 C2M"}, {0x09, "50GAUI-2 C2M"}, {0x0a, "50GAUI-1 C2M"}, {0x0b, "CAUI-4 C2M"},
    {0x0c, "100GAUI-4 C2M"}, {0x0d, "100GAUI-2 C2M"}, {0x0e, "200GAUI-8 C2M"}, {0x0f, "200GAUI-4 C2M"},
    {0x10, "400GAUI-16 C2M"}, {0x11, "400GAUI-8 C2M"}, {0x13, "10GBASE-CX4"}, {0x14, "25GBASE-CR CA-25G-L"},
    {0x15, "25GBASE-CR or 25GBASE-CR-S CA-25G-S"}, {0x16, "25GBASE-CR or 25GBASE-CR-S CA-25G-N"},
    {0x17, "40GBASE-CR4"}, {0x18, "50GBASE-CR"}, {0x19, "100GBASE-CR10"}, {0x1a, "100GBASE-CR4"},
    {0x1b, "100GBASE-CR2"}, {0x1c, "200GBASE-CR4"}, {0x1d, "400G CR8"}, {0x1e, "200GBASE-CR1"},
    {0x1f, "400GBASE-CR2"}, {0x20, "LEI-100G-PAM4-1"}, {0x21, "LEI-200G-PAM4-2"}, {0x22, "LEI-400G-PAM4-4"},
    {0x23, "LEI-800G-PAM4-8"}, {0x25, "8GFC"}, {0x26, "10GFC"}, {0x27, "16GFC"}, {0x28, "32GFC"}, {0x29, "64GFC"},
    {0x2a, "128GFC (FC-PI-6P)"}, {0x2b, "256GFC"}, {0x2c, "IB SDR"}, {0x2d, "IB DDR"}, {0x2e, "IB QDR"},
    {0x2f, "IB FDR"}, {0x30, "IB EDR"}, {0x31, "IB HDR"}, {0x32, "IB NDR"}, {0x33, "E.96"}, {0x34, "E.99"},
    {0x35, "E.119"}, {0x36, "E.238"}, {0x37, "OTL3.4"}, {0x38, "OTL4.10"}, {0x39, "OTL4.4"}, {0x3a, "OTLC.4"},
    {0x3b, "FOIC1.4-MFI"}, {0x3c, "FOIC1.2-MFI"}, {0x3d, "FOIC2.8-MFI"}, {0x3e, "FOIC2.4-MFI"},
    {0x3f, "FOIC4.16-MFI"}, {0x40, "FOIC4.8-MFI"}, {0x41, "CAUI-4 C2M without FEC"}, {0x42, "CAUI-4 C2M with RS FEC"},
    {0x43, "50GBASE-CR2 with RS FEC"}, {0x44, "50GBASE-CR2 with BASE-R, Fire code FEC"},
    {0x45, "50GBASE-CR2 with no FEC"}, {0x46, "100GBASE-CR1"}, {0x47, "200GBASE-CR2"}, {0x48, "400GBASE-CR4"},
    {0x49, "800G-ETC-CR8 or 800GBASE-CR8"}, {0x4a, "128GFC (FC-PI-8)"}, {0x4b, "100GAUI-1-S C2M"},
    {0x4c, "100GAUI-1-L C2M"}, {0x4d, "200GAUI-2-S C2M"}, {0x4e, "200GAUI-2-L C2M"}, {0x4f, "400GAUI-4-S C2M"},
    {0x50, "400GAUI-4-L C2M"}, {0x51, "800GAUI-8 S C2M"}, {0x52, "800GAUI-8 L C2M"}, {0x53, "OTL4.2"},
    {0x55, "1.6TAUI-16-S C2M"}, {0x56, "1.6TAUI-16-L C2M"}, {0x57, "800GBASE-CR4"}, {0x58, "1.6TBASE-CR8"},
    {0x70, "PCIe 4.0"}, {0x71, "PCIe 5.0"}, {0x72, "PCIe 6.0"}, {0x73, "PCIe 7.0"}, {0x74, "CEI-112G-LINEAR-PAM4"},
    {0x80, "200GAUI-1"}, {0x81, "400GAUI-2"}, {0x82, "800GAUI-4"}, {0x83, "1.6TAUI-8"}, {0x90, "EEI-100G-RTLR-1-S"},
    {0x91, "EEI-100G-RTLR-1-L"}, {0x92, "EEI-200G-RTLR-2-S"}, {0x93, "EEI-200G-RTLR-2-L"},
    {0x94, "EEI-400G-RTLR-4-S"}, {0x95, "EEI-400G-RTLR-4-L"}, {0x96, "EEI-800G-RTLR-8-S"},
    {0x97, "EEI-800G-RTLR-8-L"}, {0xa0, "IB XDR"}, {0xb0, "FOIC1.1-MFI"}, {0xb1, "FOIC4.4-MFI"},
    {0xb2, "FOIC8.8-MFI"}, {0xb7, "ITU-T G.9804.3"},
};
constexpr Code kMmf[] = {  // Table 4-6
    {0x01, "10GBASE-SW"}, {0x02, "10GBASE-SR"}, {0x03, "25GBASE-SR"}, {0x04, "40GBASE-SR4"}, {0x05, "40GE SWDM4"},
    {0x06, "40GE BiDi"}, {0x07, "50GBASE-SR"}, {0x08, "100GBASE-SR10"}, {0x09, "100GBASE-SR4"}, {0x0a, "100GE SWDM4"},
    {0x0b, "100GE BiDi"}, {0x0c, "100GBASE-SR2"}, {0x0d, "100GBASE-SR1"}, {0x0e, "200GBASE-SR4"},
    {0x0f, "400GBASE-SR16"}, {0x10, "400GBASE-SR8"}, {0x11, "400GBASE-SR4"}, {0x12, "800GBASE-SR8"},
    {0x13, "8GFC-MM"}, {0x14, "10GFC-MM"}, {0x15, "16GFC-MM"}, {0x16, "32GFC-MM"}, {0x17, "64GFC-MM"},
    {0x18, "128GFC-MM4"}, {0x19, "256GFC-MM4"}, {0x1a, "400GBASE-SR4.2"}, {0x1b, "200GBASE-SR2"}, {0x1c, "128GFC-MM"},
    {0x1d, "100GBASE-VR1"}, {0x1e, "200GBASE-VR2"}, {0x1f, "400GBASE-VR4"}, {0x20, "800GBASE-VR8"},
    {0x21, "800G-VR4.2"}, {0x22, "800G-SR4.2"}, {0x23, "1.6T-VR8.2"}, {0x24, "1.6T-SR8.2"},
};
constexpr Code kSmf[] = {  // Table 4-7
    {0x01, "10GBASE-LW"}, {0x02, "10GBASE-EW"}, {0x03, "10G-ZW"}, {0x04, "10GBASE-LR"}, {0x05, "10GBASE-ER"},
    {0x06, "10G-ZR"}, {0x07, "25GBASE-LR"}, {0x08, "25GBASE-ER"}, {0x09, "40GBASE-LR4"}, {0x0a, "40GBASE-FR"},
    {0x0b, "50GBASE-FR"}, {0x0c, "50GBASE-LR"}, {0x0d, "100GBASE-LR4"}, {0x0e, "100GBASE-ER4"}, {0x0f, "100G PSM4"},
    {0x10, "100G CWDM4"}, {0x11, "100G 4WDM-10"}, {0x12, "100G 4WDM-20"}, {0x13, "100G 4WDM-40"},
    {0x14, "100GBASE-DR"}, {0x15, "100GBASE-FR1"}, {0x16, "100GBASE-LR1"}, {0x17, "200GBASE-DR4"},
    {0x18, "200GBASE-FR4"}, {0x19, "200GBASE-LR4"}, {0x1a, "400GBASE-FR8"}, {0x1b, "400GBASE-LR8"},
    {0x1c, "400GBASE-DR4"}, {0x1d, "400GBASE-FR4"}, {0x1e, "400G-LR4-10"}, {0x1f, "8GFC-SM"}, {0x20, "10GFC-SM"},
    {0x21, "16GFC-SM"}, {0x22, "32GFC-SM"}, {0x23, "64GFC-SM"}, {0x24, "128GFC-PSM4"}, {0x26, "128GFC-CWDM4"},
    {0x2c, "4I1-9D1F"}, {0x2d, "4L1-9C1F"}, {0x2e, "4L1-9D1F"}, {0x2f, "C4S1-9D1F"}, {0x30, "C4S1-4D1F"},
    {0x31, "4I1-4D1F"}, {0x32, "8R1-4D1F"}, {0x33, "8I1-4D1F"}, {0x34, "100G CWDM4-OCP"},
    {0x35, "ZR400-OFEC-16QAM-HA"}, {0x36, "ZR400-OFEC-16QAM-HB"}, {0x37, "ZR400-OFEC-8QAM-HA"}, {0x38, "10G-SR"},
    {0x39, "10G-LR"}, {0x3a, "25G-SR"}, {0x3b, "25G-LR"}, {0x3c, "10G-LR-BiDi"}, {0x3d, "25G-LR-BiDi"},
    {0x3e, "400ZR (DWDM, amplified)"}, {0x3f, "400ZR (single wavelength, unamplified)"}, {0x40, "50GBASE-ER"},
    {0x41, "200GBASE-ER4"}, {0x42, "400GBASE-ER8"}, {0x43, "400GBASE-LR4-6"}, {0x44, "100GBASE-ZR"},
    {0x45, "128GFC-SM"}, {0x46, "ZR400-OFEC-16QAM"}, {0x47, "ZR300-OFEC-8QAM"}, {0x48, "ZR200-OFEC-QPSK"},
    {0x49, "ZR100-OFEC-QPSK"}, {0x4a, "100G-LR1-20"}, {0x4b, "100G-ER1-30"}, {0x4c, "100G-ER1-40"},
    {0x4d, "400GBASE-ZR"}, {0x4e, "10GBASE-BR"}, {0x4f, "25GBASE-BR"}, {0x50, "50GBASE-BR"}, {0x51, "FOIC1.4-DO"},
    {0x52, "FOIC2.8-DO"}, {0x53, "FOIC4.8-DO"}, {0x54, "FOIC2.4-DO"}, {0x55, "400GBASE-DR4-2"},
    {0x56, "800GBASE-DR8"}, {0x57, "800GBASE-DR8-2"}, {0x58, "ZR400-OFEC-8QAM-HB"}, {0x59, "ZR300-OFEC-8QAM-HA"},
    {0x5a, "ZR300-OFEC-8QAM-HB"}, {0x5b, "ZR200-OFEC-QPSK-HA"}, {0x5c, "ZR200-OFEC-QPSK-HB"},
    {0x5d, "ZR100-OFEC-QPSK-HA"}, {0x5e, "ZR100-OFEC-QPSK-HB"}, {0x5f, "FLEXO-4-DO-16QAM/FOIC4.8-DO"},
    {0x60, "FLEXO-3-DO-8QAM/FOIC3.6-DO"}, {0x61, "FLEXO-2-DO-QPSK/FOIC2.4-DO"}, {0x62, "FLEXO-2-DO-16QAM/FOIC2.8-DO"},
    {0x63, "FLEXO-1-DO-QPSK/FOIC1.4-DO"}, {0x64, "FLEXO-4e-DO-QPSK/FOIC4e.4-DO"},
    {0x65, "FLEXO-4-DO-QPSK/FOIC4.4-DO"}, {0x66, "FLEXO-8e-DO-16QAM/FOIC8e.8-DO"},
    {0x67, "FLEXO-8-DO-16QAM/FOIC8.8-DO"}, {0x68, "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO"},
    {0x69, "FLEXO-8-DPO-16QAM/FOIC8.8-DPO"}, {0x6a, "FLEXO-6e-DPO-16QAM/FOIC6e.8-DPO"},
    {0x6b, "FLEXO-6-DP0-16QAM/FOIC6.8-DPO"}, {0x6c, "800ZR-A 150 GHz DWDM"}, {0x6d, "800ZR-B 150 GHz DWDM"},
    {0x6e, "800ZR-C 150 GHz DWDM"}, {0x6f, "400G-ER4-30"}, {0x70, "1I1-5D1F"}, {0x71, "1R1-5D1F"},
    {0x72, "FOIC1.1-RS"}, {0x73, "200GBASE-DR1"}, {0x74, "200GBASE-DR1-2"}, {0x75, "400GBASE-DR2"},
    {0x76, "400GBASE-DR2-2"}, {0x77, "800GBASE-DR4"}, {0x78, "800GBASE-DR4-2"}, {0x79, "800GBASE-FR4-500"},
    {0x7a, "800GBASE-FR4"}, {0x7b, "800GBASE-LR4"}, {0x7c, "800GBASE-LR1"}, {0x7d, "800GBASE-ER1-20"},
    {0x7e, "800GBASE-ER1"}, {0x7f, "1.6TBASE-DR8"}, {0x80, "1.6TBASE-DR8-2"}, {0x81, "XR400-16QAM"},
    {0x82, "XR300-8QAM"}, {0x83, "XR200-QPSK"}, {0x84, "XR200-16QAM"}, {0x85, "XR100-QPSK"}, {0x86, "XR100-16QAM"},
    {0x87, "XR400-WS-16QAM"}, {0x88, "XR200-WS-QPSK"}, {0x89, "XR200-WS-16QAM"}, {0x8a, "XR100-WS-QPSK"},
    {0x8b, "XR100-WS-16QAM"}, {0x8c, "XR200-WS-BIDI-16QAM"}, {0x8d, "XR100-WS-BIDI-QPSK"},
    {0x8e, "XR100-WS-BIDI-16QAM"}, {0x8f, "100G-DR1-LPO"}, {0x90, "200G-DR2-LPO"}, {0x91, "400G-DR4-LPO"},
    {0x92, "800G-DR8-LPO"},
};
constexpr Code kCopper[] = {  // Table 4-8
    {0x01, "Copper cable"}, {0xbf, "Passive Loopback module"}, {0xc0, "Linear active copper loopback module"},
};
constexpr Code kActiveCable[] = {  // Table 4-9
    {0x01, "Active cable, BER < 1e-12"}, {0x02, "Active cable, BER < 5e-5"}, {0x03, "Active cable, BER < 2.6e-4"},
    {0x04, "Active cable, BER < 1e-6"}, {0xbf, "Active Loopback module"},
};
constexpr Code kBaseT[] = {  // Table 4-10
    {0x01, "1000BASE-T"}, {0x02, "2.5GBASE-T"}, {0x03, "5GBASE-T"}, {0x04, "10GBASE-T"}, {0x05, "25GBASE-T"},
    {0x06, "40GBASE-T"}, {0x07, "50GBASE-T"},
};

std::string lookup(std::span<const Code> table, uint8_t code) {
  for (const Code& c : table)
    if (c.code == code) return c.name;
  return "";
}

}  // namespace

std::string extendedComplianceName(uint8_t code, bool qsfp) {
  if (auto n = lookup(qsfp ? std::span<const Code>(kExtendedQsfp) : std::span<const Code>(kExtendedSfp), code); !n.empty())
    return n;
  return lookup(kExtended, code);
}

std::string cmisHostInterfaceName(uint8_t code) { return lookup(kHost, code); }

std::string cmisMediaInterfaceName(uint8_t mediaType, uint8_t code) {
  switch (mediaType) {
    case 0x01: return lookup(kMmf, code);
    case 0x02: return lookup(kSmf, code);
    case 0x03: return lookup(kCopper, code);
    case 0x04: return lookup(kActiveCable, code);
    case 0x05: return lookup(kBaseT, code);
    default: return "";
  }
}

}  // namespace linkready::optics::detail
