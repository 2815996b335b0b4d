#include "endpoints/packet_space.h"

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

TEST(PacketSpaceTest, ThreeSpacesStartEmpty) {
  PacketSpaces spaces = MakePacketSpaces(sim::Duration::Millis(25));
  for (const PacketSpace& space : spaces) {
    EXPECT_EQ(space.next_packet_number, 0u);
    EXPECT_FALSE(space.largest_received.has_value());
    EXPECT_EQ(space.probes_pending, 0);
    EXPECT_FALSE(space.pending.handshake_done);
    EXPECT_FALSE(space.pending.stream);
    EXPECT_FALSE(space.crypto.HasPendingData());
    EXPECT_FALSE(space.acks.HasNewPackets());
  }
}

TEST(PacketSpaceTest, OnlyTheApplicationSpaceDelaysAcks) {
  // One ack-eliciting packet: Initial and Handshake acknowledge at once,
  // the Application space waits up to max_ack_delay (RFC 9000 §13.2.1).
  PacketSpaces spaces = MakePacketSpaces(sim::Duration::Millis(25));
  const sim::Time now = sim::Time::FromNanos(1'000'000);
  for (PacketSpace& space : spaces) {
    space.acks.OnPacketReceived(0, /*ack_eliciting=*/true, now);
  }
  EXPECT_TRUE(
      spaces[static_cast<int>(PacketNumberSpace::kInitial)].acks.ShouldSendAck(
          now));
  EXPECT_TRUE(spaces[static_cast<int>(PacketNumberSpace::kHandshake)]
                  .acks.ShouldSendAck(now));
  const AckTracker& app =
      spaces[static_cast<int>(PacketNumberSpace::kApplication)].acks;
  EXPECT_FALSE(app.ShouldSendAck(now));
  EXPECT_EQ(app.Deadline(), now + sim::Duration::Millis(25));
}

}  // namespace
}  // namespace quicsim::endpoints
