#include "agent/check/eval_optics_module.h"

#include <algorithm>
#include <cerrno>

#include "agent/check/optics_limits.h"

namespace linkready::optics_verdicts {

namespace {

constexpr Layer L = Layer::Optics;
using optics::Media;

// The module could not be read, or what was read is not believed.

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// "100GBASE-FR1 or 400GBASE-DR4-2 (CAUI-4, no host FEC)" names the PMDs it lists.

bool namesPmd(const std::string& compliance, const std::string& want) {
  std::string c = compliance.substr(0, compliance.find(" ("));
  size_t pos = 0;
  while (pos <= c.size()) {
    size_t next = c.find(" or ", pos);
    if (normalizePortType(c.substr(pos, next == std::string::npos ? std::string::npos : next - pos)) == want) return true;
    if (next == std::string::npos) break;
    pos = next + 4;
  }
  return false;
}

// The applications the host runs on a CMIS module (media interface per data path).

std::vector<std::string> activeMedia(const optics::ModuleFacts& m) {
  std::vector<std::string> out;
  for (const auto& dp : m.dataPaths)
    if (!dp.mediaInterface.empty() && std::find(out.begin(), out.end(), dp.mediaInterface) == out.end())
      out.push_back(dp.mediaInterface);
  return out;
}

// Does the module fit the order? Compliance codes (for CMIS: the applications the host

// runs first, then those the module could run), media second.

// CMIS: the module must be in ModuleReady before any lane can carry light.

// CMIS: every data path the host configured, with its own application and state.

// Diagnostics the module has, or pages a dump lacks.

}  // namespace

std::string lanesText(const std::vector<int>& lanes) {
  if (lanes.empty()) return "-";
  bool run = true;
  for (size_t i = 1; i < lanes.size(); ++i) run = run && lanes[i] == lanes[i - 1] + 1;
  if (run && lanes.size() > 1) return std::to_string(lanes.front()) + "-" + std::to_string(lanes.back());
  std::string s;
  for (int l : lanes) s += (s.empty() ? "" : ",") + std::to_string(l);
  return s;
}

std::optional<CheckResult> readVerdict(const config::Link& link, const optics::ModuleFacts& m) {
  if (!m.readError.empty()) {
    int e = m.readErrno;
    if (e == EOPNOTSUPP)
      return verdict(Status::Unknown, "optics.module", L, "the driver cannot read the module EEPROM", m.readError,
                     "module EEPROM readable",
                     "driver cannot read the module EEPROM: check light levels with the switch or a power meter; a "
                     "newer driver or firmware may add module support");
    if (e == EPERM || e == EACCES)
      return verdict(Status::Unknown, "optics.module", L, "not allowed to read the module EEPROM", m.readError,
                     "module EEPROM readable",
                     "reading module EEPROM needs CAP_NET_ADMIN: run as root or grant the capability");
    if (e == ENODEV || e == ENXIO)
      return verdict(Status::Critical, "optics.module", L, "no transceiver module detected in " + link.interface,
                     m.readError,
                     "a " + (link.order.portType.empty() ? std::string("transceiver") : link.order.portType) + " module",
                     "seat the ordered transceiver in the port (push until it clicks)");
    return verdict(Status::Unknown, "optics.module", L, "the module EEPROM could not be read", m.readError,
                   "module EEPROM readable", "reseat the module; if it persists, the module or the cage is faulty");
  }
  if (!m.corrupt.empty())
    return verdict(Status::Unknown, "optics.module", L, "EEPROM read looks corrupt: nothing is believed", m.corrupt,
                   "valid identifier and checksums",
                   "check again; if it persists, the driver returns shifted bytes (seen on bnxt_en) or the module's "
                   "EEPROM is damaged: reseat or replace the module");
  return std::nullopt;
}

CheckResult moduleVerdict(const optics::ModuleFacts& m) {
  const optics::Identity& id = m.identity;
  return ok("optics.module", L,
            id.identifierName + " " + id.vendorName + " " + id.vendorPn + " SN " + id.vendorSn + " (" +
                optics::standardName(m.standard) + ")",
            id.vendorName + " " + id.vendorPn + " SN " + id.vendorSn, "a readable module");
}

CheckResult typeVerdict(const config::Link& link, const optics::ModuleFacts& m) {
  const optics::Identity& id = m.identity;
  std::string codes = joined(id.compliance, "/");
  std::string seen = id.vendorName + " " + id.vendorPn + " (" + id.identifierName + ", " +
                     (codes.empty() ? std::string("no Ethernet compliance code") : codes) + ", " +
                     optics::mediaName(id.media) + (id.wavelengthNm ? fmt(", %.0f nm", *id.wavelengthNm) : "") + ")";
  auto running = activeMedia(m);
  if (!running.empty()) seen += "; running " + joined(running, " + ");
  if (link.order.portType.empty())
    return ok("optics.type", L, "module " + id.vendorPn + " (no port type ordered to compare)", seen, "any");
  std::string want = normalizePortType(link.order.portType);
  const PmdLimits* pmd = ieeeLimits(want);
  Media wantMedia = pmd ? pmd->media : (want.find("SR") != std::string::npos ? Media::MultiMode : Media::SingleMode);
  std::string wantText = want + " (" + optics::mediaName(wantMedia) + ")";
  auto anyNames = [&](const std::vector<std::string>& v) {
    for (const auto& c : v)
      if (namesPmd(c, want)) return true;
    return false;
  };
  if (!running.empty() && anyNames(running)) return ok("optics.type", L, "module runs " + want + " as ordered", seen, wantText);
  if (!running.empty() && anyNames(id.compliance))
    return verdict(Status::Warning, "optics.type", L,
                   "the module can run " + want + " but the host configured " + joined(running, " + "), seen, wantText,
                   "configure the port for the " + want + " application (the host's port speed/breakout mode "
                   "selects it); both ends must run the same application");
  if (running.empty() && anyNames(id.compliance)) return ok("optics.type", L, "module is " + want + " as ordered", seen, wantText);
  if (id.media != Media::Unknown && id.media != wantMedia) {
    std::string what = id.media == Media::MultiMode ? "a multimode" : id.media == Media::Copper ? "a copper" : "an";
    return verdict(Status::Critical, "optics.type", L,
                   what + " module (" + (codes.empty() ? optics::mediaName(id.media) : codes) + ") where " + want + " " +
                       optics::mediaName(wantMedia) + " was ordered",
                   seen, wantText,
                   "swap the transceiver for a " + want +
                       " optic: Alibaba asks for single-mode optics of the ordered type, identical on both ends; a "
                       "wrong optic gives no light or a flapping link");
  }
  if (codes.empty())
    return verdict(Status::Warning, "optics.type", L,
                   "the module declares no Ethernet compliance code; its media fits the order", seen, wantText,
                   "confirm with the vendor that " + id.vendorPn + " is a " + want + " part");
  return verdict(Status::Critical, "optics.type", L,
                 "a " + (running.empty() ? codes : joined(running, " + ")) + " module where " + want + " was ordered",
                 seen, wantText,
                 "use the ordered optic type: identical optics on both ends (e.g. LX against LR does not link reliably)");
}

std::optional<CheckResult> moduleStateVerdict(const optics::ModuleFacts& m) {
  if (!m.moduleState) return std::nullopt;
  std::string name = optics::moduleStateName(*m.moduleState);
  std::string seen = name + " (CMIS lower page byte 3)";
  switch (*m.moduleState) {
    case optics::ModuleState::Ready: return ok("optics.module_state", L, "module is " + name, seen, "ModuleReady");
    case optics::ModuleState::LowPower:
      return verdict(Status::Critical, "optics.module_state", L,
                     "module held in low power (" + name + "): the host has not enabled it", seen, "ModuleReady",
                     "the host keeps the module in low power: bring the port up (ip link set IFACE up / no shutdown); "
                     "if it stays there, the host does not allow the module's power class or the LPMode pin is "
                     "held: check the platform's optics configuration");
    case optics::ModuleState::Fault:
      return verdict(Status::Critical, "optics.module_state", L, "module reports a fault (" + name + ")", seen,
                     "ModuleReady", "reseat the module; if the fault stays, replace it (module fault: power or "
                     "internal failure)");
    default:
      return verdict(Status::Warning, "optics.module_state", L, "module is changing state (" + name + ")", seen,
                     "ModuleReady", "the module is powering up or down: check again in a few seconds");
  }
}

std::vector<CheckResult> dataPathVerdicts(const optics::ModuleFacts& m) {
  std::vector<CheckResult> out;
  if (m.standard != optics::Standard::Cmis || m.flatMemory || !m.moduleState) return out;
  bool p11 = std::find(m.missingPages.begin(), m.missingPages.end(), "11h") == m.missingPages.end();
  if (m.dataPaths.empty() && p11)
    out.push_back(verdict(Status::Critical, "optics.datapath", L, "no data path configured on the module",
                          "page 11h active control set: no host lane has an application", "a configured data path",
                          "the host has not configured the module: bring the port up and check its speed/breakout "
                          "setting"));
  for (size_t i = 0; i < m.dataPaths.size(); ++i) {
    const optics::DataPath& dp = m.dataPaths[i];
    std::string id = "optics.datapath" + std::to_string(i + 1);
    std::string app = "AppSel " + std::to_string(dp.appSel) + " " +
                      (dp.hostInterface.empty() ? std::string("?") : dp.hostInterface) + " / " +
                      (dp.mediaInterface.empty() ? std::string("?") : dp.mediaInterface);
    std::string name = optics::dataPathStateName(dp.state);
    std::string what = "data path " + std::to_string(i + 1) + " (host lanes " + lanesText(dp.hostLanes) +
                       ", media lanes " + lanesText(dp.mediaLanes) + ", " + app + ")";
    std::string seen = name + ", " + app;
    if (dp.activated()) out.push_back(ok(id, L, what + ": " + name, seen, "DPActivated"));
    else if (dp.state == optics::DataPathState::Deactivated || dp.state == optics::DataPathState::Initialized)
      out.push_back(verdict(Status::Critical, id, L, what + ": " + name + ", the host has not enabled it", seen,
                            "DPActivated",
                            "the host has not enabled this data path: bring the port (or its breakout port) up; no "
                            "light is sent or expected on media lanes " + lanesText(dp.mediaLanes) + " until it is"));
    else
      out.push_back(verdict(Status::Warning, id, L, what + ": " + name, seen, "DPActivated",
                            "the data path is changing state: check again in a few seconds; if it stays, reseat "
                            "the module"));
  }
  return out;
}

std::optional<CheckResult> diagnosticsVerdict(const optics::ModuleFacts& m) {
  if (!isOptical(m.identity.media))
    return ok("optics.dom", L, optics::mediaName(m.identity.media) + ": no light to measure",
              optics::mediaName(m.identity.media), "-");
  if (!m.missingPages.empty()) {
    std::string pages = joined(m.missingPages, ", ");
    return verdict(Status::Warning, "optics.pages", L, "pages " + pages + " are missing: light cannot be checked fully",
                   "not in the image: " + pages + (m.unavailable.empty() ? "" : "; " + joined(m.unavailable, "; ")),
                   "every page the module has (" + optics::standardName(m.standard) + ")",
                   "read the module live (linkready optics IFACE), or save a dump with those pages (--save); "
                   "thresholds and lane monitors live there");
  }
  if (!m.unavailable.empty())
    return verdict(Status::Warning, "optics.pages", L, "some EEPROM pages could not be read", joined(m.unavailable, "; "),
                   "every page needed", "values from those pages (thresholds, lane monitors) are missing");
  if (!m.domImplemented) {
    std::string why = m.standard == optics::Standard::Cmis ? "no lane monitors (CMIS page 01h byte 160 bits 2-0 clear)"
                                                            : "no DOM (SFF-8472 A0h byte 92 bit 6 clear)";
    return verdict(Status::Warning, "optics.dom", L, "the module has no diagnostics: light cannot be checked", why,
                   "digital optical monitoring", "use a module with DOM, or measure the light with a power meter");
  }
  return std::nullopt;
}

}  // namespace linkready::optics_verdicts
