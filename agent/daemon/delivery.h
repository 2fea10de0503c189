// Delivery of spooled reports to the orchestrator: an HTTP POST per report (libcurl, TLS
// verified, bearer token, idempotency key), in sequence order, removed from the spool
// only on a 2xx, retried with capped exponential backoff and jitter. At least once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/daemon/spool.h"
#include "config/config.h"

namespace linkready {

struct PostResult {
  long httpStatus = 0;   // 0: no HTTP answer at all
  std::string error;     // transport error (refused, timeout, reset, TLS)
  bool ok() const { return httpStatus >= 200 && httpStatus < 300; }
};

// The I/O interface behind delivery; libcurl in production.
class Poster {
 public:
  virtual ~Poster() = default;
  virtual PostResult post(const std::string& body, const std::string& idempotencyKey) = 0;
};

// `token` is sent as "Authorization: Bearer <token>" when not empty.
std::unique_ptr<Poster> makeCurlPoster(const config::Orchestrator& o, std::string token);

// The delay before retry `attempt` (1-based): min(cap, base * 2^(attempt-1)), half of it
// fixed and half random ("equal jitter"). Pure but for the random source.
std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       double random01);

struct DeliveryCounters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> failed{0};        // attempts that did not get a 2xx
  std::atomic<int64_t> lastSuccessUnix{0};
};

class Sender {
 public:
  Sender(Spool& spool, std::unique_ptr<Poster> poster, std::chrono::milliseconds backoffCap);
  ~Sender();
  void start();
  // Wakes the sender: there is something new in the spool.
  void wake();
  // Stops after the POST in flight (if any) is answered or times out.
  void stop();
  // Swaps the poster (a reloaded config); takes effect from the next attempt.
  void setPoster(std::unique_ptr<Poster> poster);
  const DeliveryCounters& counters() const { return counters_; }

 private:
  void run();

  Spool& spool_;
  std::shared_ptr<Poster> poster_;
  std::chrono::milliseconds backoffCap_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
  DeliveryCounters counters_;
};

}  // namespace linkready
