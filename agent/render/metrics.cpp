#include "agent/render/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace linkready {

namespace {

std::string esc(const std::string& v) {
  std::string o;
  for (char c : v) {
    if (c == '\\' || c == '"') o.push_back('\\');
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o.push_back(c);
  }
  return o;
}

std::string num(double v) {
  if (std::isinf(v)) return v < 0 ? "-Inf" : "+Inf";
  if (std::isnan(v)) return "NaN";
  char b[40];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

class Writer {
 public:
  void family(const std::string& name, const char* type, const char* help) {
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void sample(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels, double v) {
    out_ << name;
    if (!labels.empty()) {
      out_ << "{";
      for (size_t i = 0; i < labels.size(); ++i)
        out_ << (i ? "," : "") << labels[i].first << "=\"" << esc(labels[i].second) << "\"";
      out_ << "}";
    }
    out_ << " " << num(v) << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string renderMetrics(const config::Config& cfg, const Report& report,
                          const std::map<std::string, Observation>& facts, const AgentCounters& c) {
  Writer w;
  std::map<std::string, std::string> interfaces;
  for (const auto& l : cfg.links) interfaces[l.name] = l.interface;
  // One module per port: links sharing a port (hosted connections on one trunk) read the
  // same module, whose series would otherwise be written once per link, duplicates that
  // Prometheus drops with an error. The first link's reading stands for the port.
  std::map<std::string, const Observation*> modules;
  for (const auto& [link, f] : facts)
    if (f.optics.applicable) modules.emplace(interfaces[link], &f);
  // Transceivers, per lane. No light: -Inf dBm (the documented rule; never -40, never NaN).
  struct Q {
    const char* name;
    const char* help;
  };
  const Q quantities[] = {
      {"linkready_transceiver_rx_power_dbm", "Received optical power per lane in dBm (-Inf: no light)."},
      {"linkready_transceiver_tx_power_dbm", "Transmitted optical power per lane in dBm (-Inf: no light)."},
      {"linkready_transceiver_tx_bias_current_amperes", "Laser bias current per lane."},
  };
  for (int qi = 0; qi < 3; ++qi) {
    w.family(quantities[qi].name, "gauge", quantities[qi].help);
    for (const auto& [interface, fp] : modules) {
      const Observation& f = *fp;
      if (!f.optics.module.corrupt.empty()) continue;
      for (const auto& lane : f.optics.module.lanes) {
        std::vector<std::pair<std::string, std::string>> l = {{"interface", interface},
                                                              {"lane", std::to_string(lane.number)}};
        if (qi == 0 && lane.rxPower) w.sample(quantities[qi].name, l, lane.rxPower->dbm().value_or(-INFINITY));
        if (qi == 1 && lane.txPower) w.sample(quantities[qi].name, l, lane.txPower->dbm().value_or(-INFINITY));
        if (qi == 2 && lane.biasMa) w.sample(quantities[qi].name, l, *lane.biasMa / 1000.0);
      }
    }
  }
  w.family("linkready_transceiver_temperature_celsius", "gauge", "Module temperature.");
  for (const auto& [interface, f] : modules)
    if (f->optics.module.temperatureC)
      w.sample("linkready_transceiver_temperature_celsius", {{"interface", interface}}, *f->optics.module.temperatureC);
  w.family("linkready_transceiver_supply_voltage_volts", "gauge", "Module supply voltage.");
  for (const auto& [interface, f] : modules)
    if (f->optics.module.vccV)
      w.sample("linkready_transceiver_supply_voltage_volts", {{"interface", interface}}, *f->optics.module.vccV);

  w.family("linkready_link_up", "gauge", "1 when the interface has carrier and is up.");
  w.family("linkready_link_carrier_changes_total", "counter", "Carrier changes counted by the kernel.");
  for (const auto& [link, f] : facts) {
    if (!f.link.iface) continue;
    w.sample("linkready_link_up", {{"link", link}, {"interface", f.link.iface->name}},
             f.link.iface->adminUp && f.link.iface->carrier ? 1 : 0);
    w.sample("linkready_link_carrier_changes_total", {{"link", link}, {"interface", f.link.iface->name}},
             f.link.iface->carrierChanges);
  }

  // BGP peer state as frr_exporter has it: 0 down, 1 established, 2 admin down.
  w.family("linkready_bgp_peer_state", "gauge", "BGP session to the VBR: 0 down, 1 established, 2 admin down.");
  for (const auto& l : cfg.links) {
    auto it = facts.find(l.name);
    if (!l.bgp || it == facts.end() || !it->second.bgp) continue;
    std::vector<std::string> peers = {l.bgp->peer.toString()};
    if (l.bgp->peer6) peers.push_back(l.bgp->peer6->toString());
    for (const auto& n : it->second.bgp->neighbors) {
      if (n.vrf != l.bgp->vrf || std::find(peers.begin(), peers.end(), n.address) == peers.end()) continue;
      double state = n.adminShutdown ? 2 : n.state == "Established" ? 1 : 0;
      w.sample("linkready_bgp_peer_state", {{"link", l.name}, {"peer", n.address}, {"vrf", n.vrf}}, state);
    }
  }

  w.family("linkready_check_status", "gauge", "Each check's status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
  for (const auto& l : report.links)
    for (const auto& chk : l.checks) w.sample("linkready_check_status", {{"link", l.name}, {"check", chk.id}}, int(chk.status));
  w.family("linkready_link_readiness", "gauge", "Each link's readiness: 0 READY, 1 DEGRADED, 2 NOT_READY.");
  for (const auto& l : report.links)
    w.sample("linkready_link_readiness", {{"link", l.name}}, l.readiness == Readiness::Ready ? 0 : l.readiness == Readiness::Degraded ? 1 : 2);

  w.family("linkready_probe_duration_seconds", "gauge", "How long each probe took in the last check.");
  for (const auto& p : report.probes) w.sample("linkready_probe_duration_seconds", {{"probe", p.probe}}, p.seconds);
  w.family("linkready_probe_success", "gauge", "1 when the probe could run in the last check.");
  for (const auto& p : report.probes) w.sample("linkready_probe_success", {{"probe", p.probe}}, p.success ? 1 : 0);

  w.family("linkready_checks_total", "counter", "Check runs since the agent started.");
  w.sample("linkready_checks_total", {}, double(c.checksRun));
  // For an alert on a stalled loop that holds for every interval (one check a minute or an hour).
  w.family("linkready_check_interval_seconds", "gauge", "The configured interval between full checks.");
  w.sample("linkready_check_interval_seconds", {}, cfg.agent.intervalMs / 1000.0);
  w.family("linkready_last_check_timestamp_seconds", "gauge", "When the last check was published (Unix time).");
  w.sample("linkready_last_check_timestamp_seconds", {}, double(c.lastCheckUnix));
  if (c.orchestratorConfigured) {
    w.family("linkready_reports_sent_total", "counter", "Readiness reports the orchestrator accepted (2xx).");
    w.sample("linkready_reports_sent_total", {}, double(c.reportsSent));
    w.family("linkready_reports_failed_total", "counter", "Delivery attempts that got no 2xx.");
    w.sample("linkready_reports_failed_total", {}, double(c.reportsFailed));
    w.family("linkready_reports_spooled_total", "counter", "Reports written to the spool.");
    w.sample("linkready_reports_spooled_total", {}, double(c.reportsSpooledTotal));
    w.family("linkready_reports_spooled", "gauge", "Reports in the spool, not yet delivered.");
    w.sample("linkready_reports_spooled", {}, double(c.spoolEntries));
    w.family("linkready_spool_bytes", "gauge", "Bytes in the spool.");
    w.sample("linkready_spool_bytes", {}, double(c.spoolBytes));
    w.family("linkready_reports_dropped_total", "counter", "Reports evicted by the spool's size cap.");
    w.sample("linkready_reports_dropped_total", {{"kind", "heartbeat"}}, double(c.droppedHeartbeats));
    w.sample("linkready_reports_dropped_total", {{"kind", "change"}}, double(c.droppedChanges));
    w.family("linkready_reports_rejected_total", "counter",
             "Reports the orchestrator refused for good (4xx but 408, 425, 429), moved to the dead-letter directory.");
    w.sample("linkready_reports_rejected_total", {}, double(c.reportsRejected));
    w.family("linkready_reports_coalesced_total", "counter",
             "Heartbeats superseded by a newer heartbeat of the same link before they were delivered.");
    w.sample("linkready_reports_coalesced_total", {}, double(c.coalescedHeartbeats));
    w.family("linkready_spool_write_errors_total", "counter",
             "Reports that could not be written to the spool (disk full, directory not writable): lost.");
    w.sample("linkready_spool_write_errors_total", {}, double(c.spoolWriteErrors));
    w.family("linkready_spool_quarantined_total", "counter",
             "Spool files that were not readable reports, moved to the dead-letter directory.");
    w.sample("linkready_spool_quarantined_total", {}, double(c.spoolQuarantined));
    w.family("linkready_spool_writable", "gauge", "1 while the spool can store reports, 0 when it cannot.");
    w.sample("linkready_spool_writable", {}, c.spoolWritable ? 1 : 0);
    w.family("linkready_last_delivery_timestamp_seconds", "gauge", "When a report was last accepted (Unix time).");
    w.sample("linkready_last_delivery_timestamp_seconds", {}, double(c.lastDeliveryUnix));
  }
  return w.str();
}

}  // namespace linkready
