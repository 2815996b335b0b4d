#include "scenarios/oracles/expected_outcome.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::Verdict;

EndpointConfig Side(bool resume, bool zero_rtt) {
  EndpointConfig c;
  c.mutable_resumption()->set_enabled(resume);
  c.mutable_resumption()->set_zero_rtt(zero_rtt);
  return c;
}

Verdict Confirmed(bool resumed, bool early_data_accepted) {
  Verdict v;
  v.kind = Verdict::Kind::kConfirmed;
  v.resumed = resumed;
  v.early_data_accepted = early_data_accepted;
  return v;
}

TEST(ExpectedOutcomeTest, HoldsWhenTheClientDoesNotResume) {
  EXPECT_TRUE(CheckResumption(Side(false, false), Side(true, true), true,
                              Confirmed(false, false))
                  .empty());
}

TEST(ExpectedOutcomeTest, OnlyConfirmedHandshakesAreJudged) {
  Verdict timed_out;
  timed_out.kind = Verdict::Kind::kTimedOut;
  EXPECT_TRUE(
      CheckResumption(Side(true, true), Side(true, true), true, timed_out)
          .empty());
}

TEST(ExpectedOutcomeTest, MustResumeWithATicket) {
  const auto v = CheckResumption(Side(true, false), Side(true, false), true,
                                 Confirmed(false, false));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], "the handshake did not resume the session");
  // Without a ticket there was nothing to resume.
  EXPECT_TRUE(CheckResumption(Side(true, false), Side(true, false), false,
                              Confirmed(false, false))
                  .empty());
  EXPECT_TRUE(CheckResumption(Side(true, false), Side(true, false), true,
                              Confirmed(true, false))
                  .empty());
}

TEST(ExpectedOutcomeTest, ZeroRttAcceptedExactlyWhenBothSidesWantIt) {
  EXPECT_TRUE(CheckResumption(Side(true, true), Side(true, true), true,
                              Confirmed(true, true))
                  .empty());
  auto refused = CheckResumption(Side(true, true), Side(true, true), true,
                                 Confirmed(true, false));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0], "the server did not accept 0-RTT");
  // A server that does not enable 0-RTT must not accept it, ticket or not.
  for (bool ticket : {true, false}) {
    auto accepted = CheckResumption(Side(true, true), Side(true, false), ticket,
                                    Confirmed(ticket, true));
    ASSERT_EQ(accepted.size(), 1u) << ticket;
    EXPECT_EQ(accepted[0],
              "0-RTT was accepted by a server configured to refuse it");
  }
}

TEST(ExpectedOutcomeTest, PrimingWithoutTicket) {
  EXPECT_FALSE(CheckPrimingTicket(true).has_value());
  ASSERT_TRUE(CheckPrimingTicket(false).has_value());
  EXPECT_NE(CheckPrimingTicket(false)->find("without a session ticket"),
            std::string::npos);
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
