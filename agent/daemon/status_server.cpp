#include "agent/daemon/status_server.h"

#include <httplib.h>

namespace linkready {

// Four workers (a Prometheus scrape, the orchestrator, a liveness probe, someone's curl),
// not httplib's default of eight: each idle thread costs its stack and, once it has
// allocated, memory.
StatusServer::StatusServer() : server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
}

StatusServer::~StatusServer() { stop(); }

std::string StatusServer::start(const std::string& host, uint16_t port, Handler handler) {
  auto serve = [handler](const httplib::Request& req, httplib::Response& res) {
    HttpAnswer a = handler(req.path);
    res.status = a.status;
    res.set_content(a.body, a.contentType.c_str());
  };
  for (const char* path : {"/v1/status", "/healthz", "/metrics", "/v1/history", R"(/v1/history/[^/]+)"})
    server_->Get(path, serve);
  server_->set_keep_alive_timeout(2);  // an idle keep-alive connection holds a worker
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  if (!server_->bind_to_port(host.c_str(), port))
    return "cannot listen on " + host + ":" + std::to_string(port) + " (address in use, or not local?)";
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return "";
}

void StatusServer::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace linkready
