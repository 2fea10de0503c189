// Pure decoders over EEPROM bytes: SFF-8472 (SFP), SFF-8636 (QSFP), CMIS (QSFP-DD,
// OSFP, QSFP CMIS). No I/O, no logging, no throwing; a checksum that does not hold makes
// the result `corrupt` instead of wrong numbers.
#pragma once

#include "probes/optics/module_facts.h"
#include "probes/optics/module_memory.h"

namespace linkready::optics {

Standard standardOf(uint8_t identifier);

ModuleFacts decodeModule(const ModuleMemory& memory);

ModuleFacts decodeSff8472(const ModuleMemory& memory);
ModuleFacts decodeSff8636(const ModuleMemory& memory);
ModuleFacts decodeCmis(const ModuleMemory& memory);

// SFF-8024 names.
std::string identifierName(uint8_t id);
std::string connectorName(uint8_t code);

// Checksum helper: low 8 bits of the sum of bytes [from, to] of a half page.
uint8_t checksum(const ModuleMemory::Bytes& half, int from, int to);

}  // namespace linkready::optics
