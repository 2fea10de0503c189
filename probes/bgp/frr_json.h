// Pure decoders of FRR's JSON output (FRR 8.4, with the key renames of later releases
// where known) and of the kernel's TcpExt counters. Text in, structs out: no I/O, no
// logging, no throwing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "probes/bgp/bgp_facts.h"

namespace linkready::bgp {

// `show bgp vrf all neighbors json` (also accepts `show bgp neighbors json`, no VRF level).
tl::expected<std::vector<Neighbor>, std::string> parseNeighbors(std::string_view json);

// `show bgp vrf VRF neighbors [PEER] json`: the peers at the top, no VRF level; none for
// `{"bgpNoSuchNeighbor":true}` or `{}` (no such VRF).
tl::expected<std::vector<Neighbor>, std::string> parseVrfNeighbors(std::string_view json, const std::string& vrf);

// `show bgp vrf VRF summary [remote-as ASN | neighbor PEER] json`: each peer's line in the
// address families' summaries (state, resets, uptime), once per peer (the first family that
// lists it), with its line in every family as `summaryLine`. Empty when none is listed (no
// such peer, no such VRF: `{}`).
tl::expected<std::vector<Neighbor>, std::string> parseSummary(std::string_view json, const std::string& vrf);

// `show bfd peers json`.
tl::expected<std::vector<BfdPeer>, std::string> parseBfdPeers(std::string_view json);

// `show ip bgp neighbors X advertised-routes json` (and the ipv6 form). `peerAs` tells
// which routes were only reflected back to the peer.
tl::expected<AdvertisedRoutes, std::string> parseAdvertisedRoutes(std::string_view json, uint32_t peerAs);

// /proc/net/netstat: the TcpExt header and value lines.
std::optional<Md5Counters> parseTcpExtMd5(std::string_view netstat);

}  // namespace linkready::bgp
