// ChaCha20-only handshake: this test runs with OPENSSL_ia32cap masking the
// AES-NI bit (see BUILD), so BoringSSL's client prefers and the server picks
// TLS_CHACHA20_POLY1305_SHA256; packet protection then runs on ChaCha20 for
// both the AEAD and header protection.
#include <string>

#include "endpoints/handshake_pair.h"
#include "endpoints/testing/pair_world.h"
#include "gtest/gtest.h"
#include "sim/trace.h"

namespace quicsim::endpoints {
namespace {

TEST(ChaChaTest, HandshakeNegotiatesAndProtectsWithChaCha20) {
  const testing::TlsContexts contexts = testing::MakeTlsContexts();
  testing::PairWorld world;
  HandshakePair* pair = world.AddPair(world.PairOptions(contexts, 0));
  ASSERT_NE(pair, nullptr) << world.start_status();
  world.Run();

  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kConfirmed);
  EXPECT_EQ(pair->server_verdict().kind, Verdict::Kind::kConfirmed);
  int chacha_keys = 0;
  for (const sim::TraceEvent& e : world.trace().events()) {
    if (e.kind == "keys_installed") {
      EXPECT_NE(e.details.find("suite=1303"), std::string::npos) << e.details;
      ++chacha_keys;
    }
  }
  // Handshake and 1-RTT keys, both directions, both sides.
  EXPECT_EQ(chacha_keys, 8);
}

}  // namespace
}  // namespace quicsim::endpoints
