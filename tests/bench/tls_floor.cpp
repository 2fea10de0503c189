// Benchmark program for tests/bench/tls-floor: what a program holds in memory before it
// does any work, when it links the design card's libraries (libnl, libpcap, yaml-cpp,
// spdlog, libsystemd) and one TLS library, set up as the agent's delivery needs it: a
// client context that verifies the server against the system's CAs. Built by the script
// with one of -DFLOOR_OPENSSL, -DFLOOR_GNUTLS, -DFLOOR_MBEDTLS (or none: no TLS at all).
// Prints "libs KB tls KB": VmRSS after using each library once, and after the TLS set-up.
#include <fstream>
#include <iostream>
#include <string>

#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <pcap/pcap.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>
#include <yaml-cpp/yaml.h>

#if defined(FLOOR_OPENSSL)
#include <openssl/ssl.h>
#elif defined(FLOOR_GNUTLS)
#include <gnutls/gnutls.h>
#elif defined(FLOOR_MBEDTLS)
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#endif

namespace {

long rssKb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// The TLS client set-up; false when it failed (the script then prints the failure).
bool setUpTls(const char* store) {
#if defined(FLOOR_OPENSSL)
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx || SSL_CTX_load_verify_dir(ctx, store) != 1) return false;  // the hashed directory, as the agent
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return SSL_new(ctx) != nullptr;
#elif defined(FLOOR_GNUTLS)
  (void)store;
  gnutls_certificate_credentials_t cred;
  if (gnutls_certificate_allocate_credentials(&cred) < 0) return false;
  if (gnutls_certificate_set_x509_system_trust(cred) <= 0) return false;  // no lazy store: all CAs
  gnutls_session_t session;
  if (gnutls_init(&session, GNUTLS_CLIENT) < 0 || gnutls_set_default_priority(session) < 0) return false;
  return gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred) == 0;
#elif defined(FLOOR_MBEDTLS)
  static mbedtls_x509_crt cas;
  static mbedtls_entropy_context entropy;
  static mbedtls_ctr_drbg_context drbg;
  static mbedtls_ssl_config conf;
  static mbedtls_ssl_context ssl;
  mbedtls_x509_crt_init(&cas);
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  mbedtls_ssl_config_init(&conf);
  mbedtls_ssl_init(&ssl);
  // No lazy store either: the bundle, every CA parsed.
  if (mbedtls_x509_crt_parse_file(&cas, store) < 0) return false;
  if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0) != 0) return false;
  if (mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                  MBEDTLS_SSL_PRESET_DEFAULT) != 0)
    return false;
  mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&conf, &cas, nullptr);
  mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
  return mbedtls_ssl_setup(&ssl, &conf) == 0;
#else
  (void)store;
  return true;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // Each library used once, so each is loaded and set up as in a program that works with it.
  nl_sock* sock = nl_socket_alloc();
  nl_socket_free(sock);
  rtnl_link* link = rtnl_link_alloc();
  rtnl_link_put(link);
  std::string pcapVersion = pcap_lib_version();
  YAML::Node node = YAML::Load("links: [{name: a, vlan: 100}]");
  auto log = spdlog::create<spdlog::sinks::null_sink_mt>("floor");
  log->info("{} {}", pcapVersion, node["links"].size());
  sd_notify(0, "STATUS=floor");
  long libs = rssKb();
  if (!setUpTls(argc > 1 ? argv[1] : "/usr/lib/ssl/certs")) {
    std::cerr << "TLS set-up failed\n";
    return 1;
  }
  std::cout << "libs " << libs << " tls " << rssKb() << "\n";
  return 0;
}
