#include "probes/bgp/frr_json.h"

#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "config/net/utf8.h"

namespace linkready::bgp {

namespace {

using nlohmann::json;

// What was found instead, for the error: the kind of a container, the value of a scalar.
std::string seenText(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "a list";
  std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);  // never throws
  return text.size() > 40 ? text.substr(0, 40) + "..." : text;
}

// The JSON path (RFC 6901) of a member: "/default/10.0.0.1/peerBfdInfo".
std::string child(const std::string& path, std::string_view key) {
  std::string out = path + "/";
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child(const std::string& path, size_t index) { return path + "/" + std::to_string(index); }

// Reads the fields of one FRR answer. FRR renames keys between releases, so each field
// names its spellings; a missing field is a default, but a field of a shape nothing
// expects (an object where a string belongs, a number that is not one) is kept as the
// answer's error, naming its JSON path: the decoder returns it instead of guessing.
class Fields {
 public:
  explicit Fields(std::string what) : what_(std::move(what)) {}

  bool failed() const { return !error_.empty(); }
  tl::unexpected<std::string> error() const { return tl::unexpected(what_ + ": " + error_); }

  void fail(const std::string& path, const char* expected, const json& seen) {
    if (error_.empty()) error_ = (path.empty() ? std::string("/") : path) + ": expected " + expected + ", found " + seenText(seen);
  }

  // The first present spelling and its path; null if none.
  const json* pick(const json& obj, const std::string& path, std::initializer_list<const char*> keys,
                   std::string* at = nullptr) {
    if (!obj.is_object()) return nullptr;
    for (const char* k : keys)
      if (auto it = obj.find(k); it != obj.end() && !it->is_null()) {
        if (at) *at = child(path, k);
        return &*it;
      }
    return nullptr;
  }

  std::string str(const json& obj, const std::string& path, std::initializer_list<const char*> keys,
                  std::string fallback = "") {
    std::string at;
    const json* v = pick(obj, path, keys, &at);
    if (!v) return fallback;
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number() || v->is_boolean()) return v->dump();
    fail(at, "a string", *v);
    return fallback;
  }

  // Numbers as numbers or as strings; ASNs also in asdot ("1.10" = 65546) as FRR 9.1+
  // prints them under `bgp as-notation dot`. A negative number counts as absent.
  std::optional<uint64_t> num(const json& obj, const std::string& path, std::initializer_list<const char*> keys) {
    std::string at;
    const json* v = pick(obj, path, keys, &at);
    if (!v) return std::nullopt;
    if (v->is_number_unsigned()) return v->get<uint64_t>();
    if (v->is_number_integer()) {
      int64_t i = v->get<int64_t>();
      return i < 0 ? std::nullopt : std::optional<uint64_t>(uint64_t(i));
    }
    if (v->is_number_float()) {
      double d = v->get<double>();
      if (d >= 0 && d < 18446744073709551616.0) return uint64_t(d);  // else NaN, negative or too big
      if (d < 0) return std::nullopt;
    } else if (v->is_string()) {
      if (auto n = numberText(v->get_ref<const std::string&>())) return n;
    }
    fail(at, "a number", *v);
    return std::nullopt;
  }

  bool flag(const json& obj, const std::string& path, std::initializer_list<const char*> keys) {
    std::string at;
    const json* v = pick(obj, path, keys, &at);
    if (!v) return false;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_string()) return !v->get_ref<const std::string&>().empty();
    if (v->is_number()) return *v != 0;
    fail(at, "a boolean", *v);
    return false;
  }

  // A nested object; null when absent or of another shape (the latter is an error).
  const json* object(const json& obj, const std::string& path, const char* key, std::string* at) {
    const json* v = pick(obj, path, {key}, at);
    if (v && !v->is_object()) {
      fail(*at, "an object", *v);
      return nullptr;
    }
    return v;
  }

 private:
  static std::optional<uint64_t> numberText(const std::string& s) {
    uint64_t hi = 0, lo = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), hi);
    if (ec != std::errc()) return std::nullopt;
    if (p == s.data() + s.size()) return hi;
    if (*p == '.') {
      auto [p2, ec2] = std::from_chars(p + 1, s.data() + s.size(), lo);
      if (ec2 == std::errc() && p2 == s.data() + s.size() && hi <= 0xffff && lo <= 0xffff) return (hi << 16) | lo;
    }
    return std::nullopt;
  }

  std::string what_;
  std::string error_;
};

// FRR writes strings through json-c, which passes a description's or a route-map name's
// bytes on as they were typed (Latin-1 from an old terminal, say). nlohmann refuses the
// whole document for one such byte, so each byte that starts no valid UTF-8 sequence
// becomes U+FFFD: one odd description must not cost every session its verdicts.
std::string_view validUtf8(std::string_view text, std::string& repaired) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  const auto* p = begin;
  while (p < end) {
    size_t n = utf8Length(p, end);
    if (n == 0) break;
    p += n;
  }
  if (p == end) return text;  // the usual case: no copy
  repaired.assign(text.data(), size_t(p - begin));
  while (p < end) {
    size_t n = utf8Length(p, end);
    if (n == 0) {
      repaired += "\xef\xbf\xbd";
      ++p;
    } else {
      repaired.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return repaired;
}

tl::expected<json, std::string> parse(std::string_view raw, const char* what) {
  std::string repaired;
  std::string_view text = validUtf8(raw, repaired);
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    std::string start(text.substr(0, 80));
    return tl::unexpected(std::string(what) + ": not JSON: '" + start + (text.size() > 80 ? "...'" : "'"));
  }
  return j;
}

// The answer as a JSON object; anything else is the error, naming what was found.
tl::expected<json, std::string> parseObject(std::string_view text, const std::string& what) {
  auto j = parse(text, what.c_str());
  if (j && !j->is_object()) {
    Fields in(what);
    in.fail("", "an object", *j);
    return in.error();
  }
  return j;
}

bool looksLikeNeighbor(const json& v) {
  return v.is_object() && (v.contains("bgpState") || v.contains("remoteAs") || v.contains("state"));
}

void decodeFamilies(Fields& in, const json& afs, const std::string& path, Neighbor& x) {
  for (auto it = afs.begin(); it != afs.end(); ++it) {
    std::string at = child(path, it.key());
    if (!it->is_object()) {
      in.fail(at, "an object", *it);
      return;
    }
    AddressFamilyInfo af;
    af.acceptedPrefixes = uint32_t(in.num(*it, at, {"acceptedPrefixCounter", "acceptedPrefixes"}).value_or(0));
    if (auto s = in.num(*it, at, {"sentPrefixCounter", "sentPrefixes"})) af.sentPrefixes = uint32_t(*s);
    if (auto m = in.num(*it, at, {"prefixAllowedMax"})) af.maxPrefixes = uint32_t(*m);
    af.maxPrefixesWarningOnly = in.flag(*it, at, {"prefixAllowedMaxWarning"});
    if (auto r = in.num(*it, at, {"prefixAllowedRestartIntervalMsecs"})) af.maxPrefixesRestartMs = uint64_t(*r);
    af.inboundPolicyMissing = in.flag(*it, at, {"inboundEbgpRequiresPolicy"});
    af.outboundPolicyMissing = in.flag(*it, at, {"outboundEbgpRequiresPolicy"});
    x.families[it.key()] = af;
  }
}

Neighbor decodeNeighbor(Fields& in, const std::string& vrf, const std::string& address, const json& n,
                        const std::string& path) {
  Neighbor x;
  x.vrf = vrf;
  x.address = address;
  x.remoteAs = uint32_t(in.num(n, path, {"remoteAs", "remoteAsn"}).value_or(0));
  x.localAs = uint32_t(in.num(n, path, {"localAs", "localAsn"}).value_or(0));
  x.state = in.str(n, path, {"bgpState", "state"});
  x.adminShutdown = in.flag(n, path, {"adminShutDown", "adminShutdown"});
  x.prefixLimitExceeded = in.flag(n, path, {"prefixesConfigExceedMax"});
  x.upMs = in.num(n, path, {"bgpTimerUpMsec", "peerUptimeMsec"}).value_or(0);
  x.establishedEpoch = in.num(n, path, {"bgpTimerUpEstablishedEpoch", "peerUptimeEstablishedEpoch"});
  x.connectionsEstablished = uint32_t(in.num(n, path, {"connectionsEstablished"}).value_or(0));
  x.connectionsDropped = uint32_t(in.num(n, path, {"connectionsDropped"}).value_or(0));
  x.lastResetDueTo = in.str(n, path, {"lastResetDueTo", "lastResetReason"});
  x.lastResetCode = int(in.num(n, path, {"lastResetCode"}).value_or(uint64_t(-1)));
  x.lastNotificationReason = in.str(n, path, {"lastNotificationReason"});
  x.lastErrorCodeSubcode = in.str(n, path, {"lastErrorCodeSubcode"});
  x.holdTimeMs = uint32_t(in.num(n, path, {"bgpTimerHoldTimeMsecs"}).value_or(0));
  x.configuredHoldTimeMs = uint32_t(in.num(n, path, {"bgpTimerConfiguredHoldTimeMsecs"}).value_or(0));
  x.externalLink = in.flag(n, path, {"nbrExternalLink"});
  if (auto h = in.num(n, path, {"externalBgpNbrMaxHopsAway"})) x.maxHopsAway = int(*h);
  std::string at;
  if (const json* stats = in.object(n, path, "messageStats", &at)) {
    x.notificationsSent = uint32_t(in.num(*stats, at, {"notificationsSent"}).value_or(0));
    x.notificationsReceived = uint32_t(in.num(*stats, at, {"notificationsRecv", "notificationsReceived"}).value_or(0));
  }
  if (const json* b = in.object(n, path, "peerBfdInfo", &at)) {
    PeerBfdInfo bfd;
    bfd.type = in.str(*b, at, {"type"});
    bfd.status = in.str(*b, at, {"status"});
    bfd.detectMultiplier = uint32_t(in.num(*b, at, {"detectMultiplier"}).value_or(0));
    bfd.rxMinIntervalMs = uint32_t(in.num(*b, at, {"rxMinInterval"}).value_or(0));
    bfd.txMinIntervalMs = uint32_t(in.num(*b, at, {"txMinInterval"}).value_or(0));
    x.bfd = bfd;
  }
  if (const json* afs = in.object(n, path, "addressFamilyInfo", &at)) decodeFamilies(in, *afs, at, x);
  return x;
}

void addPeers(Fields& in, const std::string& vrf, const json& obj, const std::string& path, std::vector<Neighbor>& out) {
  for (auto it = obj.begin(); it != obj.end() && !in.failed(); ++it)
    if (looksLikeNeighbor(*it)) out.push_back(decodeNeighbor(in, vrf, it.key(), *it, child(path, it.key())));
}

}  // namespace

tl::expected<std::vector<Neighbor>, std::string> parseNeighbors(std::string_view text) {
  const char* what = "show bgp vrf all neighbors json";
  auto j = parseObject(text, what);
  if (!j) return tl::unexpected(j.error());
  Fields in(what);
  std::vector<Neighbor> out;
  auto addPeersOf = [&](const std::string& vrf, const json& obj, const std::string& path) {
    addPeers(in, vrf, obj, path, out);
  };
  bool anyVrf = false;
  for (auto it = j->begin(); it != j->end(); ++it) {
    // A VRF level holds vrfId/vrfName and the peers; without it the peers are at the top.
    if (it->is_object() && (it->contains("vrfName") || it->contains("vrfId"))) {
      anyVrf = true;
      std::string path = child("", it.key());
      addPeersOf(in.str(*it, path, {"vrfName"}, it.key()), *it, path);
    }
  }
  if (!anyVrf) addPeersOf("default", *j, "");
  if (in.failed()) return in.error();
  return out;
}

tl::expected<std::vector<Neighbor>, std::string> parseVrfNeighbors(std::string_view text, const std::string& vrf) {
  std::string what = "show bgp vrf " + vrf + " neighbors json";
  auto j = parseObject(text, what);
  if (!j) return tl::unexpected(j.error());
  Fields in(what);
  std::vector<Neighbor> out;
  addPeers(in, vrf, *j, "", out);  // {"bgpNoSuchNeighbor":true} and {} (no such VRF) hold none
  if (in.failed()) return in.error();
  return out;
}

tl::expected<std::vector<Neighbor>, std::string> parseSummary(std::string_view text, const std::string& vrf) {
  std::string what = "show bgp vrf " + vrf + " summary json";
  auto j = parseObject(text, what);
  if (!j) return tl::unexpected(j.error());
  Fields in(what);
  // {"ipv4Unicast": {"peers": {PEER: {...}}, ...}, "ipv6Unicast": {...}}; a "warning" string
  // where FRR has nothing to list.
  std::vector<Neighbor> out;
  std::map<std::string, size_t> seen;  // peer -> its place in out
  for (auto it = j->begin(); it != j->end() && !in.failed(); ++it) {
    if (!it->is_object()) continue;
    std::string at = child("", it.key()), peersAt;
    const json* peers = in.object(*it, at, "peers", &peersAt);
    if (!peers) continue;
    for (auto p = peers->begin(); p != peers->end() && !in.failed(); ++p) {
      std::string pAt = child(peersAt, p.key());
      if (!p->is_object()) {
        in.fail(pAt, "an object", *p);
        break;
      }
      auto [place, first] = seen.emplace(p.key(), out.size());
      if (first) out.push_back(decodeNeighbor(in, vrf, p.key(), *p, pAt));
      // pfxRcd as text: FRR may print a word there ("(Policy)") where a number is expected.
      out[place->second].summaryLine += it.key() + " " + in.str(*p, pAt, {"state"}) + " " +
                                        in.str(*p, pAt, {"peerState"}) + " " + in.str(*p, pAt, {"localAs"}) + " " +
                                        in.str(*p, pAt, {"connectionsEstablished"}) + "/" +
                                        in.str(*p, pAt, {"connectionsDropped"}) + " " + in.str(*p, pAt, {"pfxRcd"}) +
                                        "/" + in.str(*p, pAt, {"pfxSnt"}) + ";";
    }
  }
  if (in.failed()) return in.error();
  return out;
}

tl::expected<std::vector<BfdPeer>, std::string> parseBfdPeers(std::string_view text) {
  const char* what = "show bfd peers json";
  auto j = parse(text, what);
  if (!j) return tl::unexpected(j.error());
  Fields in(what);
  if (!j->is_array()) {
    in.fail("", "a list", *j);
    return in.error();
  }
  std::vector<BfdPeer> out;
  for (size_t i = 0; i < j->size() && !in.failed(); ++i) {
    const json& p = (*j)[i];
    std::string at = child("", i);
    if (!p.is_object()) {
      in.fail(at, "an object", p);
      break;
    }
    BfdPeer b;
    b.peer = in.str(p, at, {"peer"});
    b.local = in.str(p, at, {"local"});
    b.vrf = in.str(p, at, {"vrf"}, "default");
    b.interface = in.str(p, at, {"interface"});
    b.multihop = in.flag(p, at, {"multihop"});
    b.status = in.str(p, at, {"status"});
    b.diagnostic = in.str(p, at, {"diagnostic"});
    b.remoteDiagnostic = in.str(p, at, {"remote-diagnostic"});
    b.uptimeS = uint32_t(in.num(p, at, {"uptime"}).value_or(0));
    b.detectMultiplier = uint32_t(in.num(p, at, {"detect-multiplier"}).value_or(0));
    b.receiveIntervalMs = uint32_t(in.num(p, at, {"receive-interval"}).value_or(0));
    b.transmitIntervalMs = uint32_t(in.num(p, at, {"transmit-interval"}).value_or(0));
    out.push_back(std::move(b));
  }
  if (in.failed()) return in.error();
  return out;
}

tl::expected<AdvertisedRoutes, std::string> parseAdvertisedRoutes(std::string_view text, uint32_t peerAs) {
  const char* what = "advertised-routes json";
  auto j = parse(text, what);
  if (!j) return tl::unexpected(j.error());
  Fields in(what);
  if (!j->is_object()) {
    in.fail("", "an object", *j);
    return in.error();
  }
  // FRR answers {"warning": "No such neighbor in this view/vrf"} instead of routes.
  if (in.pick(*j, "", {"warning"})) {
    std::string warning = in.str(*j, "", {"warning"});
    if (in.failed()) return in.error();
    return tl::unexpected("FRR: " + warning);
  }
  AdvertisedRoutes r;
  std::string at;
  const json* routes = in.object(*j, "", "advertisedRoutes", &at);
  if (in.failed()) return in.error();
  if (!routes) return r;  // nothing advertised
  std::string peerAsText = std::to_string(peerAs);
  for (auto it = routes->begin(); it != routes->end(); ++it) {
    std::string routeAt = child(at, it.key());
    if (!it->is_object()) {
      in.fail(routeAt, "an object", *it);
      return in.error();
    }
    ++r.total;
    std::string path = in.str(*it, routeAt, {"path", "aspath"});
    // The first AS of the path is where we learned the route; the peer's own AS there
    // means we only echo its routes back (it drops them as a loop).
    std::string firstAs = path.substr(0, path.find(' '));
    if (firstAs != peerAsText) {
      ++r.ours;
      r.ourPrefixes.push_back(in.str(*it, routeAt, {"network"}, it.key()));
    }
  }
  if (in.failed()) return in.error();
  return r;
}

std::optional<Md5Counters> parseTcpExtMd5(std::string_view netstat) {
  // Two lines per group: "TcpExt: Name1 Name2 ..." then "TcpExt: v1 v2 ...".
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < netstat.size()) {
    size_t nl = netstat.find('\n', pos);
    lines.push_back(netstat.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  auto words = [](std::string_view line) {
    std::vector<std::string_view> w;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      size_t j = line.find(' ', i);
      if (j == std::string_view::npos) j = line.size();
      if (j > i) w.push_back(line.substr(i, j - i));
      i = j;
    }
    return w;
  };
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("TcpExt:", 0) != 0 || lines[i + 1].rfind("TcpExt:", 0) != 0) continue;
    auto names = words(lines[i]);
    auto values = words(lines[i + 1]);
    if (names.size() != values.size()) return std::nullopt;
    Md5Counters c;
    bool any = false;
    for (size_t k = 1; k < names.size(); ++k) {
      uint64_t v = 0;
      std::from_chars(values[k].data(), values[k].data() + values[k].size(), v);
      if (names[k] == "TCPMD5NotFound") c.notFound = v, any = true;
      else if (names[k] == "TCPMD5Unexpected") c.unexpected = v, any = true;
      else if (names[k] == "TCPMD5Failure") c.failure = v, any = true;
    }
    return any ? std::optional<Md5Counters>(c) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace linkready::bgp
