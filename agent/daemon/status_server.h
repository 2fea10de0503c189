// The agent's local HTTP endpoint (cpp-httplib): GET /v1/status, /healthz, /metrics, /v1/history[/LINK].
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace linkready {

struct HttpAnswer {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
};

class StatusServer {
 public:
  using Handler = std::function<HttpAnswer(const std::string& path)>;
  StatusServer();
  ~StatusServer();
  // Binds and serves in a thread; returns an error when the address cannot be bound.
  std::string start(const std::string& host, uint16_t port, Handler handler);
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace linkready
