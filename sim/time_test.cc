#include "sim/time.h"

#include <sstream>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

TEST(DurationTest, ToStringUsesShortestExactUnit) {
  EXPECT_EQ(Duration::Zero().ToString(), "0");
  EXPECT_EQ(Duration::Nanos(1).ToString(), "1ns");
  EXPECT_EQ(Duration::Nanos(999).ToString(), "999ns");
  EXPECT_EQ(Duration::Nanos(1001).ToString(), "1.001us");
  EXPECT_EQ(Duration::Micros(250).ToString(), "250us");
  EXPECT_EQ(Duration::Micros(1500).ToString(), "1.5ms");
  EXPECT_EQ(Duration::Seconds(3).ToString(), "3s");
  EXPECT_EQ(Duration::Nanos(1234567891).ToString(), "1.234567891s");
  EXPECT_EQ(Duration::Nanos(1000000001).ToString(), "1.000000001s");
  EXPECT_EQ(Duration::Micros(-1500).ToString(), "-1.5ms");
  EXPECT_EQ(Duration::Infinite().ToString(), "inf");
}

TEST(DurationTest, Arithmetic) {
  EXPECT_EQ(Duration::Millis(1) + Duration::Micros(500),
            Duration::Micros(1500));
  EXPECT_EQ(Duration::Seconds(1) - Duration::Millis(1),
            Duration::Micros(999000));
  EXPECT_EQ(Duration::Millis(3) * 4, Duration::Millis(12));
  EXPECT_EQ(Duration::Millis(3) / 2, Duration::Micros(1500));
  EXPECT_EQ(Duration::Nanos(7) / 2, Duration::Nanos(3));  // truncates
  Duration d = Duration::Millis(1);
  d += Duration::Millis(2);
  EXPECT_EQ(d, Duration::Millis(3));
  d -= Duration::Micros(1);
  EXPECT_EQ(d.nanos(), 2999000);
  EXPECT_EQ(d.micros(), 2999);
  EXPECT_EQ(d.millis(), 2);
  EXPECT_DOUBLE_EQ(Duration::Millis(1500).seconds(), 1.5);
  EXPECT_LT(Duration::Nanos(1), Duration::Nanos(2));
  EXPECT_GT(Duration::Infinite(), Duration::Seconds(1000000000));
}

TEST(TimeTest, ToStringHasNanosecondPrecision) {
  EXPECT_EQ(Time::Zero().ToString(), "0.000000000s");
  EXPECT_EQ(Time::FromNanos(12000345678).ToString(), "12.000345678s");
  EXPECT_EQ(Time::FromNanos(1).ToString(), "0.000000001s");
  EXPECT_EQ(Time::FromNanos(-1500000000).ToString(), "-1.500000000s");
  EXPECT_EQ(Time::Infinite().ToString(), "inf");
  std::ostringstream os;
  os << Time::FromNanos(2500000000) << " " << Duration::Millis(2);
  EXPECT_EQ(os.str(), "2.500000000s 2ms");
}

TEST(TimeTest, Arithmetic) {
  const Time t = Time::Zero() + Duration::Millis(5);
  EXPECT_EQ(t.nanos(), 5000000);
  EXPECT_EQ(t - Time::Zero(), Duration::Millis(5));
  EXPECT_EQ(t - Duration::Millis(2), Time::FromNanos(3000000));
  EXPECT_EQ(Time::FromNanos(3) - Time::FromNanos(5), Duration::Nanos(-2));
  Time u = t;
  u += Duration::Nanos(1);
  EXPECT_EQ(u.nanos(), 5000001);
  EXPECT_LT(t, u);
  EXPECT_NE(t, u);
}

TEST(TimeTest, InfiniteSaturates) {
  EXPECT_TRUE(Time::Infinite().IsInfinite());
  EXPECT_EQ(Time::Infinite() + Duration::Seconds(1), Time::Infinite());
  EXPECT_EQ(Time::Zero() + Duration::Infinite(), Time::Infinite());
  EXPECT_EQ(Time::FromNanos(123) + Duration::Infinite(), Time::Infinite());
  Time t = Time::Infinite();
  t += Duration::Millis(1);
  EXPECT_TRUE(t.IsInfinite());
  EXPECT_TRUE(Duration::Infinite().IsInfinite());
  EXPECT_FALSE(Duration::Seconds(1).IsInfinite());
  EXPECT_GT(Time::Infinite(), Time::FromNanos(1) + Duration::Seconds(100000));
}

}  // namespace
}  // namespace quicsim::sim
