// Cost of one QUIC-TLS handshake pair (client + server, in memory) through
// tls::Engine, against the floor: BoringSSL driven directly with two SSL
// objects in QUIC mode. Same Ed25519 certificates, X25519, reused contexts;
// with and without client chain verification. Prints engine/floor ratios
// (target: at most 1.05x).
#include <openssl/err.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "tls/context.h"
#include "tls/engine.h"
#include "tls/test_pki.h"

namespace quicsim::tls {
namespace {

const std::vector<uint8_t> kClientParams(24, 1);
const std::vector<uint8_t> kServerParams(40, 2);

const TestChain& Chain() {
  static const TestChain* chain = new TestChain(*MakeTestChain({}));
  return *chain;
}

// ---- Floor: BoringSSL only ----

struct RawConn {
  bssl::UniquePtr<SSL> ssl;
  std::vector<uint8_t> out[4];
  bool wrote = false;
};

RawConn* RawOf(SSL* ssl) {
  return static_cast<RawConn*>(SSL_get_app_data(ssl));
}

int RawSecret(SSL*, ssl_encryption_level_t, const SSL_CIPHER*, const uint8_t*,
              size_t) {
  return 1;
}
int RawAdd(SSL* ssl, ssl_encryption_level_t level, const uint8_t* data,
           size_t len) {
  RawConn* c = RawOf(ssl);
  c->out[level].insert(c->out[level].end(), data, data + len);
  c->wrote = true;
  return 1;
}
int RawFlush(SSL*) { return 1; }
int RawAlert(SSL*, ssl_encryption_level_t, uint8_t) { return 1; }
const SSL_QUIC_METHOD kRawMethod = {RawSecret, RawSecret, RawAdd, RawFlush,
                                    RawAlert};

X509_STORE* g_raw_store = nullptr;

ssl_verify_result_t RawVerifyChain(SSL* ssl, uint8_t* out_alert) {
  const STACK_OF(CRYPTO_BUFFER)* chain = SSL_get0_peer_certificates(ssl);
  bssl::UniquePtr<X509> leaf(
      X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(chain, 0)));
  bssl::UniquePtr<STACK_OF(X509)> rest(sk_X509_new_null());
  for (size_t i = 1; i < sk_CRYPTO_BUFFER_num(chain); ++i) {
    sk_X509_push(rest.get(),
                 X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(chain, i)));
  }
  bssl::UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), g_raw_store, leaf.get(), rest.get());
  X509_STORE_CTX_set_default(ctx.get(), "ssl_server");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, 1767225600);
  X509_VERIFY_PARAM_set1_host(param, "example.com", 11);
  if (X509_verify_cert(ctx.get()) == 1) return ssl_verify_ok;
  *out_alert = SSL_AD_BAD_CERTIFICATE;
  return ssl_verify_invalid;
}
ssl_verify_result_t RawVerifyNone(SSL*, uint8_t*) { return ssl_verify_ok; }

int RawAlpn(SSL*, const uint8_t** out, uint8_t* out_len, const uint8_t* in,
            unsigned in_len, void*) {
  static const uint8_t kH3[] = {2, 'h', '3'};
  uint8_t* o = nullptr;
  if (SSL_select_next_proto(&o, out_len, kH3, sizeof(kH3), in, in_len) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = o;
  return SSL_TLSEXT_ERR_OK;
}

struct RawContexts {
  bssl::UniquePtr<SSL_CTX> client;
  bssl::UniquePtr<SSL_CTX> server;
};

RawContexts MakeRaw(bool verify) {
  RawContexts r;
  static const uint8_t kH3[] = {2, 'h', '3'};
  static const uint16_t kPrefs[] = {SSL_SIGN_ED25519};
  for (bool server : {false, true}) {
    bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_with_buffers_method()));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
    SSL_CTX_set_quic_method(ctx.get(), &kRawMethod);
    SSL_CTX_set1_curves_list(ctx.get(), "X25519");
    if (server) {
      CBS cbs;
      CBS_init(&cbs, Chain().private_key.data(), Chain().private_key.size());
      bssl::UniquePtr<EVP_PKEY> key(EVP_parse_private_key(&cbs));
      std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> owned;
      std::vector<CRYPTO_BUFFER*> certs;
      for (const auto& der : Chain().chain) {
        owned.emplace_back(CRYPTO_BUFFER_new(der.data(), der.size(), nullptr));
        certs.push_back(owned.back().get());
      }
      SSL_CTX_set_chain_and_key(ctx.get(), certs.data(), certs.size(),
                                key.get(), nullptr);
      SSL_CTX_set_alpn_select_cb(ctx.get(), RawAlpn, nullptr);
      SSL_CTX_set_num_tickets(ctx.get(), 1);
      SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
      r.server = std::move(ctx);
    } else {
      SSL_CTX_set_alpn_protos(ctx.get(), kH3, sizeof(kH3));
      SSL_CTX_set_verify_algorithm_prefs(ctx.get(), kPrefs, 1);
      SSL_CTX_set_custom_verify(ctx.get(), SSL_VERIFY_PEER,
                                verify ? RawVerifyChain : RawVerifyNone);
      r.client = std::move(ctx);
    }
  }
  if (g_raw_store == nullptr) {
    g_raw_store = X509_STORE_new();
    const uint8_t* p = Chain().root.data();
    bssl::UniquePtr<X509> root(d2i_X509(nullptr, &p, Chain().root.size()));
    X509_STORE_add_cert(g_raw_store, root.get());
  }
  return r;
}

// Moves everything `from` wrote into `to`, level by level, driving `to`.
void RawDeliver(RawConn& from, RawConn& to) {
  for (int level = 0; level < 4; ++level) {
    if (from.out[level].empty()) continue;
    SSL_provide_quic_data(to.ssl.get(),
                          static_cast<ssl_encryption_level_t>(level),
                          from.out[level].data(), from.out[level].size());
    from.out[level].clear();
    SSL_do_handshake(to.ssl.get());
  }
}

bool RawHandshake(const RawContexts& r) {
  RawConn c, s;
  c.ssl.reset(SSL_new(r.client.get()));
  s.ssl.reset(SSL_new(r.server.get()));
  SSL_set_app_data(c.ssl.get(), &c);
  SSL_set_app_data(s.ssl.get(), &s);
  SSL_set_connect_state(c.ssl.get());
  SSL_set_accept_state(s.ssl.get());
  SSL_set_tlsext_host_name(c.ssl.get(), "example.com");
  SSL_set_quic_transport_params(c.ssl.get(), kClientParams.data(),
                                kClientParams.size());
  SSL_set_quic_transport_params(s.ssl.get(), kServerParams.data(),
                                kServerParams.size());
  SSL_do_handshake(c.ssl.get());
  for (int round = 0; round < 4; ++round) {
    RawDeliver(c, s);
    s.out[ssl_encryption_application].clear();  // the ticket: not delivered
    RawDeliver(s, c);
  }
  return SSL_is_init_finished(c.ssl.get()) && SSL_is_init_finished(s.ssl.get());
}

// ---- Engine ----

struct EngineContexts {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

EngineContexts MakeEngine(bool verify) {
  Config cc;
  cc.role = Role::kClient;
  cc.trust_anchors = {Chain().root};
  cc.verify_peer = verify;
  Config sc;
  sc.role = Role::kServer;
  sc.certificate_chain = Chain().chain;
  sc.private_key = Chain().private_key;
  return {*Context::Create(cc), *Context::Create(sc)};
}

// Pumps a's events into b; returns true if any event was seen.
bool Pump(Engine& a, Engine& b, int& done) {
  bool any = false;
  for (Event ev = a.NextEvent(); ev.kind != EventKind::kNone;
       ev = a.NextEvent()) {
    any = true;
    if (ev.kind == EventKind::kWriteData) {
      if (!b.HandleData(ev.level, ev.data).ok()) return false;
    } else if (ev.kind == EventKind::kTransportParametersRequired) {
      if (!a.SetTransportParameters(kServerParams).ok()) return false;
    } else if (ev.kind == EventKind::kHandshakeDone) {
      ++done;
    }
  }
  return any;
}

bool EngineHandshake(const EngineContexts& e, ChaChaRandom& cr,
                     ChaChaRandom& sr) {
  const Clock clock = [] { return VirtualEpoch(); };
  std::unique_ptr<Engine> c = Engine::Create(e.client.get(), &cr, clock);
  std::unique_ptr<Engine> s = Engine::Create(e.server.get(), &sr, clock);
  if (!c->SetTransportParameters(kClientParams).ok() || !s->Start().ok() ||
      !c->Start().ok()) {
    return false;
  }
  int done = 0;
  bool progress = true;
  while (progress) progress = Pump(*c, *s, done) | Pump(*s, *c, done);
  return done == 2;
}

void BM_Floor(benchmark::State& state) {
  const RawContexts r = MakeRaw(state.range(0) != 0);
  for (auto _ : state) {
    if (!RawHandshake(r)) state.SkipWithError("raw handshake failed");
  }
}

void BM_Engine(benchmark::State& state) {
  const EngineContexts e = MakeEngine(state.range(0) != 0);
  ChaChaRandom cr("bench/client"), sr("bench/server");
  for (auto _ : state) {
    if (!EngineHandshake(e, cr, sr)) state.SkipWithError("handshake failed");
  }
  if (state.range(0) != 0) {
    state.counters["verify_cache_hits"] =
        static_cast<double>(e.client->verification_cache_hits());
  }
}

BENCHMARK(BM_Floor)->ArgName("verify")->Arg(0)->Arg(1);
BENCHMARK(BM_Engine)->ArgName("verify")->Arg(0)->Arg(1);

// Records each benchmark's CPU time per iteration, then prints ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        cpu_ns_[run.benchmark_name()] = run.GetAdjustedCPUTime();
      }
    }
  }
  void PrintRatios() const {
    for (const char* arg : {"0", "1"}) {
      const std::string floor = std::string("BM_Floor/verify:") + arg;
      const std::string engine = std::string("BM_Engine/verify:") + arg;
      auto f = cpu_ns_.find(floor);
      auto e = cpu_ns_.find(engine);
      if (f == cpu_ns_.end() || e == cpu_ns_.end()) continue;
      std::printf(
          "client verification %-3s: engine %.1f us, BoringSSL floor %.1f "
          "us, ratio %.3fx (target <= 1.05x)\n",
          arg[0] == '1' ? "on" : "off", e->second / 1e3, f->second / 1e3,
          e->second / f->second);
    }
  }

 private:
  std::map<std::string, double> cpu_ns_;
};

}  // namespace
}  // namespace quicsim::tls

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  quicsim::tls::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
