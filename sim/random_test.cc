#include "sim/random.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

// Published SplitMix64 outputs for seed 1234567 (Rosetta Code,
// "Pseudo-random numbers/Splitmix64").
TEST(SplitMix64Test, ReferenceVector) {
  SplitMix64 sm(1234567);
  EXPECT_EQ(sm.Next(), 6457827717110365317ULL);
  EXPECT_EQ(sm.Next(), 3203168211198807973ULL);
  EXPECT_EQ(sm.Next(), 9817491932198370423ULL);
  EXPECT_EQ(sm.Next(), 4593380528125082431ULL);
  EXPECT_EQ(sm.Next(), 16408922859458223821ULL);
}

// The reference xoshiro256** outputs from state {1, 2, 3, 4}, as used by the
// rand_xoshiro crate's test against Blackman and Vigna's C code.
TEST(RngTest, Xoshiro256StarStarReferenceVector) {
  Rng rng = Rng::FromState({1, 2, 3, 4});
  const uint64_t expected[] = {11520ULL,
                               0ULL,
                               1509978240ULL,
                               1215971899390074240ULL,
                               1216172134540287360ULL,
                               607988272756665600ULL,
                               16172922978634559625ULL,
                               8476171486693032832ULL,
                               10595114339597558777ULL,
                               2904607092377533576ULL};
  for (uint64_t e : expected) EXPECT_EQ(rng.Next64(), e);
}

// Golden values below come from an independent Python implementation of
// SplitMix64 seeding + xoshiro256** (run once, pasted here).
TEST(RngTest, SeededGoldenValues) {
  Rng r0(0);
  EXPECT_EQ(r0.Next64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(r0.Next64(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(r0.Next64(), 0x1a5f849d4933e6e0ULL);
  Rng r42(42);
  EXPECT_EQ(r42.Next64(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(r42.Next64(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(r42.Next64(), 0xae17533239e499a1ULL);
  EXPECT_EQ(r42.Next64(), 0xecb8ad4703b360a1ULL);
  EXPECT_EQ(r42.Next64(), 0xfde6dc7fe2ec5e64ULL);
  EXPECT_EQ(r42.Next64(), 0xc50da53101795238ULL);
}

// Stream seed = first 8 bytes (big-endian) of SHA-256(BE64(seed) || name);
// reference values from Python's hashlib.
TEST(RngTest, StreamDerivationGoldenValues) {
  EXPECT_EQ(Rng::StreamSeed(0, ""), 0xaf5570f5a1810b7aULL);
  EXPECT_EQ(Rng::StreamSeed(42, "pair/17/loss/c2s"), 0x6dee04a168613103ULL);
  EXPECT_EQ(Rng::StreamSeed(42, "link/c2s/jitter"), 0x56f651bb1b9e58e7ULL);
  Rng s = Rng::ForStream(42, "pair/17/loss/c2s");
  EXPECT_EQ(s.Next64(), 0xdcce1ba442162882ULL);
  EXPECT_EQ(s.Next64(), 0xbfafd1c08ff36033ULL);
  EXPECT_EQ(s.Next64(), 0xa1694f8b6e1784cbULL);
  Rng e = Rng::ForStream(0, "");
  EXPECT_EQ(e.Next64(), 0x57327bbc3c0e6646ULL);
}

TEST(RngTest, UniformGoldenValues) {
  Rng r(7);
  const uint64_t six[] = {4, 1, 5, 5, 5, 5, 0, 0, 2, 0, 3, 4};
  for (uint64_t e : six) EXPECT_EQ(r.Uniform(6), e);
  Rng q(7);
  const uint64_t big[] = {700578, 278752, 839629, 981100, 990863};
  for (uint64_t e : big) EXPECT_EQ(q.Uniform(1000003), e);
}

TEST(RngTest, UniformDoubleUsesTop53Bits) {
  Rng r(42);
  // (0x15780b2e0c2ec716 >> 11) * 2^-53
  EXPECT_EQ(r.UniformDouble(), 0.08386297105988216);
  Rng a(5), b(5);
  for (int i = 0; i < 1000; ++i) {
    const double d = a.UniformDouble();
    EXPECT_GE(d, 0.0);
    EXPECT_LT(d, 1.0);
    EXPECT_EQ(d, static_cast<double>(b.Next64() >> 11) / 9007199254740992.0);
  }
}

TEST(RngTest, FillIsLittleEndianPerWord) {
  Rng r(9);
  uint8_t buf[13];
  r.Fill(buf, sizeof(buf));
  const uint8_t expected[13] = {0x60, 0xa0, 0x19, 0xf6, 0xec, 0x4e, 0xa9,
                                0x00, 0xf9, 0xfb, 0x52, 0xd1, 0x85};
  for (int i = 0; i < 13; ++i) EXPECT_EQ(buf[i], expected[i]) << i;
}

TEST(RngTest, BernoulliEdgesAndOneDrawEach) {
  Rng a(3), b(3);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(a.Bernoulli(0.0));
    b.Next64();
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(a.Bernoulli(1.0));
    b.Next64();
  }
  EXPECT_FALSE(a.Bernoulli(std::nan("")));
  b.Next64();
  // Both consumed exactly the same number of draws.
  EXPECT_EQ(a.Next64(), b.Next64());
}

TEST(RngTest, BernoulliRateWithinFiveSigma) {
  Rng r(11);
  const int n = 200000;
  const double p = 0.3;
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += r.Bernoulli(p);
  const double sigma = std::sqrt(p * (1 - p) / n);
  EXPECT_NEAR(static_cast<double>(hits) / n, p, 5 * sigma);
}

TEST(RngTest, UniformIsUnbiasedAcrossBuckets) {
  Rng r(12);
  const int n = 120000, k = 6;
  std::vector<int> counts(k);
  for (int i = 0; i < n; ++i) ++counts[r.Uniform(k)];
  const double p = 1.0 / k;
  const double sigma = std::sqrt(n * p * (1 - p));
  for (int c : counts) EXPECT_NEAR(c, n * p, 5 * sigma);
  EXPECT_EQ(r.Uniform(1), 0u);
}

TEST(RngTest, SubstreamsAreIndependentOfEachOther) {
  // A stream's numbers do not depend on which other streams exist or in
  // which order they were created or drawn from.
  Rng alone = Rng::ForStream(99, "pair/1/loss/c2s");
  std::vector<uint64_t> reference;
  for (int i = 0; i < 16; ++i) reference.push_back(alone.Next64());

  Rng other = Rng::ForStream(99, "pair/0/loss/c2s");
  for (int i = 0; i < 5; ++i) other.Next64();
  Rng again = Rng::ForStream(99, "pair/1/loss/c2s");
  Rng extra = Rng::ForStream(99, "pair/2/loss/c2s");
  for (int i = 0; i < 16; ++i) {
    extra.Next64();
    EXPECT_EQ(again.Next64(), reference[i]);
  }
  // Different names and seeds give different streams.
  EXPECT_NE(Rng::StreamSeed(99, "pair/1/loss/c2s"),
            Rng::StreamSeed(99, "pair/1/loss/s2c"));
  EXPECT_NE(Rng::StreamSeed(99, "a"), Rng::StreamSeed(100, "a"));
}

TEST(RngTest, SubstreamsAreUncorrelated) {
  // Matching bits between two streams behave like fair coins.
  Rng a = Rng::ForStream(5, "x"), b = Rng::ForStream(5, "y");
  const int words = 4096;
  int64_t same = 0;
  for (int i = 0; i < words; ++i) {
    same += __builtin_popcountll(~(a.Next64() ^ b.Next64()));
  }
  const double n = 64.0 * words;
  EXPECT_NEAR(same, n / 2, 5 * std::sqrt(n / 4));
}

TEST(RngTest, CopiesContinueIdentically) {
  Rng a(77);
  a.Next64();
  Rng b = a;
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.Next64(), b.Next64());
}

}  // namespace
}  // namespace quicsim::sim
