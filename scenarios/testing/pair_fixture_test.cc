#include "scenarios/testing/pair_fixture.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::testing {
namespace {

using endpoints::HandshakePair;
using endpoints::Verdict;

TEST(PairFixtureTest, PairsConfirmAndEachHasItsOracle) {
  const TlsContexts contexts = MakeTlsContexts();
  PairFixture fixture;
  HandshakePair* a = fixture.AddPair(contexts);
  HandshakePair* b = fixture.AddPair(
      contexts,
      [](endpoints::HandshakePairOptions& o) { o.server.retry = true; });
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  fixture.Run();
  EXPECT_EQ(fixture.pair_count(), 2);
  for (HandshakePair* pair : {a, b}) {
    EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kConfirmed);
    EXPECT_EQ(pair->server_verdict().kind, Verdict::Kind::kConfirmed);
    EXPECT_TRUE(fixture.oracle(pair).violations().empty());
    // The oracle saw the server's traffic before validation.
    EXPECT_GT(
        fixture.oracle(pair).amplification().server_received_unvalidated(), 0u);
  }
  EXPECT_NE(&fixture.oracle(a), &fixture.oracle(b));
  // 10 ms each way: two round trips; Retry adds one.
  EXPECT_EQ(a->client_verdict().elapsed, sim::Duration::Millis(40));
  EXPECT_EQ(b->client_verdict().elapsed, sim::Duration::Millis(60));
  EXPECT_EQ(PairFixture::ServerAddress(1).port, 444);
  EXPECT_FALSE(fixture.trace().events().empty());
}

TEST(PairFixtureTest, TlsFaultsReachTheContexts) {
  TlsOptions options;
  options.server_faults.alpn_mismatch = true;
  const TlsContexts contexts = MakeTlsContexts(options);
  PairFixture fixture;
  HandshakePair* pair = fixture.AddPair(contexts);
  ASSERT_NE(pair, nullptr);
  fixture.Run();
  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kClosedReceived);
  EXPECT_EQ(pair->client_verdict().code, 0x178u);
}

TEST(PairFixtureTest, SameSeedSameDigest) {
  const TlsContexts contexts = MakeTlsContexts();
  std::string digests[3];
  for (int run = 0; run < 3; ++run) {
    PairFixture::Options options;
    options.seed = run < 2 ? 5 : 6;
    PairFixture fixture(options);
    fixture.AddPair(contexts);
    fixture.Run();
    digests[run] = fixture.trace().DigestHex();
  }
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_NE(digests[0], digests[2]);
}

}  // namespace
}  // namespace quicsim::scenarios::testing
