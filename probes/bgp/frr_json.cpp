#include "probes/bgp/frr_json.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace linkready::bgp {

namespace {

using nlohmann::json;

// The first of several key spellings that is present (FRR renames keys between
// releases); null json if none.
const json* pick(const json& obj, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return nullptr;
  for (const char* k : keys)
    if (auto it = obj.find(k); it != obj.end() && !it->is_null()) return &*it;
  return nullptr;
}

std::string str(const json& obj, std::initializer_list<const char*> keys, std::string fallback = "") {
  const json* v = pick(obj, keys);
  if (!v) return fallback;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return fallback;
}

// Numbers as numbers or as strings; ASNs also in asdot ("1.10" = 65546) as FRR 9.1+
// prints them under `bgp as-notation dot`.
std::optional<uint64_t> num(const json& obj, std::initializer_list<const char*> keys) {
  const json* v = pick(obj, keys);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer()) {
    int64_t i = v->get<int64_t>();
    return i < 0 ? std::nullopt : std::optional<uint64_t>(uint64_t(i));
  }
  if (v->is_number_float()) return uint64_t(v->get<double>());
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    uint64_t hi = 0, lo = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), hi);
    if (ec != std::errc()) return std::nullopt;
    if (p == s.data() + s.size()) return hi;
    if (*p == '.') {
      auto [p2, ec2] = std::from_chars(p + 1, s.data() + s.size(), lo);
      if (ec2 == std::errc() && p2 == s.data() + s.size() && hi <= 0xffff && lo <= 0xffff) return (hi << 16) | lo;
    }
  }
  return std::nullopt;
}

bool flag(const json& obj, std::initializer_list<const char*> keys) {
  const json* v = pick(obj, keys);
  return v && ((v->is_boolean() && v->get<bool>()) || (v->is_string() && !v->get<std::string>().empty()));
}

tl::expected<json, std::string> parse(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    std::string start(text.substr(0, 80));
    return tl::unexpected(std::string(what) + ": not JSON: '" + start + (text.size() > 80 ? "...'" : "'"));
  }
  return j;
}

bool looksLikeNeighbor(const json& v) {
  return v.is_object() && (v.contains("bgpState") || v.contains("remoteAs") || v.contains("state"));
}

Neighbor decodeNeighbor(const std::string& vrf, const std::string& address, const json& n) {
  Neighbor x;
  x.vrf = vrf;
  x.address = address;
  x.remoteAs = uint32_t(num(n, {"remoteAs", "remoteAsn"}).value_or(0));
  x.localAs = uint32_t(num(n, {"localAs", "localAsn"}).value_or(0));
  x.state = str(n, {"bgpState", "state"});
  x.adminShutdown = flag(n, {"adminShutDown", "adminShutdown"});
  x.prefixLimitExceeded = flag(n, {"prefixesConfigExceedMax"});
  x.upMs = num(n, {"bgpTimerUpMsec", "peerUptimeMsec"}).value_or(0);
  x.connectionsEstablished = uint32_t(num(n, {"connectionsEstablished"}).value_or(0));
  x.connectionsDropped = uint32_t(num(n, {"connectionsDropped"}).value_or(0));
  x.lastResetDueTo = str(n, {"lastResetDueTo", "lastResetReason"});
  x.lastResetCode = int(num(n, {"lastResetCode"}).value_or(uint64_t(-1)));
  x.lastNotificationReason = str(n, {"lastNotificationReason"});
  x.lastErrorCodeSubcode = str(n, {"lastErrorCodeSubcode"});
  x.holdTimeMs = uint32_t(num(n, {"bgpTimerHoldTimeMsecs"}).value_or(0));
  x.configuredHoldTimeMs = uint32_t(num(n, {"bgpTimerConfiguredHoldTimeMsecs"}).value_or(0));
  x.externalLink = flag(n, {"nbrExternalLink"});
  if (auto h = num(n, {"externalBgpNbrMaxHopsAway"})) x.maxHopsAway = int(*h);
  if (const json* stats = pick(n, {"messageStats"})) {
    x.notificationsSent = uint32_t(num(*stats, {"notificationsSent"}).value_or(0));
    x.notificationsReceived = uint32_t(num(*stats, {"notificationsRecv", "notificationsReceived"}).value_or(0));
  }
  if (const json* b = pick(n, {"peerBfdInfo"}); b && b->is_object()) {
    PeerBfdInfo bfd;
    bfd.type = str(*b, {"type"});
    bfd.status = str(*b, {"status"});
    bfd.detectMultiplier = uint32_t(num(*b, {"detectMultiplier"}).value_or(0));
    bfd.rxMinIntervalMs = uint32_t(num(*b, {"rxMinInterval"}).value_or(0));
    bfd.txMinIntervalMs = uint32_t(num(*b, {"txMinInterval"}).value_or(0));
    x.bfd = bfd;
  }
  if (const json* afs = pick(n, {"addressFamilyInfo"}); afs && afs->is_object()) {
    for (auto it = afs->begin(); it != afs->end(); ++it) {
      if (!it->is_object()) continue;
      AddressFamilyInfo af;
      af.acceptedPrefixes = uint32_t(num(*it, {"acceptedPrefixCounter", "acceptedPrefixes"}).value_or(0));
      if (auto s = num(*it, {"sentPrefixCounter", "sentPrefixes"})) af.sentPrefixes = uint32_t(*s);
      if (auto m = num(*it, {"prefixAllowedMax"})) af.maxPrefixes = uint32_t(*m);
      af.inboundPolicyMissing = flag(*it, {"inboundEbgpRequiresPolicy"});
      af.outboundPolicyMissing = flag(*it, {"outboundEbgpRequiresPolicy"});
      x.families[it.key()] = af;
    }
  }
  return x;
}

void addPeers(const std::string& vrf, const json& obj, std::vector<Neighbor>& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (looksLikeNeighbor(*it)) out.push_back(decodeNeighbor(vrf, it.key(), *it));
}

}  // namespace

tl::expected<std::vector<Neighbor>, std::string> parseNeighbors(std::string_view text) {
  auto j = parse(text, "show bgp vrf all neighbors json");
  if (!j) return tl::unexpected(j.error());
  if (!j->is_object()) return tl::unexpected(std::string("show bgp vrf all neighbors json: $: expected an object"));
  std::vector<Neighbor> out;
  auto addPeersOf = [&](const std::string& vrf, const json& obj) { addPeers(vrf, obj, out); };
  bool anyVrf = false;
  for (auto it = j->begin(); it != j->end(); ++it) {
    // A VRF level holds vrfId/vrfName and the peers; without it the peers are at the top.
    if (it->is_object() && (it->contains("vrfName") || it->contains("vrfId"))) {
      anyVrf = true;
      addPeersOf(str(*it, {"vrfName"}, it.key()), *it);
    }
  }
  if (!anyVrf) addPeersOf("default", *j);
  return out;
}

tl::expected<std::vector<Neighbor>, std::string> parseVrfNeighbors(std::string_view text, const std::string& vrf) {
  std::string what = "show bgp vrf " + vrf + " neighbors json";
  auto j = parse(text, what.c_str());
  if (!j) return tl::unexpected(j.error());
  if (!j->is_object()) return tl::unexpected(what + ": $: expected an object");
  std::vector<Neighbor> out;
  addPeers(vrf, *j, out);  // {"bgpNoSuchNeighbor":true} and {} (no such VRF) hold none
  return out;
}

tl::expected<std::vector<BfdPeer>, std::string> parseBfdPeers(std::string_view text) {
  auto j = parse(text, "show bfd peers json");
  if (!j) return tl::unexpected(j.error());
  if (!j->is_array()) return tl::unexpected(std::string("show bfd peers json: $: expected a list"));
  std::vector<BfdPeer> out;
  for (const json& p : *j) {
    if (!p.is_object()) continue;
    BfdPeer b;
    b.peer = str(p, {"peer"});
    b.local = str(p, {"local"});
    b.vrf = str(p, {"vrf"}, "default");
    b.interface = str(p, {"interface"});
    b.multihop = flag(p, {"multihop"});
    b.status = str(p, {"status"});
    b.diagnostic = str(p, {"diagnostic"});
    b.remoteDiagnostic = str(p, {"remote-diagnostic"});
    b.uptimeS = uint32_t(num(p, {"uptime"}).value_or(0));
    b.detectMultiplier = uint32_t(num(p, {"detect-multiplier"}).value_or(0));
    b.receiveIntervalMs = uint32_t(num(p, {"receive-interval"}).value_or(0));
    b.transmitIntervalMs = uint32_t(num(p, {"transmit-interval"}).value_or(0));
    out.push_back(std::move(b));
  }
  return out;
}

tl::expected<AdvertisedRoutes, std::string> parseAdvertisedRoutes(std::string_view text, uint32_t peerAs) {
  auto j = parse(text, "advertised-routes json");
  if (!j) return tl::unexpected(j.error());
  if (pick(*j, {"warning"})) return tl::unexpected("FRR: " + str(*j, {"warning"}));
  AdvertisedRoutes r;
  const json* routes = pick(*j, {"advertisedRoutes"});
  if (!routes || !routes->is_object()) return r;  // nothing advertised
  std::string peerAsText = std::to_string(peerAs);
  for (auto it = routes->begin(); it != routes->end(); ++it) {
    ++r.total;
    std::string path = str(*it, {"path", "aspath"});
    // The first AS of the path is where we learned the route; the peer's own AS there
    // means we only echo its routes back (it drops them as a loop).
    std::string firstAs = path.substr(0, path.find(' '));
    if (firstAs != peerAsText) {
      ++r.ours;
      r.ourPrefixes.push_back(str(*it, {"network"}, it.key()));
    }
  }
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
