#include "agent/daemon/delivery.h"

#include <curl/curl.h>

#include <random>

#include <spdlog/spdlog.h>

namespace linkready {

namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

class CurlPoster final : public Poster {
 public:
  CurlPoster(const config::Orchestrator& o, std::string token) : o_(o), token_(std::move(token)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  PostResult post(const std::string& body, const std::string& idempotencyKey) override {
    PostResult r;
    CURL* c = curl_easy_init();
    if (!c) {
      r.error = "curl_easy_init failed";
      return r;
    }
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/cloudevents+json; charset=utf-8");
    headers = curl_slist_append(headers, ("Idempotency-Key: " + idempotencyKey).c_str());
    if (!token_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
    char err[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(o_.timeoutMs));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(o_.timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);  // TLS verification stays on
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o_.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o_.caFile.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "linkready-agent");
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.httpStatus);
    else r.error = err[0] ? err : curl_easy_strerror(rc);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return r;
  }

 private:
  config::Orchestrator o_;
  std::string token_;
};

}  // namespace

std::unique_ptr<Poster> makeCurlPoster(const config::Orchestrator& o, std::string token) {
  return std::make_unique<CurlPoster>(o, std::move(token));
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

void Sender::setPoster(std::unique_ptr<Poster> poster) {
  std::lock_guard<std::mutex> lock(mutex_);
  poster_ = std::move(poster);
}

void Sender::run() {
  auto log = spdlog::get("delivery");
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
    auto body = spool_.read(*entry);
    if (!body) {  // a file we cannot read would block the queue forever
      if (log) log->error("spooled report {} unreadable, removed: {}", entry->sequence, body.error());
      spool_.remove(*entry);
      continue;
    }
    std::shared_ptr<Poster> poster;  // a reload may swap it meanwhile
    {
      std::lock_guard<std::mutex> lock(mutex_);
      poster = poster_;
    }
    // The POST in flight always completes (or times out) before a stop is honoured.
    PostResult r = poster->post(*body, "linkready-" + std::to_string(entry->sequence));
    if (r.ok()) {
      spool_.remove(*entry);
      counters_.sent++;
      counters_.lastSuccessUnix = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch()).count();
      attempt = 0;
      continue;
    }
    counters_.failed++;
    ++attempt;
    auto delay = backoffDelay(attempt, std::chrono::milliseconds(250), backoffCap_, uni(rng));
    if (log)
      log->warn("report {} ({} {}) not delivered: {}; retry {} in {} ms", entry->sequence, entry->link,
                eventKindName(entry->kind), r.error.empty() ? "HTTP " + std::to_string(r.httpStatus) : r.error,
                attempt, delay.count());
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, delay, [&] { return stopping_; });
  }
}

}  // namespace linkready
