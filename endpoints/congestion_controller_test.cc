#include "endpoints/congestion_controller.h"

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using sim::Duration;
using sim::Time;

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

TEST(CongestionControllerTest, InitialWindow) {
  EXPECT_EQ(CongestionController::InitialWindow(1200), 12000u);
  EXPECT_EQ(CongestionController::InitialWindow(1500), 14720u);
  EXPECT_EQ(CongestionController::InitialWindow(9000), 18000u);
  CongestionController cc(1200);
  EXPECT_EQ(cc.congestion_window(), 12000u);
  EXPECT_EQ(cc.AvailableWindow(), 12000u);
}

TEST(CongestionControllerTest, SlowStartGrowsByAckedBytes) {
  CongestionController cc(1200);
  cc.OnPacketSent(1200);
  cc.OnPacketSent(1000);
  EXPECT_EQ(cc.bytes_in_flight(), 2200u);
  EXPECT_EQ(cc.AvailableWindow(), 9800u);
  cc.OnPacketAcked(1200, Ms(0));
  EXPECT_EQ(cc.bytes_in_flight(), 1000u);
  EXPECT_EQ(cc.congestion_window(), 13200u);
}

TEST(CongestionControllerTest, LossHalvesOncePerRecoveryPeriod) {
  CongestionController cc(1200);
  for (int i = 0; i < 6; ++i) cc.OnPacketSent(1200);
  cc.OnPacketsLost(1200, Ms(5), Ms(100));
  EXPECT_EQ(cc.ssthresh(), 6000u);
  EXPECT_EQ(cc.congestion_window(), 6000u);
  EXPECT_EQ(cc.bytes_in_flight(), 6000u);
  // Sent before recovery started: no second reduction.
  cc.OnPacketsLost(1200, Ms(50), Ms(120));
  EXPECT_EQ(cc.congestion_window(), 6000u);
  // Acks of packets from before recovery do not grow the window.
  cc.OnPacketAcked(1200, Ms(99));
  EXPECT_EQ(cc.congestion_window(), 6000u);
  // Congestion avoidance: +1 datagram per window of acked bytes.
  for (int i = 0; i < 5; ++i) cc.OnPacketAcked(1200, Ms(101));
  EXPECT_EQ(cc.congestion_window(), 7200u);
  EXPECT_EQ(cc.bytes_in_flight(), 0u);
  // A loss sent after recovery started reduces again, floored at 2 * mds.
  cc.OnPacketsLost(0, Ms(130), Ms(200));
  EXPECT_EQ(cc.congestion_window(), 3600u);
  cc.OnPacketsLost(0, Ms(210), Ms(300));
  EXPECT_EQ(cc.congestion_window(), 2400u);
}

TEST(CongestionControllerTest, DiscardAndPersistentCongestion) {
  CongestionController cc(1200);
  cc.OnPacketSent(3000);
  cc.OnPacketsDiscarded(1000);
  EXPECT_EQ(cc.bytes_in_flight(), 2000u);
  EXPECT_EQ(cc.congestion_window(), 12000u);
  cc.OnPersistentCongestion();
  EXPECT_EQ(cc.congestion_window(), 2400u);
}

}  // namespace
}  // namespace quicsim::endpoints
