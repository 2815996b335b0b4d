#include "endpoints/rtt_estimator.h"

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using sim::Duration;

Duration Ms(int64_t ms) { return Duration::Millis(ms); }
Duration Us(int64_t us) { return Duration::Micros(us); }

TEST(RttEstimatorTest, InitialValues) {
  RttEstimator r;
  EXPECT_FALSE(r.has_sample());
  EXPECT_EQ(r.smoothed_rtt(), Ms(333));
  EXPECT_EQ(r.rttvar(), Us(166500));
  EXPECT_EQ(r.min_rtt(), Duration::Zero());
  // 333 + 4 * 166.5 = 999 ms; + 25 ms max_ack_delay.
  EXPECT_EQ(r.Pto(false), Ms(999));
  EXPECT_EQ(r.Pto(true), Ms(1024));
}

TEST(RttEstimatorTest, FirstSampleIgnoresAckDelay) {
  RttEstimator r;
  r.OnSample(Ms(100), Ms(10), PacketNumberSpace::kHandshake);
  EXPECT_EQ(r.latest_rtt(), Ms(100));
  EXPECT_EQ(r.min_rtt(), Ms(100));
  EXPECT_EQ(r.smoothed_rtt(), Ms(100));
  EXPECT_EQ(r.rttvar(), Ms(50));
  EXPECT_EQ(r.Pto(false), Ms(300));
}

TEST(RttEstimatorTest, SecondSampleSubtractsPlausibleAckDelay) {
  RttEstimator r;
  r.OnSample(Ms(100), Duration::Zero(), PacketNumberSpace::kHandshake);
  r.OnSample(Ms(120), Ms(10), PacketNumberSpace::kHandshake);
  // adjusted = 110; rttvar = 3/4*50 + 1/4*|100-110| = 40;
  // smoothed = 7/8*100 + 1/8*110 = 101.25.
  EXPECT_EQ(r.min_rtt(), Ms(100));
  EXPECT_EQ(r.rttvar(), Ms(40));
  EXPECT_EQ(r.smoothed_rtt(), Us(101250));
}

TEST(RttEstimatorTest, InitialSpaceIgnoresAckDelay) {
  RttEstimator r;
  r.OnSample(Ms(100), Duration::Zero(), PacketNumberSpace::kInitial);
  r.OnSample(Ms(120), Ms(10), PacketNumberSpace::kInitial);
  // adjusted = 120; rttvar = 37.5 + 5 = 42.5; smoothed = 87.5 + 15 = 102.5.
  EXPECT_EQ(r.rttvar(), Us(42500));
  EXPECT_EQ(r.smoothed_rtt(), Us(102500));
}

TEST(RttEstimatorTest, ImplausibleAckDelayNotSubtracted) {
  RttEstimator r;
  r.OnSample(Ms(100), Duration::Zero(), PacketNumberSpace::kApplication);
  r.OnSample(Ms(105), Ms(10), PacketNumberSpace::kApplication);
  // 105 < min_rtt + ack_delay = 110: adjusted stays 105.
  // rttvar = 37.5 + 1.25 = 38.75; smoothed = 87.5 + 13.125 = 100.625.
  EXPECT_EQ(r.rttvar(), Us(38750));
  EXPECT_EQ(r.smoothed_rtt(), Us(100625));
}

TEST(RttEstimatorTest, AckDelayCappedAtMaxAckDelayOnlyAfterConfirmation) {
  RttEstimator unconfirmed;
  unconfirmed.OnSample(Ms(100), Duration::Zero(),
                       PacketNumberSpace::kApplication);
  unconfirmed.OnSample(Ms(200), Ms(100), PacketNumberSpace::kApplication);
  // Uncapped: adjusted = 100; rttvar = 37.5; smoothed = 100.
  EXPECT_EQ(unconfirmed.rttvar(), Us(37500));
  EXPECT_EQ(unconfirmed.smoothed_rtt(), Ms(100));

  RttEstimator confirmed;
  confirmed.set_handshake_confirmed(true);
  confirmed.OnSample(Ms(100), Duration::Zero(),
                     PacketNumberSpace::kApplication);
  confirmed.OnSample(Ms(200), Ms(100), PacketNumberSpace::kApplication);
  // Capped at 25 ms: adjusted = 175; rttvar = 37.5 + 18.75 = 56.25;
  // smoothed = 87.5 + 21.875 = 109.375.
  EXPECT_EQ(confirmed.rttvar(), Us(56250));
  EXPECT_EQ(confirmed.smoothed_rtt(), Us(109375));
}

TEST(RttEstimatorTest, MinRttTracksLowestSample) {
  RttEstimator r;
  r.OnSample(Ms(100), Duration::Zero(), PacketNumberSpace::kInitial);
  r.OnSample(Ms(80), Duration::Zero(), PacketNumberSpace::kInitial);
  EXPECT_EQ(r.min_rtt(), Ms(80));
  r.OnSample(Ms(90), Duration::Zero(), PacketNumberSpace::kInitial);
  EXPECT_EQ(r.min_rtt(), Ms(80));
  EXPECT_EQ(r.latest_rtt(), Ms(90));
}

TEST(RttEstimatorTest, PtoUsesGranularityFloor) {
  RttEstimator r;
  r.set_peer_max_ack_delay(Ms(10));
  r.OnSample(Us(100), Duration::Zero(), PacketNumberSpace::kInitial);
  // 4 * rttvar = 200 us < 1 ms.
  EXPECT_EQ(r.Pto(false), Us(1100));
  EXPECT_EQ(r.Pto(true), Us(11100));
}

}  // namespace
}  // namespace quicsim::endpoints
