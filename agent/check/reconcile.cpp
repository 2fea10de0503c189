#include "agent/check/reconcile.h"

#include <algorithm>
#include <map>

#include "agent/check/eval_google.h"
#include "agent/check/intent.h"

namespace linkready::intent {

namespace {

using namespace cloud;

std::string norm(const std::string& s) { return normalizeEnum(s); }

struct Builder {
  Reconciliation r;
  void add(const std::string& subject, const std::string& connection, CheckResult c) {
    r.findings.push_back({subject, connection, std::move(c)});
  }
  void addAll(const std::string& subject, const std::string& connection, std::vector<CheckResult> cs) {
    for (auto& c : cs) add(subject, connection, std::move(c));
  }
};

const Vbr* vbrByAlibabaIp(const Intent& in, const std::string& ip) {
  for (const auto& v : in.vbrs)
    if (!ip.empty() && v.localGatewayIp == ip) return &v;
  return nullptr;
}

const PhysicalConnection* connectionById(const Intent& in, const std::string& id) {
  for (const auto& c : in.connections)
    if (!id.empty() && c.id == id) return &c;
  return nullptr;
}

std::string vbrOf(const Intent& in, const std::string& pcId) {
  for (const auto& v : in.vbrs)
    if (!pcId.empty() && v.physicalConnectionId == pcId) return v.id;
  return "";
}

void reconcileAlibaba(const Intent& in, Builder& b) {
  std::vector<std::string> unmatched, why;
  auto eqOf = matchEquinix(in, unmatched, why);
  for (size_t i = 0; i < in.vbrs.size(); ++i) {
    const Vbr& v = in.vbrs[i];
    std::string who = "VBR " + v.id, conn = v.physicalConnectionId;
    bool active = norm(v.status) == "active";
    b.add(who, conn, verdict(active ? Status::Ok : Status::Critical, "alibaba.vbr.status", Layer::Vlan,
                             who + (active ? " is active" : " is not active"), v.status, "active",
                             active ? "" : "the VBR is not usable yet: finish it in the Alibaba console (Express Connect > VBR)"));
    auto local = vbrSubnet(v);
    auto gw = IpAddress::parse(v.localGatewayIp);
    if ((!local || !gw) && !v.peerGatewayIp.empty())
      b.add(who, conn, verdict(Status::Unknown, "alibaba.vbr.subnet", Layer::Ip,
                               who + ": its addresses cannot be read",
                               "PeerGatewayIp '" + v.peerGatewayIp + "', PeeringSubnetMask '" + v.peeringSubnetMask +
                                   "', LocalGatewayIp '" + v.localGatewayIp + "'",
                               "an address and a mask each", "give the VBR as DescribeVirtualBorderRouters returns it"));
    if (local && gw) {
      bool same = local->contains(*gw);
      b.add(who, conn, verdict(same ? Status::Ok : Status::Critical, "alibaba.vbr.subnet", Layer::Ip,
                               who + (same ? ": gateway and our IP in one subnet" : ": LocalGatewayIp outside our subnet"),
                               v.localGatewayIp + " vs " + local->toString(), "both in one subnet",
                               same ? "" : "the VBR's Local/Peer IPs or the mask are wrong in the order"));
    }
    if (const EquinixConnection* eq = eqOf[i]; eq && eq->zSideTag && v.vlanId) {
      bool equal = *eq->zSideTag == *v.vlanId;
      b.add(who, conn, verdict(equal ? Status::Ok : Status::Critical, "equinix.vlan.zside", Layer::Vlan,
                               "Equinix zSide VLAN " + std::string(equal ? "matches " : "vs ") + who,
                               "zSide " + std::to_string(*eq->zSideTag) + ", VBR " + std::to_string(*v.vlanId),
                               "equal", equal ? "" : "verify that the VLAN ID on the Equinix side is the VLAN ID of the VBR"));
    }
  }
  for (const auto& u : unmatched)
    b.add("Equinix", "", verdict(Status::Unknown, "equinix.connection.vbr", Layer::Vlan, u, "no VBR matched",
                                 "one VBR per connection", "give the VBR of this connection, or name the connection after it"));
  for (const auto& pc : in.connections) {
    bool enabled = norm(pc.status) == "enabled";
    b.add("physical connection " + pc.id, pc.id,
          verdict(enabled ? Status::Ok : Status::Critical, "alibaba.pc.status", Layer::Link,
                  "physical connection " + pc.id + (enabled ? " is Enabled" : " is not Enabled"),
                  pc.status + (pc.loaStatus.empty() ? "" : ", LOA " + pc.loaStatus), "Enabled",
                  enabled ? "" : "LOA not approved, cross-connect not completed, or Confirm Delivery not done: follow "
                                 "the LOA flow in the Alibaba console"));
  }
}

void reconcileEquinix(const Intent& in, Builder& b) {
  for (const auto& eq : in.equinix) {
    std::string who = "Equinix connection " + (eq.name.empty() ? eq.uuid : eq.name);
    const EquinixPort* port = portOf(in, eq);
    std::string colo = port ? coloIds(*port) : "";
    std::string eqs = norm(eq.equinixStatus), ps = norm(eq.providerStatus);
    if (eqs.empty() && ps.empty()) {
      b.add(who, "", verdict(Status::Unknown, "equinix.connection.status", Layer::Vlan, who + ": no provisioning state",
                             "no operation.equinixStatus/providerStatus", "PROVISIONED/PROVISIONED",
                             "this looks like a create request, not the connection as Equinix reports it: "
                             "GET /fabric/v4/connections/{id}"));
    } else {
      bool ok = eqs == "provisioned" && (ps == "provisioned" || ps == "available");
      std::string hint;
      if (ps == "pendingapproval" || ps == "notavailable") hint = "accept the connection in the Alibaba console";
      else if (ps == "provisioning" || eqs == "provisioning") hint = "Equinix is still provisioning: wait, then check again";
      else if (ps == "failed" || eqs == "failed") hint = "provisioning failed: open a case with Equinix";
      else if (ps.find("delet") != std::string::npos || norm(eq.state) == "deprovisioned")
        hint = "the connection is being removed or was removed";
      else if (!ok) hint = "unknown state '" + eq.providerStatus + "': check the Equinix portal";
      if (!hint.empty() && !colo.empty()) hint += " (" + colo + ")";
      b.add(who, "", verdict(ok ? Status::Ok : Status::Critical, "equinix.connection.status", Layer::Vlan,
                             who + (ok ? " is provisioned" : " is not provisioned"),
                             "equinixStatus " + eq.equinixStatus + ", providerStatus " + eq.providerStatus,
                             "PROVISIONED/PROVISIONED", hint));
    }
    if (!port) continue;
    // The port's encapsulation must carry the connection's tags.
    std::string want = eq.aSideProtocol, have = port->encapsulationType;
    if (!want.empty() && !have.empty()) {
      bool fits = norm(want) == norm(have) || (norm(want) == "dot1q" && norm(have) == "qinq");
      b.add(who, "", verdict(fits ? Status::Ok : Status::Critical, "equinix.port.encapsulation", Layer::Vlan,
                             who + ": " + want + " on a " + have + " port", "port encapsulation " + have, want,
                             fits ? "" : "the connection's link protocol does not fit the port's encapsulation: "
                                         "order the connection on a " + want + " port (" + colo + ")"));
    }
    bool portUp = norm(port->state) == "active";
    for (const auto& pp : port->physicalPorts) portUp = portUp && norm(pp.operationalStatus) == "up";
    b.add(who, "", verdict(portUp ? Status::Ok : Status::Critical, "equinix.port.status", Layer::Link,
                           "Equinix port " + (port->name.empty() ? port->uuid : port->name) + (portUp ? " is up" : " is not up"),
                           "state " + port->state, "ACTIVE, physical ports UP",
                           portUp ? "" : "open a ticket with Equinix for the cross-connect: " + colo));
  }
}

// Google circuits -> Alibaba ports: declared by the port's CircuitCode (Google's circuit id
// entered on the Alibaba port) and by Google's customerDemarcId; observed by whose VBR
// answers ARP on the circuit (LocalGatewayIp in Google's arpCaches).
void mapCircuits(const Intent& in, Builder& b, std::map<std::string, std::string>& connectionOfCircuit) {
  std::map<std::string, std::string> byDemarc;
  for (const auto& ic : in.googleInterconnects)
    for (const auto& c : ic.circuits)
      if (connectionById(in, c.customerDemarcId)) byDemarc[c.googleCircuitId] = c.customerDemarcId;
  for (const auto& d : in.googleDiagnostics) {
    for (const auto& l : d.links) {
      CircuitMap m{l.circuitId, l.googleDemarc, "", "", "", false};
      std::string byCode;
      for (const auto& pc : in.connections)
        if (!pc.circuitCode.empty() && norm(pc.circuitCode) == norm(l.circuitId)) byCode = pc.id;
      // ARP seen on this circuit: the link's own cache, or the bundle's when it has one link.
      std::string byArp;
      const auto& arps = !l.arpCaches.empty() ? l.arpCaches : d.links.size() == 1 ? d.arpCaches : l.arpCaches;
      for (const auto& a : arps)
        if (const Vbr* v = vbrByAlibabaIp(in, a.ipAddress)) byArp = v->physicalConnectionId;
      std::string declared = !byCode.empty() ? byCode : byDemarc.count(l.circuitId) ? byDemarc[l.circuitId] : "";
      m.physicalConnectionId = declared.empty() ? byArp : declared;
      m.matchedBy = !byCode.empty() ? "CircuitCode" : byDemarc.count(l.circuitId) ? "customerDemarcId" : !byArp.empty() ? "ARP" : "";
      std::string who = google::circuitName(l);
      if (!byCode.empty() && byDemarc.count(l.circuitId) && byDemarc[l.circuitId] != byCode) {
        m.crossed = true;
        b.add(who, byCode, verdict(Status::Critical, "crosscloud.circuit.mapping", Layer::Link,
                                   who + ": Google and Alibaba name different ports",
                                   "Google's customerDemarcId " + byDemarc[l.circuitId] + ", but " + byCode +
                                       " carries CircuitCode " + l.circuitId,
                                   "one Alibaba port per circuit on both sides",
                                   "the circuit ids and the ports' circuit codes do not line up (a crossed pair): compare the "
                                   "LOA sent to Google for each port with the CircuitCode of each Alibaba port"));
      } else if (!declared.empty() && !byArp.empty() && byArp != declared) {
        m.crossed = true;
        b.add(who, declared, verdict(Status::Critical, "crosscloud.circuit.mapping", Layer::Link,
                                     who + ": crossed, the other port's VBR answers on it",
                                     "ARP from the VBR of " + byArp + " (" + vbrOf(in, byArp) + ")",
                                     declared + " (by " + m.matchedBy + ")",
                                     "the pair is crossed: the fibre of this circuit lands on the other Alibaba port. Swap the "
                                     "patches at the patch panel, or swap the VBRs' VLANs and IPs"));
      } else if (!m.physicalConnectionId.empty()) {
        b.add(who, m.physicalConnectionId, ok("crosscloud.circuit.mapping", Layer::Link,
                                              who + " lands on Alibaba port " + m.physicalConnectionId,
                                              m.physicalConnectionId + " (by " + m.matchedBy + (byArp.empty() ? "" : ", ARP agrees") + ")",
                                              "one Alibaba port per circuit"));
      } else if (!in.connections.empty()) {
        b.add(who, "", verdict(Status::Warning, "crosscloud.circuit.mapping", Layer::Link, who + ": no Alibaba port known for it",
                               "no port's CircuitCode is " + l.circuitId, "the Alibaba port of each Google circuit",
                               "enter Google's circuit id as the CircuitCode of the Alibaba port it was ordered for "
                               "(aliyun vpc ModifyPhysicalConnectionAttribute --CircuitCode), so a crossed pair shows"));
      }
      m.vbrId = vbrOf(in, m.physicalConnectionId);
      connectionOfCircuit[l.circuitId] = m.physicalConnectionId.empty() ? l.circuitId : m.physicalConnectionId;
      b.r.circuits.push_back(m);
    }
  }
}

void reconcileGoogle(const Intent& in, Builder& b) {
  std::map<std::string, std::string> connectionOfCircuit;
  mapCircuits(in, b, connectionOfCircuit);
  google::FarEnd far;
  bool crossCloud = !in.googleInterconnects.empty();
  for (const auto& ic : in.googleInterconnects) crossCloud = crossCloud && ic.crossCloud();
  if (crossCloud) far.name = "the Alibaba port";
  for (const auto& ic : in.googleInterconnects)
    b.addAll("interconnect " + ic.name, "", google::evaluateGoogleInterconnect(ic));
  for (const auto& d : in.googleDiagnostics) {
    for (const auto& l : d.links)
      b.addAll(google::circuitName(l), connectionOfCircuit[l.circuitId], google::evaluateGoogleLink(l, d, far));
    std::string conn = d.links.size() == 1 ? connectionOfCircuit[d.links[0].circuitId] : "";
    b.addAll("bundle", conn, google::evaluateGoogleBundle(d));
  }
  for (const auto& router : in.googleRouters) {
    for (const auto& p : router.peers) {
      // The peer's connection: its far-end IP is a VBR's LocalGatewayIp, or answers ARP on a circuit.
      std::string conn;
      const Vbr* v = vbrByAlibabaIp(in, p.peerIpAddress);
      if (v) conn = v->physicalConnectionId;
      for (const auto& d : in.googleDiagnostics)
        for (const auto& l : d.links)
          for (const auto& a : (l.arpCaches.empty() && d.links.size() == 1 ? d.arpCaches : l.arpCaches))
            if (conn.empty() && a.ipAddress == p.peerIpAddress) conn = connectionOfCircuit[l.circuitId];
      std::string who = "Cloud Router peer " + p.name;
      b.addAll(who, conn, google::evaluateGooglePeer(p));
      // The Cloud Router speaks from the VBR's Alibaba address to its Peer address: the two
      // ends' addresses swapped (symptom 13 of the field's table).
      if (!v)
        for (const auto& x : in.vbrs)
          if (!p.peerIpAddress.empty() && x.peerGatewayIp == p.peerIpAddress && x.localGatewayIp == p.ipAddress)
            b.add(who, x.physicalConnectionId,
                  verdict(Status::Critical, "crosscloud.bgp.addresses", Layer::Ip,
                          who + ": the Cloud Router and the VBR have their addresses the other way round",
                          "Cloud Router " + p.ipAddress + " -> peer " + p.peerIpAddress + "; " + x.id + " LocalGatewayIp " +
                              x.localGatewayIp + ", PeerGatewayIp " + x.peerGatewayIp,
                          "Cloud Router = the VBR's PeerGatewayIp, its peer = the VBR's LocalGatewayIp",
                          "swap Local and Peer IPs on one side (the VBR in the Alibaba console, or the attachment's "
                          "candidate addresses on Google's)"));
      if (v && !p.ipAddress.empty() && v->peerGatewayIp != p.ipAddress)
        b.add(who, conn, verdict(Status::Critical, "crosscloud.bgp.addresses", Layer::Ip,
                                 who + ": the Cloud Router's address is not the VBR's PeerGatewayIp",
                                 "Cloud Router " + p.ipAddress + ", " + v->id + " PeerGatewayIp " + v->peerGatewayIp,
                                 "equal", "the VBR's Peer IP must be the Cloud Router's address on the attachment"));
    }
  }
}

// The redundant pair: Alibaba ports naming each other, else the two Google circuits.
void judgePairs(const Intent& in, Builder& b) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < in.connections.size(); ++i)
    for (size_t j = i + 1; j < in.connections.size(); ++j) {
      const auto &x = in.connections[i], &y = in.connections[j];
      if ((!x.redundantId.empty() && x.redundantId == y.id) || (!y.redundantId.empty() && y.redundantId == x.id))
        pairs.push_back({x.id, y.id});
    }
  if (pairs.empty() && in.connections.empty()) {
    std::vector<std::string> circuits;
    for (const auto& m : b.r.circuits) circuits.push_back(m.circuitId);
    if (circuits.size() == 2) pairs.push_back({circuits[0], circuits[1]});
  }
  auto reportOf = [&](const std::string& conn) {
    std::vector<CheckResult> checks;
    for (const auto& f : b.r.findings)
      if (f.connection == conn) checks.push_back(f.check);
    if (checks.empty())
      checks.push_back(verdict(Status::Unknown, "crosscloud.connection", Layer::Link, conn + ": nothing known about it",
                               "no verdict", "its diagnostics and status", "give the files of this connection"));
    return finalizeLink(conn, "", std::move(checks));
  };
  for (const auto& [x, y] : pairs) {
    PairReport p = judgePair(reportOf(x), reportOf(y), std::nullopt);
    if (p.verdict == PairVerdict::Redundant) p.summary = "both connections ready: " + x + " and " + y;
    b.r.pairs.push_back(p);
  }
}

}  // namespace

Reconciliation reconcile(const Intent& in) {
  Builder b;
  reconcileAlibaba(in, b);
  reconcileEquinix(in, b);
  reconcileGoogle(in, b);
  judgePairs(in, b);
  for (const auto& f : b.r.findings) b.r.status = worse(b.r.status, f.check.status);
  return std::move(b.r);
}

}  // namespace linkready::intent
