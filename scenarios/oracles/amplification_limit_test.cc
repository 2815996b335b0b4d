#include "scenarios/oracles/amplification_limit.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::Perspective;

TEST(AmplificationLimitTest, ExactlyThreeTimesIsAllowed) {
  AmplificationLimit oracle;
  std::vector<OracleViolation> out;
  oracle.OnDatagramReceived(Perspective::kServer, 1200);
  oracle.OnDatagramSent(Perspective::kServer, 1200, &out);
  oracle.OnDatagramSent(Perspective::kServer, 1200, &out);
  oracle.OnDatagramSent(Perspective::kServer, 1200, &out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(oracle.server_sent_unvalidated(), 3600u);
  EXPECT_EQ(oracle.server_received_unvalidated(), 1200u);
  oracle.OnDatagramSent(Perspective::kServer, 1, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].oracle, "amplification_limit");
  EXPECT_EQ(out[0].detail,
            "server sent 3601 bytes having received 1200 before address "
            "validation");
}

TEST(AmplificationLimitTest, OnlyTheServerBeforeValidationCounts) {
  AmplificationLimit oracle;
  std::vector<OracleViolation> out;
  // The client sends as much as it likes.
  oracle.OnDatagramSent(Perspective::kClient, 100000, &out);
  oracle.OnDatagramReceived(Perspective::kClient, 100000);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(oracle.server_received_unvalidated(), 0u);
  // Nothing received yet: any server byte is too many.
  oracle.OnDatagramSent(Perspective::kServer, 1, &out);
  EXPECT_EQ(out.size(), 1u);
  // The client validating does not lift the server's limit; the server
  // validating does, and stops the counting.
  oracle.OnAddressValidated(Perspective::kClient);
  oracle.OnDatagramSent(Perspective::kServer, 10, &out);
  EXPECT_EQ(out.size(), 2u);
  oracle.OnAddressValidated(Perspective::kServer);
  oracle.OnDatagramSent(Perspective::kServer, 100000, &out);
  oracle.OnDatagramReceived(Perspective::kServer, 5);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(oracle.server_sent_unvalidated(), 11u);
  EXPECT_EQ(oracle.server_received_unvalidated(), 0u);
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
