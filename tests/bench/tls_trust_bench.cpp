// Prints the CPU time the agent's HTTP client spends per report POST over TLS (its own
// thread's time: the receiver is another process), with the CA store named by the
// environment (SSL_CERT_DIR or SSL_CERT_FILE, as OpenSSL reads them). Each POST builds its
// own TLS context, as a delivery does. Figures, no verdicts.
//
//   linkready_bench_tls URL ROUNDS
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "agent/daemon/http_client.h"

namespace {

double threadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s URL ROUNDS\n", argv[0]);
    return 2;
  }
  int rounds = std::max(1, std::atoi(argv[2]));
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    linkready::HttpRequest rq;
    rq.method = "POST";
    rq.url = argv[1];
    rq.body = "{}";
    rq.contentType = "application/json";
    rq.headers["Idempotency-Key"] = "bench-" + std::to_string(i);
    double t0 = threadCpuMs();
    linkready::HttpResponse r = linkready::httpExchange(rq);
    ms.push_back(threadCpuMs() - t0);
    if (r.status / 100 != 2) {
      std::fprintf(stderr, "POST failed: %d %s\n", r.status, r.error.c_str());
      return 1;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.2f %.2f %.2f\n", ms[ms.size() / 2], ms.front(), ms.back());  // median min max, ms
  return 0;
}
