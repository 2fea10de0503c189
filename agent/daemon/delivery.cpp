#include "agent/daemon/delivery.h"

#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <random>

#include <spdlog/spdlog.h>

#include "agent/daemon/http_client.h"

namespace linkready {

namespace {

constexpr size_t kAnswerHeadBytes = 512;
constexpr auto kRetryBase = std::chrono::milliseconds(250);
constexpr int kConflictTries = 8;  // 409s in a row (a minute or more with the backoff) before giving up

class HttpPoster final : public Poster {
 public:
  HttpPoster(const config::Orchestrator& o, std::string token) : o_(o), token_(std::move(token)) {}

  PostResult post(const std::string& body, const std::string& idempotencyKey) override {
    HttpRequest req;
    req.method = "POST";
    req.url = o_.url;
    req.body = body;
    req.contentType = "application/cloudevents+json; charset=utf-8";
    req.headers["Idempotency-Key"] = idempotencyKey;
    if (!token_.empty()) req.headers["Authorization"] = "Bearer " + token_;
    req.caFile = o_.caFile;
    req.timeout = std::chrono::milliseconds(o_.timeoutMs);
    HttpResponse res = session_.exchange(req);
    PostResult r;
    r.httpStatus = res.status;
    r.error = res.error;
    if (auto it = res.headers.find("retry-after"); it != res.headers.end()) r.retryAfter = it->second;
    r.answerHead = res.body.substr(0, kAnswerHeadBytes);
    return r;
  }

 private:
  config::Orchestrator o_;
  std::string token_;
  HttpSession session_;  // one connection kept for the reports that follow (keep-alive)
};

std::string describe(const PostResult& r) {
  return r.error.empty() ? "HTTP " + std::to_string(r.httpStatus) : r.error;
}

}  // namespace

std::unique_ptr<Poster> makeHttpPoster(const config::Orchestrator& o, std::string token) {
  return std::make_unique<HttpPoster>(o, std::move(token));
}

Outcome classify(const PostResult& r) {
  if (r.ok()) return Outcome::Delivered;
  long s = r.httpStatus;
  // 407 is a proxy's refusal, never the orchestrator's (the agent's own CONNECT reports an
  // https proxy's as an error: TlsClient in http_client.cpp): the report waits, as for a
  // proxy that is down, until the credentials are fixed. 409 is the Idempotency-Key draft's "a
  // request with this key is still being processed" (our first try, which timed out): the
  // report may yet fail there, so it is asked again later, not given up.
  if (s >= 400 && s < 500 && s != 407 && s != 408 && s != 409 && s != 425 && s != 429) return Outcome::Rejected;
  return Outcome::Retry;
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  constexpr int64_t kMax = 86400;
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::chrono::seconds(kMax);
    return std::chrono::seconds(std::min<int64_t>(kMax, std::stoll(std::string(value))));
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end) return std::nullopt;
  int64_t at = timegm(&tm);
  int64_t n = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return std::chrono::seconds(std::clamp<int64_t>(at - n, 0, kMax));
}

std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       double random01) {
  double d = double(base.count());
  for (int i = 1; i < attempt && d < double(cap.count()); ++i) d *= 2;
  d = std::min(d, double(cap.count()));
  return std::chrono::milliseconds(int64_t(d / 2 + random01 * d / 2));
}

Sender::Sender(Spool& spool, std::unique_ptr<Poster> poster, std::chrono::milliseconds backoffCap)
    : spool_(spool), poster_(std::move(poster)), backoffCap_(backoffCap) {}

Sender::~Sender() { stop(); }

void Sender::start() { thread_ = std::thread([this] { run(); }); }

void Sender::wake() {
  std::lock_guard<std::mutex> lock(mutex_);
  woken_ = true;
  cv_.notify_all();
}

void Sender::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Sender::setPoster(std::unique_ptr<Poster> poster, std::chrono::milliseconds backoffCap) {
  std::lock_guard<std::mutex> lock(mutex_);
  poster_ = std::move(poster);
  backoffCap_ = backoffCap;
  posterChanged_ = true;  // a new orchestrator need not wait out the old one's backoff
  cv_.notify_all();
}

std::chrono::milliseconds Sender::deliverOldest(const SpoolEntry& entry, int& attempt, double random01) {
  auto log = spdlog::get("delivery");
  auto body = spool_.read(entry);
  if (!body && access(entry.path.c_str(), F_OK) != 0 && errno == ENOENT) {
    // Gone since oldest() named it: a newer heartbeat of its link superseded it, or the cap
    // evicted it. Nothing to deliver and nothing to quarantine.
    spool_.remove(entry);
    return std::chrono::milliseconds(0);
  }
  auto id = body ? spooledReportId(*body) : tl::expected<std::string, std::string>(tl::unexpect, body.error());
  if (!id) {  // a file that is not a report would block the queue forever
    spool_.deadLetter(entry, "not a readable report: " + id.error(), false);
    return std::chrono::milliseconds(0);
  }
  std::shared_ptr<Poster> poster;  // a reload may swap it meanwhile
  std::chrono::milliseconds cap;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    poster = poster_;
    cap = backoffCap_;
  }
  // The POST in flight always completes (or times out) before a stop is honoured.
  PostResult r = poster->post(*body, *id);
  Outcome outcome = classify(r);
  // A 409 that keeps coming is the receiver's "this id exists" (a common habit), not a try
  // still in progress: after a while the report is given up like any refusal, or it would
  // hold every report after it back for good.
  if (r.httpStatus == 409 && attempt + 1 >= kConflictTries) outcome = Outcome::Rejected;
  switch (outcome) {
    case Outcome::Delivered:
      spool_.remove(entry);
      counters_.sent++;
      counters_.lastSuccessUnix = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch()).count();
      attempt = 0;
      return std::chrono::milliseconds(0);
    case Outcome::Rejected:
      // Sending it again would get the same answer and hold back every report after it.
      counters_.rejected++;
      counters_.failed++;
      spool_.deadLetter(entry, "refused by the orchestrator: HTTP " + std::to_string(r.httpStatus) + "\n" + r.answerHead,
                        true);
      if (log)
        log->error("report {} ({} {}, id {}) refused for good by the orchestrator: HTTP {}: {}; moved to {}, "
                   "delivery goes on",
                   entry.sequence, entry.link, eventKindName(entry.kind), *id, r.httpStatus,
                   r.answerHead.substr(0, 200), spool_.deadLetterDir());
      attempt = 0;
      return std::chrono::milliseconds(0);
    case Outcome::Retry:
      break;
  }
  counters_.failed++;
  ++attempt;
  auto delay = backoffDelay(attempt, kRetryBase, cap, random01);
  std::string why = describe(r);
  if ((r.httpStatus == 429 || r.httpStatus == 503) && !r.retryAfter.empty()) {
    if (auto after = parseRetryAfter(r.retryAfter, std::chrono::system_clock::now())) {
      delay = std::max<std::chrono::milliseconds>(*after, kRetryBase);
      why += " (Retry-After: " + r.retryAfter + ")";
    }
  }
  if (log)
    log->warn("report {} ({} {}) not delivered: {}; retry {} in {} ms", entry.sequence, entry.link,
              eventKindName(entry.kind), why, attempt, delay.count());
  return delay;
}

void Sender::run() {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> uni(0, 1);
  int attempt = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    auto entry = spool_.oldest();
    if (!entry) {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || woken_; });
      woken_ = false;
      continue;
    }
    auto delay = deliverOldest(*entry, attempt, uni(rng));
    if (delay.count() == 0) continue;
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, delay, [&] { return stopping_ || posterChanged_; });
    posterChanged_ = false;
  }
}

}  // namespace linkready
