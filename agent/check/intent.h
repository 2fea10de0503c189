// Intent from the clouds turned into linkready links, and the clouds' records judged
// against each other before anyone goes to the cage. Pure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "config/config.h"
#include "probes/cloud/cloud_facts.h"

namespace linkready::intent {

using cloud::BgpGroup;
using cloud::BgpPeer;
using cloud::EquinixConnection;
using cloud::EquinixPort;
using cloud::Intent;
using cloud::PhysicalConnection;
using cloud::Vbr;

struct ImportOptions {
  std::string interface = "CHANGEME";  // the router port; intent cannot know it
  std::string md5KeyDir = "/etc/linkready/keys";
};

// One link's worth of intent, with where each value came from.
struct Draft {
  config::Link link;
  std::vector<std::pair<std::string, std::string>> comments;  // key -> source
  std::string md5Note;
  const EquinixConnection* equinix = nullptr;  // the connection matched to this VBR, if any
};

struct Drafts {
  std::vector<Draft> links;  // one per VBR
  std::vector<std::string> unmatched;  // Equinix connections no VBR could be matched to, and why
};

// One draft per VBR, each with the Equinix connection that carries it (matched by VBR id or
// physical connection id in its name, then by zSide VLAN = the VBR's or its physical
// connection's VlanId), or an error naming the field that cannot be turned into config.
tl::expected<Drafts, std::string> drafts(const Intent& intent, const ImportOptions& options);

// For each VBR (same order), the Equinix connection carrying it, or null; `unmatched` gets
// the connections that fit no VBR (or several), `why` the reason of each match.
std::vector<const EquinixConnection*> matchEquinix(const Intent& intent, std::vector<std::string>& unmatched,
                                                   std::vector<std::string>& why);

// The port object of an Equinix connection's aSide, when one was given.
const EquinixPort* portOf(const Intent& intent, const EquinixConnection& connection);
// "cross-connect 22035616, demarc patch panel PP:Demarc:00002204 ports 17/18 (IBX SY4)"
std::string coloIds(const EquinixPort& port);

// Our address and the VBR's subnet: PeerGatewayIp with PeeringSubnetMask as Alibaba gives
// it (255.255.255.252, /30, or 10.0.0.2/30); nullopt when they do not make one.
std::optional<IpPrefix> vbrSubnet(const Vbr& vbr);

// As config links (for `check --intent`).
tl::expected<std::vector<config::Link>, std::string> toLinks(const Intent& intent, const ImportOptions& options);

}  // namespace linkready::intent
