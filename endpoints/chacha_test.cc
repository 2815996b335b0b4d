// ChaCha20-only handshake: this test runs with OPENSSL_ia32cap masking the
// AES-NI bit (see BUILD), so BoringSSL's client prefers and the server picks
// TLS_CHACHA20_POLY1305_SHA256; packet protection then runs on ChaCha20 for
// both the AEAD and header protection.
#include <memory>

#include "endpoints/handshake_pair.h"
#include "gtest/gtest.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::endpoints {
namespace {

TEST(ChaChaTest, HandshakeNegotiatesAndProtectsWithChaCha20) {
  absl::StatusOr<tls::TestChain> chain = tls::MakeTestChain({});
  ASSERT_TRUE(chain.ok());
  tls::Config server_config;
  server_config.role = tls::Role::kServer;
  server_config.certificate_chain = chain->chain;
  server_config.private_key = chain->private_key;
  tls::Config client_config;
  client_config.trust_anchors = {chain->root};
  std::unique_ptr<tls::Context> server = *tls::Context::Create(server_config);
  std::unique_ptr<tls::Context> client = *tls::Context::Create(client_config);

  sim::Scheduler scheduler;
  sim::TraceRecorder trace;
  sim::Network network(&scheduler, 1, &trace);
  sim::LinkConfig link;
  link.delay = sim::Duration::Millis(10);
  HandshakePairOptions options;
  options.client.tls_context = client.get();
  options.client.local = sim::Address::V4(10, 0, 0, 1, 4000);
  options.server.connection.tls_context = server.get();
  options.server.connection.local = sim::Address::V4(10, 0, 1, 1, 443);
  options.client_to_server = network.AddLink("c2s", link);
  options.server_to_client = network.AddLink("s2c", link);
  HandshakePair pair(std::move(options), &scheduler, &network, 1, "pair/0",
                     &trace);
  pair.set_on_done([&pair] { pair.Stop(); });
  ASSERT_TRUE(pair.Start().ok());
  scheduler.RunUntilIdle();

  EXPECT_EQ(pair.client_verdict().kind, Verdict::Kind::kConfirmed);
  EXPECT_EQ(pair.server_verdict().kind, Verdict::Kind::kConfirmed);
  int chacha_keys = 0;
  for (const sim::TraceEvent& e : trace.events()) {
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
