#include "tls/random.h"

#include <openssl/bn.h>
#include <openssl/chacha.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "gtest/gtest.h"
#include "tls/env.h"
#include "tls/rand_hook.h"

namespace quicsim::tls {
namespace {

TEST(ChaChaRandomTest, MatchesChaCha20KeystreamAcrossCallSizes) {
  // Independent expectation: the ChaCha20 keystream (key SHA-256(seed),
  // fixed nonce, counter 0) computed in one go.
  uint8_t key[32];
  SHA256(reinterpret_cast<const uint8_t*>("seed"), 4, key);
  const uint8_t nonce[12] = {'q', 'u', 'i', 'c', 's', 'i',
                             'm', '-', 't', 'l', 's', 0};
  std::vector<uint8_t> zeros(1000, 0), expected(1000);
  CRYPTO_chacha_20(expected.data(), zeros.data(), zeros.size(), key, nonce, 0);

  ChaChaRandom r("seed");
  std::vector<uint8_t> got(1000);
  size_t off = 0;
  for (size_t n : {1, 31, 64, 200, 256, 300, 148}) {
    r.Fill(absl::MakeSpan(got.data() + off, n));
    off += n;
  }
  ASSERT_EQ(off, 1000u);
  EXPECT_EQ(got, expected);
}

TEST(RandHookTest, InterposedAndScoped) {
  ASSERT_TRUE(RandBytesInterposed());
  ChaChaRandom a("a"), reference("a");
  uint8_t inside[48], want[48], outside1[48], outside2[48];
  {
    ScopedEnv env(&a, nullptr);
    ASSERT_EQ(RAND_bytes(inside, sizeof(inside)), 1);
  }
  reference.Fill(absl::MakeSpan(want));
  EXPECT_EQ(0, std::memcmp(inside, want, sizeof(want)));
  // Outside any guard: the system generator (two draws differ).
  ASSERT_EQ(RAND_bytes(outside1, sizeof(outside1)), 1);
  ASSERT_EQ(RAND_bytes(outside2, sizeof(outside2)), 1);
  EXPECT_NE(0, std::memcmp(outside1, outside2, sizeof(outside1)));
  EXPECT_EQ(CurrentRandomStream(), nullptr);
}

TEST(RandHookTest, BnRandRangeExDrawsFromTheStreamWithinRange) {
  bssl::UniquePtr<BIGNUM> max(BN_new());
  ASSERT_TRUE(BN_set_word(max.get(), 1000));  // 10 bits: rejection sampling
  bssl::UniquePtr<BIGNUM> r(BN_new());
  std::vector<uint64_t> first, again;
  for (std::vector<uint64_t>* out : {&first, &again}) {
    ChaChaRandom stream("bn");
    ScopedEnv env(&stream, nullptr);
    for (int i = 0; i < 200; ++i) {
      ASSERT_EQ(BN_rand_range_ex(r.get(), 7, max.get()), 1);
      out->push_back(BN_get_word(r.get()));
    }
  }
  EXPECT_EQ(first, again);
  uint64_t lo = 1000, hi = 0;
  for (uint64_t v : first) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_GE(lo, 7u);
  EXPECT_LT(hi, 1000u);
  EXPECT_LT(lo, 50u);  // 200 uniform draws cover the range's ends
  EXPECT_GT(hi, 950u);
  // An empty range fails; outside any guard the real generator answers.
  {
    ChaChaRandom stream("bn");
    ScopedEnv env(&stream, nullptr);
    EXPECT_EQ(BN_rand_range_ex(r.get(), 1000, max.get()), 0);
  }
  ASSERT_EQ(BN_rand_range_ex(r.get(), 1, max.get()), 1);
  EXPECT_GE(BN_get_word(r.get()), 1u);
  EXPECT_LT(BN_get_word(r.get()), 1000u);
}

TEST(EnvTest, GuardsNestAndTimeFallsBackToEpoch) {
  EXPECT_EQ(CurrentTime(), VirtualEpoch());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", VirtualEpoch(),
                             absl::UTCTimeZone()),
            "2026-01-01T00:00:00");
  ChaChaRandom r1("1"), r2("2");
  Clock c1 = [] { return VirtualEpoch() + absl::Seconds(1); };
  Clock c2 = [] { return VirtualEpoch() + absl::Seconds(2); };
  {
    ScopedEnv outer(&r1, &c1);
    EXPECT_EQ(CurrentTime(), VirtualEpoch() + absl::Seconds(1));
    {
      ScopedEnv inner(&r2, &c2);
      EXPECT_EQ(CurrentRandomStream(), &r2);
      EXPECT_EQ(CurrentTime(), VirtualEpoch() + absl::Seconds(2));
    }
    EXPECT_EQ(CurrentRandomStream(), &r1);
  }
  EXPECT_EQ(CurrentRandomStream(), nullptr);
}

}  // namespace
}  // namespace quicsim::tls
