// The performance floor every quicsim benchmark is compared with: a QUIC-TLS
// handshake pair driven by BoringSSL alone (two SSL objects in QUIC mode
// exchanging handshake bytes in memory; X25519, Ed25519, contexts reused).
#ifndef QUICSIM_TESTS_BENCH_FLOOR_H_
#define QUICSIM_TESTS_BENCH_FLOOR_H_

#include <openssl/ssl.h>

#include "tls/test_pki.h"

namespace quicsim::bench {

// The test PKI chain every benchmark uses (Ed25519, leaf + intermediate).
const tls::TestChain& Chain();

// A client and a server SSL_CTX for the floor.
struct RawContexts {
  bssl::UniquePtr<SSL_CTX> client;
  bssl::UniquePtr<SSL_CTX> server;
};

// Builds the floor's contexts; `verify`: the client verifies the chain.
RawContexts MakeRaw(bool verify);

// One complete handshake pair; false on failure.
bool RawHandshake(const RawContexts& r);

}  // namespace quicsim::bench

#endif  // QUICSIM_TESTS_BENCH_FLOOR_H_
