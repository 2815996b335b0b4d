#include "tests/bench/floor.h"

#include <openssl/err.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <vector>

namespace quicsim::bench {

using tls::MakeTestChain;
using tls::TestChain;

namespace {
const std::vector<uint8_t> kClientParams(24, 1);
const std::vector<uint8_t> kServerParams(40, 2);

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

}  // namespace

const TestChain& Chain() {
  static const TestChain* chain = new TestChain(*MakeTestChain({}));
  return *chain;
}

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

}  // namespace quicsim::bench
