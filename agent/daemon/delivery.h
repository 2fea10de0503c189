// Delivery of spooled reports to the orchestrator: an HTTP POST per report (TLS verified,
// bearer token, Idempotency-Key = the report id), oldest first. A 2xx removes the report
// from the spool; a permanent refusal (4xx but 408, 425, 429) moves it to the dead-letter
// directory and delivery goes on with the next; anything else is retried, in order, with
// capped exponential backoff and jitter, or after the Retry-After of a 429 or 503.
// At least once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "agent/daemon/spool.h"
#include "config/config.h"

namespace linkready {

struct PostResult {
  long httpStatus = 0;   // 0: no HTTP answer at all
  std::string error;     // transport error (refused, timeout, reset, TLS)
  std::string retryAfter;  // the Retry-After header, as sent
  std::string answerHead;  // the first bytes of the answer's body
  bool ok() const { return httpStatus >= 200 && httpStatus < 300; }
};

// The I/O interface behind delivery; cpp-httplib in production (http_client.h).
class Poster {
 public:
  virtual ~Poster() = default;
  virtual PostResult post(const std::string& body, const std::string& idempotencyKey) = 0;
};

// `token` is sent as "Authorization: Bearer <token>" when not empty.
std::unique_ptr<Poster> makeHttpPoster(const config::Orchestrator& o, std::string token);

enum class Outcome { Delivered, Rejected, Retry };
// 2xx delivered; 4xx but 408 (timeout), 425 (too early) and 429 (too many) refused for good;
// the rest (no answer, 3xx, 408, 425, 429, 5xx) retried.
Outcome classify(const PostResult& r);

// How long a Retry-After asks to wait (delta-seconds or an HTTP-date, RFC 9110 10.2.3),
// at most a day; nullopt when absent or not understood.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

// The delay before retry `attempt` (1-based): min(cap, base * 2^(attempt-1)), half of it
// fixed and half random ("equal jitter"). Pure but for the random source.
std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       double random01);

struct DeliveryCounters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> failed{0};        // attempts that did not get a 2xx
  std::atomic<uint64_t> rejected{0};      // reports refused for good (dead-lettered)
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
  void setPoster(std::unique_ptr<Poster> poster, std::chrono::milliseconds backoffCap);
  const DeliveryCounters& counters() const { return counters_; }

 private:
  void run();
  // Sends the oldest report once; returns how long to wait before the next attempt.
  std::chrono::milliseconds deliverOldest(const SpoolEntry& entry, int& attempt, double random01);

  Spool& spool_;
  std::shared_ptr<Poster> poster_;
  std::chrono::milliseconds backoffCap_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  bool posterChanged_ = false;
  std::thread thread_;
  DeliveryCounters counters_;
};

}  // namespace linkready
