#include "endpoints/ack_tracker.h"

#include <vector>

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using sim::Duration;
using sim::Time;

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

AckTracker::Config AppConfig() {
  AckTracker::Config c;
  c.space = PacketNumberSpace::kApplication;
  c.max_ack_delay = Duration::Millis(25);
  return c;
}

std::vector<PacketNumberRange> Ranges(const AckTracker& t) {
  std::vector<PacketNumberRange> out;
  t.GetAckRanges(&out);
  return out;
}

TEST(AckTrackerTest, NothingReceivedNothingDue) {
  AckTracker t(AppConfig());
  EXPECT_EQ(t.Deadline(), Time::Infinite());
  EXPECT_FALSE(t.HasNewPackets());
  EXPECT_TRUE(Ranges(t).empty());
}

TEST(AckTrackerTest, InitialAndHandshakeAckImmediately) {
  for (PacketNumberSpace space :
       {PacketNumberSpace::kInitial, PacketNumberSpace::kHandshake}) {
    AckTracker::Config c;
    c.space = space;
    AckTracker t(c);
    t.OnPacketReceived(0, /*ack_eliciting=*/true, Ms(7));
    EXPECT_EQ(t.Deadline(), Ms(7));
    EXPECT_TRUE(t.ShouldSendAck(Ms(7)));
    t.OnAckSent();
    EXPECT_EQ(t.Deadline(), Time::Infinite());
  }
}

TEST(AckTrackerTest, NonAckElicitingAloneNeverForcesAck) {
  AckTracker::Config c;
  c.space = PacketNumberSpace::kInitial;
  AckTracker t(c);
  t.OnPacketReceived(0, /*ack_eliciting=*/false, Ms(1));
  EXPECT_EQ(t.Deadline(), Time::Infinite());
  EXPECT_TRUE(t.HasNewPackets());  // may be bundled
  EXPECT_EQ(Ranges(t), (std::vector<PacketNumberRange>{{0, 0}}));
}

TEST(AckTrackerTest, ApplicationDelaysUntilMaxAckDelayOrSecondPacket) {
  AckTracker t(AppConfig());
  t.OnPacketReceived(0, true, Ms(100));
  EXPECT_EQ(t.Deadline(), Ms(125));  // 100 + max_ack_delay
  EXPECT_FALSE(t.ShouldSendAck(Ms(124)));
  EXPECT_TRUE(t.ShouldSendAck(Ms(125)));
  t.OnPacketReceived(1, true, Ms(110));  // second ack-eliciting: now
  EXPECT_EQ(t.Deadline(), Ms(110));
  t.OnAckSent();
  EXPECT_EQ(t.Deadline(), Time::Infinite());
  EXPECT_FALSE(t.HasNewPackets());
  t.OnPacketReceived(2, true, Ms(200));
  EXPECT_EQ(t.Deadline(), Ms(225));
}

TEST(AckTrackerTest, GapAboveLargestAckElicitingForcesImmediateAck) {
  AckTracker t(AppConfig());
  t.OnPacketReceived(0, true, Ms(0));
  t.OnAckSent();
  t.OnPacketReceived(2, true, Ms(10));  // 1 is missing
  EXPECT_EQ(t.Deadline(), Ms(10));
}

TEST(AckTrackerTest, OutOfOrderBelowLargestForcesImmediateAck) {
  AckTracker t(AppConfig());
  t.OnPacketReceived(0, true, Ms(0));
  t.OnPacketReceived(2, true, Ms(1));
  t.OnAckSent();
  t.OnPacketReceived(1, true, Ms(5));  // fills the gap, arrives late
  EXPECT_EQ(t.Deadline(), Ms(5));
}

TEST(AckTrackerTest, NonAckElicitingPacketsCloseTheGap) {
  AckTracker::Config c = AppConfig();
  c.ack_eliciting_threshold = 10;  // isolate the gap rule
  AckTracker t(c);
  t.OnPacketReceived(0, true, Ms(0));
  t.OnPacketReceived(1, false, Ms(1));
  t.OnPacketReceived(2, true, Ms(2));  // no gap: 1 arrived (ACK-only)
  EXPECT_EQ(t.Deadline(), Ms(25));
  t.OnPacketReceived(4, false, Ms(3));  // not ack-eliciting: no effect
  EXPECT_EQ(t.Deadline(), Ms(25));
}

TEST(AckTrackerTest, FirstPacketAboveZeroIsAGap) {
  AckTracker::Config c = AppConfig();
  c.ack_eliciting_threshold = 10;
  AckTracker t(c);
  t.OnPacketReceived(3, true, Ms(4));  // 0..2 missing
  EXPECT_EQ(t.Deadline(), Ms(4));
}

TEST(AckTrackerTest, RangesDescendingWithGapsAndMerges) {
  AckTracker t(AppConfig());
  for (uint64_t pn : {0, 1, 2, 5, 6, 9}) t.OnPacketReceived(pn, true, Ms(1));
  EXPECT_EQ(Ranges(t),
            (std::vector<PacketNumberRange>{{9, 9}, {5, 6}, {0, 2}}));
  t.OnPacketReceived(4, true, Ms(2));
  t.OnPacketReceived(3, true, Ms(2));
  EXPECT_EQ(Ranges(t), (std::vector<PacketNumberRange>{{9, 9}, {0, 6}}));
  t.OnPacketReceived(8, true, Ms(2));
  t.OnPacketReceived(7, true, Ms(2));
  EXPECT_EQ(Ranges(t), (std::vector<PacketNumberRange>{{0, 9}}));
  EXPECT_EQ(t.tracked_ranges(), 1u);
}

TEST(AckTrackerTest, RangeCountIsCappedKeepingHighest) {
  AckTracker::Config c = AppConfig();
  c.max_ack_ranges = 2;
  AckTracker t(c);
  for (uint64_t pn : {0, 2, 4, 6}) t.OnPacketReceived(pn, true, Ms(1));
  EXPECT_EQ(Ranges(t), (std::vector<PacketNumberRange>{{6, 6}, {4, 4}}));
}

TEST(AckTrackerTest, DuplicateDetection) {
  AckTracker t(AppConfig());
  t.OnPacketReceived(0, true, Ms(0));
  t.OnPacketReceived(5, true, Ms(0));
  EXPECT_TRUE(t.IsDuplicate(0));
  EXPECT_TRUE(t.IsDuplicate(5));
  EXPECT_FALSE(t.IsDuplicate(1));
  EXPECT_FALSE(t.IsDuplicate(6));
}

TEST(AckTrackerTest, AckDelayMeasuredFromLargestReceipt) {
  AckTracker t(AppConfig());
  t.OnPacketReceived(4, true, Ms(10));
  t.OnPacketReceived(2, true, Ms(12));  // lower pn: does not move the clock
  EXPECT_EQ(t.largest_received(), 4u);
  EXPECT_EQ(t.AckDelay(Ms(13)), Duration::Millis(3));
  t.OnPacketReceived(7, true, Ms(20));
  EXPECT_EQ(t.AckDelay(Ms(21)), Duration::Millis(1));
}

TEST(AckTrackerTest, AckOfAckForgetsOldRanges) {
  AckTracker t(AppConfig());
  for (uint64_t pn : {0, 1, 2, 3, 4, 6, 7, 8, 9}) {
    t.OnPacketReceived(pn, true, Ms(1));
  }
  t.OnAckOfAckReceived(7);
  EXPECT_EQ(Ranges(t), (std::vector<PacketNumberRange>{{7, 9}}));
  EXPECT_TRUE(t.IsDuplicate(5));  // below the window now
  EXPECT_TRUE(t.IsDuplicate(3));
  EXPECT_FALSE(t.IsDuplicate(10));
}

TEST(AckTrackerTest, TrackedRangesBounded) {
  AckTracker::Config c = AppConfig();
  c.max_ack_ranges = 2;
  c.max_tracked_ranges = 4;
  AckTracker t(c);
  for (uint64_t pn : {0, 2, 4, 6, 8}) t.OnPacketReceived(pn, true, Ms(1));
  EXPECT_EQ(t.tracked_ranges(), 4u);
  EXPECT_TRUE(t.IsDuplicate(1));   // below the oldest remaining range
  EXPECT_FALSE(t.IsDuplicate(3));  // still a tracked gap
}

TEST(AckTrackerTest, ForgottenRangesDoNotLookLikeGaps) {
  AckTracker::Config c = AppConfig();
  c.ack_eliciting_threshold = 10;
  AckTracker t(c);
  t.OnPacketReceived(0, true, Ms(0));
  for (uint64_t pn = 1; pn <= 5; ++pn) t.OnPacketReceived(pn, false, Ms(1));
  t.OnAckSent();
  t.OnAckOfAckReceived(5);
  // Packets 1..4 are forgotten; 6 follows 5 directly, so no gap.
  t.OnPacketReceived(6, true, Ms(10));
  EXPECT_EQ(t.Deadline(), Ms(35));
}

TEST(AckTrackerTest, SmallFootprint) {
  // Three per connection; the budget is 100 KiB per pair.
  EXPECT_LE(sizeof(AckTracker), 256u);
}

}  // namespace
}  // namespace quicsim::endpoints
