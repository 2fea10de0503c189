// `optics`: a transceiver decoded per lane, live from an interface or from a saved dump,
// judged as `check` would judge it.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "agent/check/eval_optics.h"
#include "agent/cli/commands.h"
#include "agent/render/optics_view.h"
#include "agent/render/render.h"
#include "probes/optics/decode.h"
#include "probes/optics/optics_reader.h"

namespace linkready::cli {

namespace {

// The ordered port type and limits come from the config's link on this interface, when
// there is one; --port-type overrides. Without a config, --decode still works.
std::optional<config::Link> orderedLink(const ConfigArg& config, const OpticsArgs& a) {
  config::Link link;
  if (config.present()) {
    auto cfg = loadConfig(config.path);
    if (!cfg) return std::nullopt;
    for (const auto& l : cfg->links)
      if (l.interface == a.interface) link = l;
  }
  if (!a.portType.empty()) link.order.portType = a.portType;
  return link;
}

std::optional<optics::ModuleMemory> readDumpFile(const OpticsArgs& a) {
  std::ifstream in(a.decodeFile, std::ios::binary);
  if (!in) {
    std::cerr << "linkready: cannot read " << a.decodeFile << ": " << strerror(errno) << "\n";
    return std::nullopt;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<uint8_t> pages;
  if (!a.pages.empty()) {
    auto p = optics::parsePageList(a.pages);
    if (!p) {
      std::cerr << "linkready: --pages: " << p.error() << "\n";
      return std::nullopt;
    }
    pages = *p;
  }
  auto m = optics::parseDump(content, pages);
  if (!m) {
    std::cerr << "linkready: " << a.decodeFile << ": " << m.error() << "\n";
    return std::nullopt;
  }
  return std::move(*m);
}

bool saveDump(const optics::ModuleMemory& memory, const std::string& file) {
  std::string pageList;
  auto bytes = optics::serializeDump(memory, pageList);
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) {
    std::cerr << "linkready: cannot write " << file << "\n";
    return false;
  }
  std::cerr << "saved " << bytes.size() << " bytes to " << file << "; decode with: linkready optics --decode " << file
            << (pageList.empty() ? "" : " --pages " + pageList) << "\n";
  return true;
}

Status worstOpticsVerdict(const config::Link& link, const optics::ModuleFacts& facts) {
  Status worst = Status::Ok;
  for (const auto& c : opticsVerdicts(link, facts)) worst = worse(worst, c.status);
  return worst;
}

}  // namespace

int runOptics(const ConfigArg& config, const OpticsArgs& a) {
  auto link = orderedLink(config, a);
  if (!link) return kExitUsage;
  optics::ModuleMemory memory;
  std::string source;
  if (!a.decodeFile.empty()) {
    auto m = readDumpFile(a);
    if (!m) return kExitUsage;
    memory = std::move(*m);
    source = a.decodeFile;
  } else {
    if (a.interface.empty()) {
      std::cerr << "linkready: optics needs an interface or --decode FILE\n";
      return kExitUsage;
    }
    auto io = optics::makeLinuxEepromIo();
    optics::OpticsReader reader(*io);
    auto r = reader.readAll(a.interface);
    memory = std::move(r.memory);
    source = a.interface;
    if (!r.facts.readError.empty()) {
      auto verdicts = opticsVerdicts(*link, r.facts);
      std::cerr << "linkready: " << a.interface << ": cannot read the module EEPROM: " << r.facts.readError << "\n";
      if (!verdicts.empty()) std::cerr << "hint: " << verdicts[0].hint << "\n";
      return verdicts.empty() ? int(Status::Unknown) : int(verdicts[0].status);
    }
    if (!a.saveFile.empty() && !saveDump(memory, a.saveFile)) return kExitUsage;
  }
  optics::ModuleFacts facts = optics::decodeModule(memory);
  if (a.json) std::cout << jsonText(opticsToJson(source, *link, facts), 2) << "\n";
  else std::cout << renderOpticsText(source, *link, facts, false);
  // The exit code is the worst of the verdicts just shown, as `check` would give it.
  return int(worstOpticsVerdict(*link, facts));
}

}  // namespace linkready::cli
