// `status`: the running agent's view, from its local endpoint; no privileges needed.
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "agent/cli/commands.h"
#include "agent/daemon/http_client.h"
#include "agent/render/render.h"

namespace linkready::cli {

namespace {

// The agent's overall status as an exit code; UNKNOWN when the answer does not say.
int statusCode(const nlohmann::json& j) {
  auto it = j.is_object() ? j.find("status_code") : j.end();
  if (it == j.end() || !it->is_number_integer()) return int(Status::Unknown);
  int code = it->get<int>();
  return code >= 0 && code <= 3 ? code : int(Status::Unknown);
}

}  // namespace

std::optional<std::string> fetchFromAgent(const config::Agent& agent, const std::string& path) {
  std::string host = agent.listenHost.find(':') != std::string::npos ? "[" + agent.listenHost + "]" : agent.listenHost;
  std::string url = "http://" + host + ":" + std::to_string(agent.listenPort) + path;
  HttpRequest req;
  req.url = url;
  req.timeout = std::chrono::milliseconds(5000);
  HttpResponse res = httpExchange(req);
  if (res.status == 0) {
    std::cerr << "linkready: no agent answers on " << url << ": " << res.error
              << " (is linkready.service running? systemctl status linkready)\n";
    return std::nullopt;
  }
  if (res.status != 200) {
    std::cerr << "linkready: the agent answered HTTP " << res.status << ": " << res.body;
    return std::nullopt;
  }
  return res.body;
}

namespace {

// GET /v1/status from the agent's local endpoint; nullopt after saying why on stderr.
std::optional<nlohmann::json> fetchStatus(const config::Agent& agent) {
  auto body = fetchFromAgent(agent, "/v1/status");
  if (!body) return std::nullopt;
  auto j = nlohmann::json::parse(*body, nullptr, false);
  if (j.is_discarded()) {
    std::cerr << "linkready: the agent's answer is not JSON\n";
    return std::nullopt;
  }
  return j;
}

}  // namespace

int runStatus(const ConfigArg& config, bool json) {
  auto cfg = loadConfig(config.path);
  if (!cfg) return kExitUsage;
  if (!cfg->agent.listenPort) {
    std::cerr << "linkready: the agent serves no status (agent.listen: off in " << config.path << ")\n";
    return kExitUsage;
  }
  std::optional<nlohmann::json> j = fetchStatus(cfg->agent);
  if (!j) return int(Status::Unknown);
  if (json) {
    std::cout << j->dump(2) << "\n";
    return statusCode(*j);
  }
  auto report = reportFromJson(*j);
  if (!report) {
    std::cerr << "linkready: " << report.error() << "\n";
    return int(Status::Unknown);
  }
  std::cout << renderText(*report, TextStyle{wantColour(STDOUT_FILENO)});
  return statusCode(*j);
}

}  // namespace linkready::cli
