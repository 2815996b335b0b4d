#include "scenarios/oracles/no_packet_after_key_discard.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::EncryptionLevel;
using endpoints::Perspective;

TEST(NoPacketAfterKeyDiscardTest, OnlyTheDiscardedLevelOfThatSide) {
  NoPacketAfterKeyDiscard oracle;
  std::vector<OracleViolation> out;
  oracle.OnPacketSent(Perspective::kClient, EncryptionLevel::kInitial, &out);
  EXPECT_TRUE(out.empty());
  oracle.OnKeysDiscarded(Perspective::kClient, EncryptionLevel::kInitial);
  // Other levels, and the other side's Initial, are still fine.
  oracle.OnPacketSent(Perspective::kClient, EncryptionLevel::kHandshake, &out);
  oracle.OnPacketSent(Perspective::kServer, EncryptionLevel::kInitial, &out);
  EXPECT_TRUE(out.empty());
  oracle.OnPacketSent(Perspective::kClient, EncryptionLevel::kInitial, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].oracle, "no_packet_after_key_discard");
  EXPECT_EQ(out[0].detail,
            "client sent a initial packet after discarding its keys");
}

TEST(NoPacketAfterKeyDiscardTest, EveryLevelIsNamed) {
  NoPacketAfterKeyDiscard oracle;
  std::vector<OracleViolation> out;
  const EncryptionLevel levels[] = {
      EncryptionLevel::kInitial, EncryptionLevel::kZeroRtt,
      EncryptionLevel::kHandshake, EncryptionLevel::kOneRtt};
  for (EncryptionLevel level : levels) {
    oracle.OnKeysDiscarded(Perspective::kServer, level);
    oracle.OnPacketSent(Perspective::kServer, level, &out);
  }
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1].detail,
            "server sent a 0rtt packet after discarding its keys");
  EXPECT_EQ(out[2].detail,
            "server sent a handshake packet after discarding its keys");
  EXPECT_EQ(out[3].detail,
            "server sent a 1rtt packet after discarding its keys");
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
