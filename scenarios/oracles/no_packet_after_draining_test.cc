#include "scenarios/oracles/no_packet_after_draining.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::Perspective;

TEST(NoPacketAfterDrainingTest, OnlyAfterThatSidesPeriodEnded) {
  NoPacketAfterDraining oracle;
  std::vector<OracleViolation> out;
  oracle.OnDatagramSent(Perspective::kServer, 50, &out);
  oracle.OnClosingPeriodEnded(Perspective::kClient);
  oracle.OnDatagramSent(Perspective::kServer, 50, &out);
  EXPECT_TRUE(out.empty());
  oracle.OnDatagramSent(Perspective::kClient, 42, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].oracle, "no_packet_after_draining");
  EXPECT_EQ(out[0].detail,
            "client sent 42 bytes after its closing/draining period");
  oracle.OnClosingPeriodEnded(Perspective::kServer);
  oracle.OnDatagramSent(Perspective::kServer, 7, &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].detail,
            "server sent 7 bytes after its closing/draining period");
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
