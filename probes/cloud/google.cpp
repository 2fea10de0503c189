// Google Compute answers, as gcloud prints them (--format=json, or its default YAML read
// into the same tree) and as the REST API returns them: interconnects.getDiagnostics,
// interconnects.get and routers.getRouterStatus. int64 fields come as strings, uint32 as
// numbers: both forms are read everywhere. Enum values are kept as text.
#include "probes/cloud/json_at.h"

namespace linkready::cloud::detail {

namespace {

GoogleOpticalPower opticalPower(const At& a) { return {a["value"].real(), a["state"].str()}; }

std::vector<GoogleArpEntry> arpCaches(const At& a) {
  std::vector<GoogleArpEntry> out;
  for (const At& e : a.items()) out.push_back({e["ipAddress"].str(), e["macAddress"].str()});
  return out;
}

void readDiagnostics(const At& r, Intent& in) {
  GoogleDiagnostics d;
  d.source = r.file + ": " + r.path;
  d.macAddress = r["macAddress"].str();
  d.bundleAggregationType = r["bundleAggregationType"].str();
  d.bundleOperationalStatus = r["bundleOperationalStatus"].str();
  d.arpCaches = arpCaches(r["arpCaches"]);
  for (const At& l : r["links"].items()) {
    GoogleLinkDiagnostics x;
    x.source = l.file + ": " + l.path;
    x.circuitId = l["circuitId"].str();
    x.googleDemarc = l["googleDemarc"].str();
    x.operationalStatus = l["operationalStatus"].str();
    x.lacpState = l["lacpStatus"]["state"].str();
    x.googleSystemId = l["lacpStatus"]["googleSystemId"].str();
    x.neighborSystemId = l["lacpStatus"]["neighborSystemId"].str();
    x.rx = opticalPower(l["receivingOpticalPower"]);
    x.tx = opticalPower(l["transmittingOpticalPower"]);
    x.arpCaches = arpCaches(l["arpCaches"]);
    x.macsecOperational = l["macsec"]["operational"].boolean();
    if (x.circuitId.empty()) l["circuitId"].fail("a link without circuitId");
    d.links.push_back(x);
  }
  in.googleDiagnostics.push_back(d);
}

void readInterconnect(const At& r, Intent& in) {
  GoogleInterconnect x;
  x.source = r.file + ": " + r.path;
  x.name = r["name"].str();
  x.interconnectType = r["interconnectType"].str();
  x.linkType = r["linkType"].str();
  x.location = r["location"].str();
  x.remoteLocation = r["remoteLocation"].str();
  x.operationalStatus = r["operationalStatus"].str();
  x.state = r["state"].str();
  x.adminEnabled = r["adminEnabled"].boolean();
  x.requestedLinkCount = r["requestedLinkCount"].u32();
  x.provisionedLinkCount = r["provisionedLinkCount"].u32();
  (void)r["id"].str();  // uint64 as a string: read as text, never as a double
  for (const At& c : r["circuitInfos"].items())
    x.circuits.push_back({c["googleCircuitId"].str(), c["googleDemarcId"].str(), c["customerDemarcId"].str()});
  for (const At& o : r["expectedOutages"].items()) {
    GoogleOutage g;
    g.name = o["name"].str();
    g.issueType = o["issueType"].str();
    g.state = o["state"].str();
    g.description = o["description"].str();
    for (const At& c : o["affectedCircuits"].items()) g.affectedCircuits.push_back(c.str());
    g.startMs = o["startTime"].u64();
    g.endMs = o["endTime"].u64();
    x.expectedOutages.push_back(g);
  }
  in.googleInterconnects.push_back(x);
}

void readRouterStatus(const At& r, Intent& in) {
  GoogleRouterStatus s;
  s.source = r.file + ": " + r.path;
  s.network = r["network"].str();
  for (const At& p : r["bgpPeerStatus"].items()) {
    GoogleBgpPeerStatus x;
    x.source = p.file + ": " + p.path;
    x.name = p["name"].str();
    x.ipAddress = p["ipAddress"].str();
    x.peerIpAddress = p["peerIpAddress"].str();
    x.status = p["status"].str();
    x.state = p["state"].str();
    x.statusReason = p["statusReason"].str();
    x.numLearnedRoutes = p["numLearnedRoutes"].u32();
    x.uptime = p["uptime"].str();
    x.uptimeSeconds = p["uptimeSeconds"].u64();
    x.md5AuthEnabled = p["md5AuthEnabled"].boolean();
    if (p.has("bfdStatus") && !p["bfdStatus"].v.is_null()) {
      At b = p["bfdStatus"];
      GoogleBfdStatus bfd;
      bfd.initializationMode = b["bfdSessionInitializationMode"].str();
      bfd.localState = b["localState"].str();
      bfd.localDiagnostic = b["localDiagnostic"].str();
      bfd.numRx = b["controlPacketCounts"]["numRx"].u64();
      bfd.numTx = b["controlPacketCounts"]["numTx"].u64();
      bfd.uptimeMs = b["uptimeMs"].u64();
      x.bfd = bfd;
    }
    s.peers.push_back(x);
  }
  in.googleRouters.push_back(s);
}

}  // namespace

// Recognised by shape: gcloud prints get-diagnostics and get-status with their `result`
// wrapper (and `kind` on the router), the API too; the MACsec doc's sample has none.
bool readGoogle(const At& root, Intent& in) {
  std::string kind = root.v.is_object() && root["kind"].v.is_string() ? root["kind"].str() : "";
  At r = root.has("result") && root["result"].v.is_object() ? root["result"] : root;
  if (kind == "compute#routerStatusResponse" || r.has("bgpPeerStatus")) {
    readRouterStatus(r, in);
  } else if (kind == "compute#interconnect" || root.has("circuitInfos") ||
             (root.has("interconnectType") && root.has("linkType"))) {
    readInterconnect(root, in);
  } else if (r.has("links") && (r.has("bundleOperationalStatus") || r.has("bundleAggregationType") || r.has("macAddress"))) {
    readDiagnostics(r, in);
  } else {
    return false;
  }
  return true;
}

}  // namespace linkready::cloud::detail
