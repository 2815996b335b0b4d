#include "sim/impairment.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

Datagram Payload(size_t n, uint8_t fill = 0) {
  Datagram d;
  d.payload.assign(n, fill);
  return d;
}

// Runs `imp` over n datagrams and returns, per index, the decisions made.
std::vector<std::vector<Decision>> RunN(Impairment& imp, int n,
                                        const Datagram& d = Payload(100)) {
  std::vector<std::vector<Decision>> out(n);
  for (int i = 0; i < n; ++i) imp.Decide(d, i, Time::Zero(), &out[i]);
  return out;
}

bool Dropped(const std::vector<Decision>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](const Decision& d) {
    return d.action == Action::kDrop;
  });
}

TEST(BernoulliLossTest, RateWithinFiveSigma) {
  BernoulliLoss loss(0.1, Rng::ForStream(1, "loss"));
  const int n = 100000;
  auto out = RunN(loss, n);
  int drops = 0;
  for (const auto& ds : out) {
    if (Dropped(ds)) {
      ++drops;
      EXPECT_EQ(ds[0].reason, "bernoulli");
    }
  }
  const double sigma = std::sqrt(0.1 * 0.9 / n);
  EXPECT_NEAR(drops / static_cast<double>(n), 0.1, 5 * sigma);
}

TEST(GilbertElliottLossTest, LossRateAndMeanBurstLength) {
  // loss_in_bad = 1, loss_in_good = 0: stationary loss p/(p+r), bursts of
  // mean length 1/r.
  const double p = 0.01, r = 0.25;
  GilbertElliottLoss::Params params;
  params.p = p;
  params.r = r;
  GilbertElliottLoss ge(params, Rng::ForStream(2, "ge"));
  const int n = 400000;
  auto out = RunN(ge, n);
  int losses = 0, bursts = 0, run = 0;
  for (int i = 0; i < n; ++i) {
    if (Dropped(out[i])) {
      ++losses;
      EXPECT_EQ(out[i][0].reason, "gilbert_elliott/bad");
      if (run++ == 0) ++bursts;
    } else {
      run = 0;
    }
  }
  const double pi = p / (p + r);
  // Variance of the mean of a two-state Markov chain's indicator:
  // pi(1-pi)(1+l)/(1-l)/n with l = 1-p-r.
  const double l = 1 - p - r;
  const double sigma_rate = std::sqrt(pi * (1 - pi) * (1 + l) / (1 - l) / n);
  EXPECT_NEAR(losses / static_cast<double>(n), pi, 5 * sigma_rate);
  // Burst lengths are geometric with mean 1/r, variance (1-r)/r^2.
  ASSERT_GT(bursts, 1000);
  const double mean_burst = losses / static_cast<double>(bursts);
  const double sigma_burst = std::sqrt((1 - r) / (r * r) / bursts);
  EXPECT_NEAR(mean_burst, 1 / r, 5 * sigma_burst);
}

TEST(GilbertElliottLossTest, LossInGoodStateIsIndependent) {
  // p = 0: the chain stays Good; losses are Bernoulli(loss_in_good).
  GilbertElliottLoss::Params params;
  params.p = 0;
  params.loss_in_good = 0.05;
  GilbertElliottLoss ge(params, Rng::ForStream(3, "ge"));
  const int n = 100000;
  auto out = RunN(ge, n);
  int losses = 0;
  for (const auto& ds : out) {
    if (Dropped(ds)) {
      ++losses;
      EXPECT_EQ(ds[0].reason, "gilbert_elliott/good");
    }
  }
  EXPECT_FALSE(ge.in_bad_state());
  EXPECT_NEAR(losses / static_cast<double>(n), 0.05,
              5 * std::sqrt(0.05 * 0.95 / n));
}

TEST(DropNthTest, DropsExactlyTheListedIndices) {
  DropNth nth({7, 0, 3, 3});
  auto out = RunN(nth, 10);
  for (int i = 0; i < 10; ++i) {
    const bool expect = i == 0 || i == 3 || i == 7;
    EXPECT_EQ(Dropped(out[i]), expect) << i;
    if (expect) {
      EXPECT_EQ(out[i][0].reason, "nth");
    }
  }
}

TEST(DropIfTest, PredicateSeesDatagramAndIndex) {
  std::vector<uint64_t> seen;
  DropIf drop("first_ff", [&](const Datagram& d, uint64_t index) {
    seen.push_back(index);
    return d.payload[0] == 0xff && index < 5;
  });
  std::vector<Decision> out;
  drop.Decide(Payload(1, 0x00), 0, Time::Zero(), &out);
  EXPECT_TRUE(out.empty());
  drop.Decide(Payload(1, 0xff), 1, Time::Zero(), &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reason, "predicate/first_ff");
  drop.Decide(Payload(1, 0xff), 9, Time::Zero(), &out);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 9}));
}

TEST(BlackholeTest, DropsInsideHalfOpenWindows) {
  Blackhole bh({{Ms(10), Ms(20)}, {Ms(50), Ms(51)}});
  auto dropped_at = [&](Time t) {
    std::vector<Decision> out;
    bh.Decide(Payload(1), 0, t, &out);
    return !out.empty() && out[0].reason == "blackhole";
  };
  EXPECT_FALSE(dropped_at(Ms(10) - Duration::Nanos(1)));
  EXPECT_TRUE(dropped_at(Ms(10)));
  EXPECT_TRUE(dropped_at(Ms(20) - Duration::Nanos(1)));
  EXPECT_FALSE(dropped_at(Ms(20)));
  EXPECT_TRUE(dropped_at(Ms(50)));
  EXPECT_FALSE(dropped_at(Ms(51)));
}

TEST(ReorderDuplicateTest, RatesAndParameters) {
  Reorder reorder(0.2, Duration::Millis(5), Rng::ForStream(4, "reorder"));
  Duplicate dup(0.3, Rng::ForStream(4, "dup"));
  const int n = 50000;
  int reordered = 0, duplicated = 0;
  for (const auto& ds : RunN(reorder, n)) {
    if (ds.empty()) continue;
    ++reordered;
    EXPECT_EQ(ds[0].action, Action::kReorder);
    EXPECT_EQ(ds[0].delay, Duration::Millis(5));
  }
  for (const auto& ds : RunN(dup, n)) {
    if (ds.empty()) continue;
    ++duplicated;
    EXPECT_EQ(ds[0].action, Action::kDuplicate);
    EXPECT_EQ(ds[0].copies, 1u);
  }
  EXPECT_NEAR(reordered / static_cast<double>(n), 0.2,
              5 * std::sqrt(0.2 * 0.8 / n));
  EXPECT_NEAR(duplicated / static_cast<double>(n), 0.3,
              5 * std::sqrt(0.3 * 0.7 / n));
}

TEST(CorruptTest, FlipsDistinctBitsInRange) {
  Corrupt corrupt(1.0, 3, Rng::ForStream(5, "corrupt"));
  for (const auto& ds : RunN(corrupt, 200, Payload(4))) {
    ASSERT_EQ(ds.size(), 1u);
    ASSERT_EQ(ds[0].bits.size(), 3u);
    std::vector<uint32_t> bits = ds[0].bits;
    std::sort(bits.begin(), bits.end());
    EXPECT_EQ(std::unique(bits.begin(), bits.end()), bits.end());
    EXPECT_LT(bits.back(), 32u);
  }
  // More bits than the payload has: every bit flips once.
  Corrupt all(1.0, 20, Rng::ForStream(5, "all"));
  std::vector<Decision> out;
  all.Decide(Payload(1), 0, Time::Zero(), &out);
  ASSERT_EQ(out.size(), 1u);
  std::vector<uint32_t> bits = out[0].bits;
  std::sort(bits.begin(), bits.end());
  EXPECT_EQ(bits, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  // Empty payloads are left alone.
  out.clear();
  all.Decide(Payload(0), 1, Time::Zero(), &out);
  EXPECT_TRUE(out.empty());
}

TEST(DecisionTest, ToString) {
  Decision d;
  d.index = 3;
  d.action = Action::kCorrupt;
  d.reason = "corrupt";
  d.bits = {5, 17};
  EXPECT_EQ(d.ToString(), "index=3 action=corrupt reason=corrupt bits=5,17");
  d.action = Action::kReorder;
  d.reason = "reorder";
  d.delay = Duration::Micros(1500);
  EXPECT_EQ(d.ToString(), "index=3 action=reorder reason=reorder delay=1.5ms");
  d.action = Action::kDuplicate;
  d.copies = 1;
  EXPECT_EQ(d.ToString(), "index=3 action=duplicate reason=reorder copies=1");
}

}  // namespace
}  // namespace quicsim::sim

namespace quicsim::sim {
namespace {

TEST(BurstCapTest, BernoulliLossNeverDropsMoreThanTheCapInARow) {
  // p = 0.9: without the cap, runs of 4+ drops are the norm.
  BernoulliLoss capped(0.9, Rng(11), /*max_burst=*/3);
  BernoulliLoss uncapped(0.9, Rng(11));
  Datagram d;
  d.payload = {1, 2, 3};
  int run = 0, longest = 0, longest_uncapped = 0, run_uncapped = 0;
  int dropped = 0;
  for (uint64_t i = 0; i < 10000; ++i) {
    std::vector<Decision> out, out2;
    capped.Decide(d, i, Time::Zero(), &out);
    uncapped.Decide(d, i, Time::Zero(), &out2);
    run = out.empty() ? 0 : run + 1;
    run_uncapped = out2.empty() ? 0 : run_uncapped + 1;
    dropped += !out.empty();
    longest = std::max(longest, run);
    longest_uncapped = std::max(longest_uncapped, run_uncapped);
  }
  EXPECT_EQ(longest, 3);
  EXPECT_GT(longest_uncapped, 10);
  // Stationary rate with the cap: cycles of (drops until a pass) where a
  // forced pass follows 3 drops: E[drops]/E[cycle] = (p+p^2+p^3)/(1+p+p^2+p^3)
  // = 2.439/3.439 = 0.709 for p = 0.9.
  EXPECT_NEAR(dropped / 10000.0, 0.709, 0.02);
}

TEST(BurstCapTest, CorruptionCapped) {
  Corrupt capped(1.0, 1, Rng(5), /*max_burst=*/2);
  Datagram d;
  d.payload = {1, 2, 3, 4};
  std::string pattern;
  for (uint64_t i = 0; i < 9; ++i) {
    std::vector<Decision> out;
    capped.Decide(d, i, Time::Zero(), &out);
    pattern += out.empty() ? '.' : 'x';
  }
  EXPECT_EQ(pattern, "xx.xx.xx.");
}

}  // namespace
}  // namespace quicsim::sim
