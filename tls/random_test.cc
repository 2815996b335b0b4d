#include "tls/random.h"

#include <openssl/chacha.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

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
