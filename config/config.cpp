#include "config/config.h"
#include "config/net/utf8.h"
#include "config/url.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace linkready::config {

std::optional<uint64_t> parseDurationMs(std::string_view text) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  std::string_view unit(p, size_t(text.data() + text.size() - p));
  uint64_t scale = unit.empty() || unit == "s" ? 1000 : unit == "ms" ? 1 : unit == "m" ? 60000 : unit == "h" ? 3600000 : 0;
  if (ec != std::errc() || p == text.data() || scale == 0 || v > UINT64_MAX / scale) return std::nullopt;
  return v * scale;
}

namespace {

// Walks the YAML tree, collecting every error with its position instead of stopping at
// the first: an engineer fixing a config wants the whole list at once.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Errors errors;

  void error(const YAML::Mark& mark, const std::string& key, std::string message) {
    errors.push_back({file_, mark.line + 1, mark.column + 1, key, std::move(message)});
  }

  // A map whose keys must all be in `allowed`, each once (YAML parsers keep one of two
  // equal keys silently; which one is nobody's intent).
  bool map(const YAML::Node& node, const std::string& path,
           std::initializer_list<const char*> allowed) {
    if (!node.IsMap()) {
      error(node.Mark(), path, "expected a mapping (key: value), found " + kindOf(node));
      return false;
    }
    std::map<std::string, YAML::Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.Scalar();
      if (auto [first, inserted] = seen.emplace(key, it->first.Mark()); !inserted) {
        error(it->first.Mark(), join(path, key), "duplicate key '" + key + "' (first at line " +
                                                     std::to_string(first->second.line + 1) + "): keep one");
        continue;
      }
      bool known = std::any_of(allowed.begin(), allowed.end(),
                               [&](const char* k) { return key == k; });
      if (!known) {
        std::string list;
        for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
        error(it->first.Mark(), join(path, key), "unknown key '" + key + "' (known: " + list + ")");
      }
    }
    return true;
  }

  std::optional<std::string> string(const YAML::Node& parent, const std::string& path,
                                    const char* key, bool required) {
    YAML::Node n = parent[key];
    if (!n) {
      if (required) error(parent.Mark(), join(path, key), "missing required key '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (!n.IsScalar()) {
      error(n.Mark(), join(path, key), "expected a string, found " + kindOf(n));
      return std::nullopt;
    }
    if (n.Scalar().empty()) {
      error(n.Mark(), join(path, key), "must not be empty");
      return std::nullopt;
    }
    return n.Scalar();
  }

  // Integers in decimal or 0x hex (TPIDs are written in hex by everyone).
  std::optional<uint64_t> integer(const YAML::Node& parent, const std::string& path,
                                  const char* key, uint64_t min, uint64_t max, bool required) {
    YAML::Node n = parent[key];
    if (!n) {
      if (required) error(parent.Mark(), join(path, key), "missing required key '" + std::string(key) + "'");
      return std::nullopt;
    }
    std::string text = n.IsScalar() ? n.Scalar() : "";
    uint64_t v = 0;
    int base = 10;
    std::string_view digits = text;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
      base = 16;
      digits.remove_prefix(2);
    }
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (!n.IsScalar() || digits.empty() || ec != std::errc() || p != digits.data() + digits.size()) {
      error(n.Mark(), join(path, key),
            "expected a whole number, found " + (n.IsScalar() ? "'" + text + "'" : kindOf(n)));
      return std::nullopt;
    }
    if (v < min || v > max) {
      error(n.Mark(), join(path, key),
            text + " is out of range " + std::to_string(min) + "-" + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> boolean(const YAML::Node& parent, const std::string& path, const char* key) {
    YAML::Node n = parent[key];
    if (!n) return std::nullopt;
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
      error(n.Mark(), join(path, key), "expected true or false, found " +
                                           (n.IsScalar() ? "'" + n.Scalar() + "'" : kindOf(n)));
      return std::nullopt;
    }
    return v;
  }

  // "10s", "5m", "1h", "500ms", or a plain number of seconds; returned in milliseconds.
  std::optional<uint64_t> durationMs(const YAML::Node& parent, const std::string& path, const char* key,
                                     uint64_t minMs, uint64_t maxMs) {
    YAML::Node n = parent[key];
    if (!n) return std::nullopt;
    std::string text = n.IsScalar() ? n.Scalar() : "";
    auto parsed = parseDurationMs(text);
    if (!n.IsScalar() || !parsed) {
      error(n.Mark(), join(path, key), "expected a duration like 500ms, 10s, 5m or 1h, found " +
                                           (n.IsScalar() ? "'" + text + "'" : kindOf(n)));
      return std::nullopt;
    }
    uint64_t ms = *parsed;
    if (ms < minMs || ms > maxMs) {
      error(n.Mark(), join(path, key), text + " is out of range " + std::to_string(minMs) + "ms-" +
                                           std::to_string(maxMs / 1000) + "s");
      return std::nullopt;
    }
    return ms;
  }

  // A duration kept in whole seconds (guards, windows): 500ms would be 0, which turns it off.
  std::optional<uint32_t> durationS(const YAML::Node& parent, const std::string& path, const char* key,
                                    uint64_t minMs, uint64_t maxMs) {
    auto ms = durationMs(parent, path, key, minMs, maxMs);
    if (!ms) return std::nullopt;
    if (*ms % 1000 != 0) {
      error(parent[key].Mark(), join(path, key),
            parent[key].Scalar() + " is not a whole number of seconds (kept in seconds: it would become " +
                std::to_string(*ms / 1000) + "s" + (*ms < 1000 ? ", which turns it off" : "") + ")");
      return std::nullopt;
    }
    return uint32_t(*ms / 1000);
  }

  std::optional<IpAddress> address(const YAML::Node& parent, const std::string& path,
                                   const char* key, bool required) {
    auto s = string(parent, path, key, required);
    if (!s) return std::nullopt;
    auto a = IpAddress::parse(*s);
    if (!a) error(parent[key].Mark(), join(path, key), "'" + *s + "' is not an IP address");
    return a;
  }

  std::optional<IpPrefix> prefix(const YAML::Node& parent, const std::string& path,
                                 const char* key, int family) {
    auto s = string(parent, path, key, false);
    if (!s) return std::nullopt;
    auto p = IpPrefix::parse(*s);
    const char* what = family == 4 ? "an IPv4 address with prefix length, like 10.0.0.2/30"
                                   : "an IPv6 address with prefix length, like 2001:db8::2/126";
    if (!p || (family == 4 ? !p->address.isV4() : !p->address.isV6())) {
      error(parent[key].Mark(), join(path, key), "'" + *s + "' is not " + what);
      return std::nullopt;
    }
    if (std::string why = notAnInterfaceAddress(*p, p->address); !why.empty()) {
      error(parent[key].Mark(), join(path, key), "'" + *s + "': " + why);
      return std::nullopt;
    }
    return p;
  }

  // Why `a` cannot be an interface address in `p` (empty when it can): a /0, loopback or
  // multicast; in an IPv4 subnet of /30 or larger, its network or broadcast address.
  static std::string notAnInterfaceAddress(const IpPrefix& p, const IpAddress& a) {
    if (p.length == 0) return "a /0 is no subnet (the VBR's mask, PeeringSubnetMask, is usually /30)";
    if (a.isV4()) {
      if (a.bytes[0] == 127) return a.toString() + " is a loopback address";
      if (a.bytes[0] >= 224 && a.bytes[0] <= 239) return a.toString() + " is a multicast address";
      if (p.length <= 30) {
        uint32_t v = uint32_t(a.bytes[0]) << 24 | uint32_t(a.bytes[1]) << 16 | uint32_t(a.bytes[2]) << 8 | a.bytes[3];
        uint32_t host = (1u << (32 - p.length)) - 1;  // p.length is 1-30 here
        if ((v & host) == 0) return a.toString() + " is the network address of its /" + std::to_string(p.length);
        if ((v & host) == host) return a.toString() + " is the broadcast address of its /" + std::to_string(p.length);
      }
    } else {
      IpAddress loopback = *IpAddress::parse("::1");
      if (a == loopback) return a.toString() + " is the loopback address";
      if (a.bytes[0] == 0xff) return a.toString() + " is a multicast address";
    }
    return "";
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  static std::string kindOf(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Map: return "a mapping";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
      case YAML::NodeType::Null: return "nothing";
      default: return "nothing";
    }
  }

 private:
  std::string file_;
};

std::string hostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

void readOrder(Reader& r, const YAML::Node& n, const std::string& path, Order& o) {
  if (!r.map(n, path, {"port_type", "speed_mbps", "duplex", "autoneg", "physical_connection_id", "vbr_id"}))
    return;
  if (auto s = r.string(n, path, "port_type", false)) o.portType = *s;
  if (auto v = r.integer(n, path, "speed_mbps", 10, 1600000, false)) o.speedMbps = uint32_t(*v);
  if (auto s = r.string(n, path, "duplex", false)) {
    if (*s == "full") o.duplex = Duplex::Full;
    else if (*s == "half") o.duplex = Duplex::Half;
    else r.error(n["duplex"].Mark(), path + ".duplex", "'" + *s + "' is not full or half");
  }
  if (auto b = r.boolean(n, path, "autoneg")) o.autoneg = *b;
  if (auto s = r.string(n, path, "physical_connection_id", false)) o.physicalConnectionId = *s;
  if (auto s = r.string(n, path, "vbr_id", false)) o.vbrId = *s;
}

void readOptics(Reader& r, const YAML::Node& n, const std::string& path, OpticsLimits& o) {
  if (!r.map(n, path, {"check", "rx_min_dbm", "rx_max_dbm", "tx_min_dbm", "tx_max_dbm"})) return;
  if (auto b = r.boolean(n, path, "check")) o.check = *b;
  auto dbm = [&](const char* key) -> std::optional<double> {
    YAML::Node v = n[key];
    if (!v) return std::nullopt;
    double d = 0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, d) || !std::isfinite(d) || d < -40 || d > 10) {
      r.error(v.Mark(), path + "." + key, "expected a power in dBm between -40 and +10, found " + Reader::kindOf(v));
      return std::nullopt;
    }
    return d;
  };
  o.rxMinDbm = dbm("rx_min_dbm");
  o.rxMaxDbm = dbm("rx_max_dbm");
  o.txMinDbm = dbm("tx_min_dbm");
  o.txMaxDbm = dbm("tx_max_dbm");
  auto ordered = [&](const std::optional<double>& lo, const std::optional<double>& hi, const char* loKey, const char* hiKey) {
    if (lo && hi && *lo >= *hi)
      r.error(n[loKey].Mark(), path + "." + loKey,
              std::string(loKey) + " (" + n[loKey].Scalar() + ") must be below " + hiKey + " (" + n[hiKey].Scalar() +
                  "): every reading would be out of range");
  };
  ordered(o.rxMinDbm, o.rxMaxDbm, "rx_min_dbm", "rx_max_dbm");
  ordered(o.txMinDbm, o.txMaxDbm, "tx_min_dbm", "tx_max_dbm");
}

void readVlan(Reader& r, const YAML::Node& n, const std::string& path, Vlan& v) {
  if (!r.map(n, path, {"mode", "id", "s_tag", "c_tag", "tpid", "terminated_by"})) return;
  auto mode = r.string(n, path, "mode", true);
  if (auto t = r.string(n, path, "terminated_by", false)) {
    if (*t == "external") v.terminatedExternally = true;
    else if (*t != "kernel")
      r.error(n["terminated_by"].Mark(), path + ".terminated_by", "'" + *t + "' is not kernel or external");
  }
  if (!mode) return;
  auto tag = [&](const char* key, bool required) -> uint16_t {
    auto x = r.integer(n, path, key, 1, 4094, required);
    return x ? uint16_t(*x) : 0;
  };
  auto forbid = [&](const char* key) {
    if (n[key]) r.error(n[key].Mark(), path + "." + key, std::string(key) + " does not apply to mode " + *mode);
  };
  if (*mode == "untagged") {
    v.mode = VlanMode::Untagged;
    for (const char* k : {"id", "s_tag", "c_tag", "tpid"}) forbid(k);
    return;
  }
  if (*mode == "dot1q") {
    v.mode = VlanMode::Dot1q;
    v.id = tag("id", true);
    forbid("s_tag");
    forbid("c_tag");
    v.tpid = 0x8100;
  } else if (*mode == "qinq") {
    v.mode = VlanMode::Qinq;
    v.sTag = tag("s_tag", true);
    v.cTag = tag("c_tag", true);
    forbid("id");
    v.tpid = 0x88a8;
  } else {
    r.error(n["mode"].Mark(), path + ".mode", "'" + *mode + "' is not untagged, dot1q or qinq");
    return;
  }
  if (auto t = r.integer(n, path, "tpid", 0, 0xffff, false)) {
    if (*t != 0x8100 && *t != 0x88a8 && *t != 0x9100) {
      char buf[16];
      snprintf(buf, sizeof buf, "0x%04x", unsigned(*t));
      r.error(n["tpid"].Mark(), path + ".tpid",
              std::string("TPID ") + buf + " is not 0x8100, 0x88a8 or 0x9100");
    } else {
      v.tpid = uint16_t(*t);
    }
  }
}

void readIp(Reader& r, const YAML::Node& n, const std::string& path, Ip& ip) {
  if (!r.map(n, path, {"local", "gateway", "local6", "gateway6"})) return;
  ip.local = r.prefix(n, path, "local", 4);
  ip.local6 = r.prefix(n, path, "local6", 6);
  auto gw = [&](const char* key, const std::optional<IpPrefix>& local, const char* localKey, int family) {
    auto g = r.address(n, path, key, false);
    if (!g) return g;
    if ((family == 4) != g->isV4()) {
      r.error(n[key].Mark(), path + "." + key, "'" + g->toString() + "' is not an IPv" +
                                                   std::to_string(family) + " address");
      return std::optional<IpAddress>{};
    }
    if (!local) {
      r.error(n[key].Mark(), path + "." + key, std::string(key) + " needs " + localKey + " (our address and prefix)");
    } else if (!local->contains(*g)) {
      r.error(n[key].Mark(), path + "." + key,
              "gateway " + g->toString() + " is outside the local prefix " + local->toString() +
                  " (Local/Peer IPs swapped, or the mask is wrong?)");
    } else if (local->address == *g) {
      r.error(n[key].Mark(), path + "." + key,
              "gateway " + g->toString() + " is our own address " + local->toString());
    } else if (std::string why = Reader::notAnInterfaceAddress(*local, *g); !why.empty()) {
      r.error(n[key].Mark(), path + "." + key, "gateway " + why + " (LocalGatewayIp is one of the usable addresses)");
    }
    return g;
  };
  ip.gateway = gw("gateway", ip.local, "local", 4);
  ip.gateway6 = gw("gateway6", ip.local6, "local6", 6);
}

void readBgp(Reader& r, const YAML::Node& n, const std::string& path, Bgp& b) {
  if (!r.map(n, path, {"peer", "peer6", "remote_as", "local_as", "vrf", "min_prefixes", "max_prefixes", "bfd",
                       "stability_window"}))
    return;
  if (auto a = r.address(n, path, "peer", true)) {
    if (!a->isV4()) r.error(n["peer"].Mark(), path + ".peer", "'" + a->toString() + "' is not an IPv4 address (IPv6 goes in peer6)");
    b.peer = *a;
  }
  if (auto a = r.address(n, path, "peer6", false)) {
    if (!a->isV6()) r.error(n["peer6"].Mark(), path + ".peer6", "'" + a->toString() + "' is not an IPv6 address");
    b.peer6 = *a;
  }
  if (auto v = r.integer(n, path, "remote_as", 1, 4294967295u, false)) b.remoteAs = uint32_t(*v);
  if (auto v = r.integer(n, path, "local_as", 1, 4294967295u, false)) b.localAs = uint32_t(*v);
  if (auto s = r.string(n, path, "vrf", false)) {
    b.vrf = *s;
    // A VRF is a Linux device: its name goes into FRR's commands as one word.
    bool word = !s->empty() && s->size() <= 15 && std::none_of(s->begin(), s->end(), [](char c) {
      return c == '/' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
    });
    if (!word)
      r.error(n["vrf"].Mark(), path + ".vrf", "'" + *s + "' is not a VRF name (a Linux device: at most 15 characters, "
                                                      "no '/', spaces or control characters)");
  }
  if (auto v = r.integer(n, path, "min_prefixes", 0, 10000000, false)) b.minPrefixes = uint32_t(*v);
  if (auto v = r.integer(n, path, "max_prefixes", 1, 10000000, false)) b.maxPrefixes = uint32_t(*v);
  if (b.minPrefixes > b.maxPrefixes)
    r.error(n["min_prefixes"].Mark(), path + ".min_prefixes",
            "min_prefixes " + std::to_string(b.minPrefixes) + " is above max_prefixes " + std::to_string(b.maxPrefixes));
  if (auto v = r.boolean(n, path, "bfd")) b.bfd = *v;
  if (auto v = r.durationS(n, path, "stability_window", 0, 7 * 86400 * 1000ull)) b.stabilityWindowS = *v;
}

void readLink(Reader& r, const YAML::Node& n, const std::string& path, Link& l) {
  if (!r.map(n, path, {"name", "interface", "order", "optics", "vlan", "ip", "bgp", "redundant_with"})) return;
  if (auto s = r.string(n, path, "name", true)) l.name = *s;
  if (auto s = r.string(n, path, "interface", true)) {
    l.interface = *s;
    if (s->size() > 15 || s->find('/') != std::string::npos || s->find(' ') != std::string::npos)
      r.error(n["interface"].Mark(), path + ".interface", "'" + *s + "' is not a Linux interface name (at most 15 characters, no '/' or spaces)");
  }
  if (n["order"]) readOrder(r, n["order"], path + ".order", l.order);
  if (n["optics"]) readOptics(r, n["optics"], path + ".optics", l.optics);
  if (n["vlan"]) readVlan(r, n["vlan"], path + ".vlan", l.vlan);
  if (n["ip"]) readIp(r, n["ip"], path + ".ip", l.ip);
  if (n["bgp"]) {
    l.bgp.emplace();
    readBgp(r, n["bgp"], path + ".bgp", *l.bgp);
  }
  if (auto s = r.string(n, path, "redundant_with", false)) l.redundantWith = *s;
}

Result parse(const YAML::Node& root, const std::string& name) {
  Reader r(name);
  Config c;
  c.sourceName = name;
  if (!root || root.IsNull()) {
    r.error(YAML::Mark(), "", "nothing is configured: no links (the template installed with linkready is all "
                              "comments: fill in the links you ordered as its comments show, then validate-config)");
    return tl::unexpected(r.errors);
  }
  if (!r.map(root, "", {"agent", "frr", "orchestrator", "links"})) return tl::unexpected(r.errors);

  c.agent.id = hostName();
  if (YAML::Node a = root["agent"]; a && r.map(a, "agent", {"id", "interval", "listen", "flap_guard", "history", "reprove"})) {
    if (auto s = r.string(a, "agent", "id", false)) c.agent.id = *s;
    if (auto ms = r.durationMs(a, "agent", "interval", 1000, 3600 * 1000)) c.agent.intervalMs = uint32_t(*ms);
    if (auto v = r.durationS(a, "agent", "flap_guard", 0, 3600 * 1000)) c.agent.flapGuardS = *v;
    if (auto v = r.durationS(a, "agent", "history", 60 * 1000, 3600 * 1000)) c.agent.historyS = *v;
    if (auto v = r.durationS(a, "agent", "reprove", 0, 24 * 3600 * 1000)) c.agent.reproveS = *v;
    if (auto l = r.string(a, "agent", "listen", false)) {
      // "127.0.0.1:9470", "[::1]:9470", or "off"
      if (*l == "off") {
        c.agent.listenPort = 0;
      } else {
        size_t colon = l->rfind(':');
        std::string host = colon == std::string::npos ? "" : l->substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        unsigned port = 0;
        auto [p, ec] = colon == std::string::npos ? std::from_chars(l->data(), l->data(), port)
                                                  : std::from_chars(l->data() + colon + 1, l->data() + l->size(), port);
        if (colon == std::string::npos || ec != std::errc() || p != l->data() + l->size() || port == 0 || port > 65535 ||
            !IpAddress::parse(host))
          r.error(a["listen"].Mark(), "agent.listen", "'" + *l + "' is not ADDRESS:PORT (like 127.0.0.1:9470) or off");
        else
          c.agent.listenHost = host, c.agent.listenPort = uint16_t(port);
      }
    }
  }
  if (YAML::Node o = root["orchestrator"];
      o && r.map(o, "orchestrator", {"url", "token_file", "ca_file", "spool_dir", "spool_max_bytes", "heartbeat",
                                     "timeout", "backoff_max"})) {
    Orchestrator orc;
    if (auto u = r.string(o, "orchestrator", "url", true)) {
      orc.url = *u;
      // The bearer token goes with every report: plain http only where it cannot leave the host.
      if (auto url = parseUrl(*u); !url)
        r.error(o["url"].Mark(), "orchestrator.url", "'" + *u + "' is not a usable URL: " + url.error());
      else if (!url->https() && !url->loopback())
        r.error(o["url"].Mark(), "orchestrator.url",
                "'" + *u + "' is not https:// (plain http is allowed to a loopback address only)");
    }
    if (auto t = r.string(o, "orchestrator", "token_file", false)) orc.tokenFile = *t;
    if (auto t = r.string(o, "orchestrator", "ca_file", false)) orc.caFile = *t;
    if (auto t = r.string(o, "orchestrator", "spool_dir", false)) orc.spoolDir = *t;
    if (auto v = r.integer(o, "orchestrator", "spool_max_bytes", 4096, 1ull << 40, false)) orc.spoolMaxBytes = *v;
    if (auto ms = r.durationMs(o, "orchestrator", "heartbeat", 1000, 86400 * 1000)) orc.heartbeatMs = uint32_t(*ms);
    if (auto ms = r.durationMs(o, "orchestrator", "timeout", 100, 600 * 1000)) orc.timeoutMs = uint32_t(*ms);
    if (auto ms = r.durationMs(o, "orchestrator", "backoff_max", 100, 3600 * 1000)) orc.backoffMaxMs = uint32_t(*ms);
    c.orchestrator = orc;
  }
  if (YAML::Node f = root["frr"]; f && r.map(f, "frr", {"vty_dir", "pathspace", "timeout"})) {
    if (auto ms = r.durationMs(f, "frr", "timeout", 10, 60000)) c.frr.timeoutMs = uint32_t(*ms);
    if (auto s = r.string(f, "frr", "vty_dir", false)) c.frr.vtyDir = *s;
    if (auto s = r.string(f, "frr", "pathspace", false)) {
      if (s->find_first_of("./") != std::string::npos)
        r.error(f["pathspace"].Mark(), "frr.pathspace", "a pathspace has no dots or slashes (FRR -N NAME)");
      c.frr.pathspace = *s;
    }
  }

  YAML::Node links = root["links"];
  if (!links) {
    r.error(root.Mark(), "links", "missing required key 'links'");
  } else if (!links.IsSequence()) {
    r.error(links.Mark(), "links", "expected a list of links, found " + Reader::kindOf(links));
  } else if (links.size() == 0) {
    r.error(links.Mark(), "links", "no links configured");
  } else {
    std::map<std::string, size_t> byName;
    for (size_t i = 0; i < links.size(); ++i) {
      std::string path = "links[" + std::to_string(i) + "]";
      Link l;
      readLink(r, links[i], path, l);
      if (!l.name.empty()) {
        auto [it, inserted] = byName.emplace(l.name, i);
        if (!inserted)
          r.error(links[i]["name"].Mark(), path + ".name",
                  "duplicate link name '" + l.name + "' (first used by links[" + std::to_string(it->second) + "])");
      }
      c.links.push_back(std::move(l));
    }
    for (size_t i = 0; i < c.links.size(); ++i) {
      const Link& l = c.links[i];
      if (l.redundantWith.empty()) continue;
      std::string path = "links[" + std::to_string(i) + "].redundant_with";
      YAML::Mark mark = links[i]["redundant_with"].Mark();
      auto it = byName.find(l.redundantWith);
      if (l.redundantWith == l.name) {
        r.error(mark, path, "link '" + l.name + "' cannot be its own redundancy partner");
      } else if (it == byName.end()) {
        std::string names;
        for (auto& [n, _] : byName) names += (names.empty() ? "" : ", ") + n;
        r.error(mark, path, "partner '" + l.redundantWith + "' is not a link in this file (links: " + names + ")");
      } else if (!l.interface.empty() && c.links[it->second].interface == l.interface) {
        r.error(mark, path, "partners '" + l.name + "' and '" + l.redundantWith + "' are both on interface " +
                                l.interface + ": that is no redundancy");
      }
    }
  }
  if (!r.errors.empty()) return tl::unexpected(r.errors);
  return c;
}

}  // namespace

const Link* Config::findLink(const std::string& name) const {
  for (const Link& l : links)
    if (l.name == name) return &l;
  return nullptr;
}

std::string Error::toString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  s += ": ";
  if (!key.empty()) s += key + ": ";
  return s + message;
}

std::string formatErrors(const Errors& errors) {
  std::string s;
  for (const Error& e : errors) s += e.toString() + "\n";
  return s;
}

namespace {

// Where `text` stops being UTF-8 (1-based line and column of the first bad byte), or
// nullopt. yaml-cpp reads such a file as empty, which read as "nothing is configured".
std::optional<std::pair<int, int>> invalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  int line = 1, column = 1;
  while (p < end) {
    size_t n = utf8Length(p, end);
    if (n == 0) return std::pair{line, column};
    if (*p == '\n') ++line, column = 0;
    p += n, ++column;
  }
  return std::nullopt;
}

// The 1-based line of a document marker after the first document's content, 0 for none.
int secondDocumentLine(std::string_view text) {
  bool content = false;
  int line = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line;
    bool marker = l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    if (marker && content) return line;
    size_t first = l.find_first_not_of(" \t\r");
    if (marker || first == std::string_view::npos || l[first] == '#' || (first == 0 && l[0] == '%')) continue;
    content = true;
  }
  return 0;
}

}  // namespace

Result fromString(const std::string& yaml, const std::string& name) {
  try {
    // One document: what follows a second '---' would be silently left out. Found by its
    // marker (a line starting '---' can be nothing else in YAML) rather than by
    // YAML::LoadAll, which yaml-cpp 0.7 can loop in forever on invalid UTF-8 (the fuzzer).
    if (auto at = invalidUtf8(yaml))
      return tl::unexpected(Errors{{name, at->first, at->second, "",
                                    "not UTF-8 text here: save the file as UTF-8 (an editor or a copy from a "
                                    "console may have changed its encoding)"}});
    if (int line = secondDocumentLine(yaml))
      return tl::unexpected(Errors{{name, line, 1, "",
                                    "a second YAML document ('---'): linkready reads one; put every link in the "
                                    "first"}});
    return parse(YAML::Load(yaml), name);
  } catch (const YAML::Exception& e) {
    return tl::unexpected(Errors{{name, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax: " + e.msg}});
  }
}

Result fromFile(const std::string& path) {
  // A directory opens and reads as empty: it would say "nothing is configured".
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return tl::unexpected(Errors{{path, 0, 0, "", "is a directory: give the config file in it (" +
                                                      (path.back() == '/' ? path : path + "/") + "linkready.yaml)"}});
  std::ifstream in(path);
  if (!in) {
    return tl::unexpected(Errors{{path, 0, 0, "", std::string("cannot read the config file: ") + strerror(errno)}});
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return fromString(ss.str(), path);
}

}  // namespace linkready::config
