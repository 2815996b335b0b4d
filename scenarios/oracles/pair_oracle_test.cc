#include "scenarios/oracles/pair_oracle.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::EncryptionLevel;
using endpoints::Perspective;

TEST(PairOracleTest, FansOutInOrder) {
  PairOracle oracle;
  endpoints::ConnectionObserver* observer = &oracle;
  observer->OnDatagramReceived(Perspective::kServer, 100);
  observer->OnDatagramSent(Perspective::kServer, 300, 1, false);
  EXPECT_TRUE(oracle.violations().empty());
  EXPECT_EQ(oracle.amplification().server_sent_unvalidated(), 300u);
  // One datagram after the server's closing period that also breaks the
  // limit: the draining violation comes first.
  observer->OnClosingPeriodEnded(Perspective::kServer);
  observer->OnDatagramSent(Perspective::kServer, 1, 1, true);
  observer->OnKeysDiscarded(Perspective::kClient, EncryptionLevel::kHandshake);
  observer->OnPacketSent(Perspective::kClient, EncryptionLevel::kHandshake);
  observer->OnAddressValidated(Perspective::kServer);
  observer->OnDatagramSent(Perspective::kClient, 10, 4, false);
  ASSERT_EQ(oracle.violations().size(), 3u);
  EXPECT_EQ(oracle.violations()[0].oracle, "no_packet_after_draining");
  EXPECT_EQ(oracle.violations()[1].oracle, "amplification_limit");
  EXPECT_EQ(oracle.violations()[2].oracle, "no_packet_after_key_discard");
}

TEST(PairOracleTest, ClientWithoutTimerWhileOneIsRequiredIsAStall) {
  PairOracle oracle;
  // Armed, or not required (the server; a client whose peer validated its
  // address): nothing to report.
  oracle.OnLossTimer(Perspective::kClient, /*armed=*/true, /*required=*/true);
  oracle.OnLossTimer(Perspective::kClient, /*armed=*/false,
                     /*required=*/false);
  oracle.OnLossTimer(Perspective::kServer, /*armed=*/false,
                     /*required=*/false);
  EXPECT_TRUE(oracle.violations().empty());
  // Required and not armed: one no_stall violation, reported once.
  oracle.OnLossTimer(Perspective::kClient, /*armed=*/false, /*required=*/true);
  oracle.OnLossTimer(Perspective::kClient, /*armed=*/false, /*required=*/true);
  ASSERT_EQ(oracle.violations().size(), 1u);
  EXPECT_EQ(oracle.violations()[0].oracle, "no_stall");
  EXPECT_NE(oracle.violations()[0].detail.find("client has no loss-detection"),
            std::string::npos)
      << oracle.violations()[0].detail;
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
