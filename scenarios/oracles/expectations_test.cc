#include "scenarios/oracles/expectations.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {

using ::quicsim::scenarios::OracleViolation;
using ::quicsim::scenarios::PairResult;
using ::quicsim::scenarios::Verdict;
using ::quicsim::scenarios::VerdictKind;
namespace {

using ::quicsim::scenarios::Expectations;

std::vector<std::string> Oracles(const Expectations& e, Verdict c, Verdict s) {
  PairResult p;
  p.client = c;
  p.server = s;
  JudgePair(e, &p);
  std::vector<std::string> names;
  for (const auto& v : p.violations) names.push_back(v.oracle);
  return names;
}

const Verdict kConfirmed{VerdictKind::kConfirmed, 0, sim::Duration::Millis(60)};

Verdict Sent(uint64_t code) {
  return {VerdictKind::kClosedSent, code, sim::Duration::Millis(30)};
}
Verdict Received(uint64_t code) {
  return {VerdictKind::kClosedReceived, code, sim::Duration::Millis(45)};
}

Expectations Closed(uint64_t code) {
  Expectations e;
  e.set_outcome(Expectations::CLOSED);
  e.add_error_codes(code);
  return e;
}

TEST(ExpectationsTest, ConfirmedPairPasses) {
  Expectations e;
  e.set_outcome(Expectations::CONFIRMED);
  EXPECT_TRUE(Oracles(e, kConfirmed, kConfirmed).empty());
}

TEST(ExpectationsTest, MatchingCloseOnBothSidesPasses) {
  EXPECT_TRUE(Oracles(Closed(0x178), Received(0x178), Sent(0x178)).empty());
}

TEST(ExpectationsTest, DisagreeingCodes) {
  EXPECT_EQ(Oracles(Closed(0x178), Received(0x150), Sent(0x178)),
            (std::vector<std::string>{"verdicts_agree", "expected_outcome"}));
}

TEST(ExpectationsTest, WrongCodeButAgreeing) {
  EXPECT_EQ(Oracles(Closed(0x178), Received(0x150), Sent(0x150)),
            std::vector<std::string>{"expected_outcome"});
}

TEST(ExpectationsTest, OneSideConfirmedOtherClosed) {
  Expectations e;
  e.set_outcome(Expectations::CONFIRMED);
  EXPECT_EQ(Oracles(e, kConfirmed, Sent(0x1)),
            (std::vector<std::string>{"verdicts_agree", "expected_outcome"}));
}

TEST(ExpectationsTest, PeerTimeoutOnlyWhenAllowed) {
  const Verdict timed_out{VerdictKind::kTimedOut, 0,
                          sim::Duration::Seconds(30)};
  Expectations e = Closed(0x128);
  EXPECT_EQ(Oracles(e, timed_out, Sent(0x128)),
            (std::vector<std::string>{"verdicts_agree", "expected_outcome"}));
  e.set_allow_peer_timeout(true);
  EXPECT_TRUE(Oracles(e, timed_out, Sent(0x128)).empty());
}

TEST(ExpectationsTest, SilentPeerOnlyWhenAllowed) {
  Expectations e = Closed(0x0c);
  EXPECT_EQ(Oracles(e, Sent(0x0c), Verdict{}).size(), 2u);
  e.set_allow_peer_silent(true);
  EXPECT_TRUE(Oracles(e, Sent(0x0c), Verdict{}).empty());
}

TEST(ExpectationsTest, AbortBeforeClientHello) {
  const Verdict aborted{VerdictKind::kAborted, 0x0c, sim::Duration::Zero()};
  Expectations e = Closed(0x0c);
  e.set_allow_peer_silent(true);
  EXPECT_TRUE(Oracles(e, aborted, Verdict{}).empty());
  // An aborted client sent nothing, so the server cannot have received it.
  EXPECT_EQ(Oracles(e, aborted, Received(0x0c)),
            std::vector<std::string>{"verdicts_agree"});
}

TEST(ExpectationsTest, HandshakeTimeBound) {
  Expectations e;
  e.set_outcome(Expectations::CONFIRMED);
  e.set_max_handshake_time("50ms");
  // The client took 60ms, the server 40ms.
  const Verdict server{VerdictKind::kConfirmed, 0, sim::Duration::Millis(40)};
  EXPECT_EQ(Oracles(e, kConfirmed, server),
            std::vector<std::string>{"handshake_time"});
  e.set_max_handshake_time("30ms");
  EXPECT_EQ(Oracles(e, kConfirmed, server),
            (std::vector<std::string>{"handshake_time", "handshake_time"}));
  e.set_max_handshake_time("60ms");
  EXPECT_TRUE(Oracles(e, kConfirmed, kConfirmed).empty());
}

TEST(ExpectationsTest, OnlyListedOraclesReport) {
  Expectations e = Closed(0x178);
  e.add_oracles(Expectations::VERDICTS_AGREE);
  PairResult p;
  p.client = Received(0x150);
  p.server = Sent(0x150);
  p.violations.push_back({"amplification_limit", "sent 4x"});
  JudgePair(e, &p);
  EXPECT_TRUE(p.violations.empty());
  p.violations.push_back({"determinism", "digests differ"});
  JudgePair(e, &p);
  ASSERT_EQ(p.violations.size(), 1u);
  EXPECT_EQ(p.violations[0].oracle, "determinism");
}

TEST(ExpectationsTest, ExpectedViolationIsDemonstratedOrReported) {
  Expectations e = Closed(0x178);
  e.add_oracles(Expectations::ERROR_PROPAGATION);
  e.add_expected_violations(Expectations::ERROR_PROPAGATION);
  const Verdict timed_out{VerdictKind::kTimedOut, 0,
                          sim::Duration::Seconds(30)};
  // The runner (world) found the violation: it is expected, so it passes.
  PairResult flawed;
  flawed.client = timed_out;
  flawed.server = Sent(0x178);
  flawed.violations.push_back({"error_propagation", "the client timed out"});
  JudgePair(e, &flawed);
  EXPECT_TRUE(flawed.violations.empty());
  // The flaw did not show: an unexpected pass is a violation of its own.
  PairResult fine;
  fine.client = Received(0x178);
  fine.server = Sent(0x178);
  JudgePair(e, &fine);
  ASSERT_EQ(fine.violations.size(), 1u);
  EXPECT_EQ(fine.violations[0].oracle, kExpectedViolation);
  // Other oracles' violations are unaffected.
  Expectations all = Closed(0x178);
  all.add_expected_violations(Expectations::ERROR_PROPAGATION);
  PairResult both;
  both.client = Received(0x150);
  both.server = Sent(0x178);
  both.violations.push_back({"error_propagation", "wrong code"});
  JudgePair(all, &both);
  EXPECT_EQ(both.violations.size(), 2u);  // verdicts_agree, expected_outcome
  for (const OracleViolation& v : both.violations) {
    EXPECT_NE(v.oracle, "error_propagation");
  }
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
