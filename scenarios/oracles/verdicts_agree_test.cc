#include "scenarios/oracles/verdicts_agree.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

PairResult Pair(Verdict client, Verdict server) {
  PairResult p;
  p.client = client;
  p.server = server;
  return p;
}

const Verdict kConfirmed{VerdictKind::kConfirmed, 0, {}};
const Verdict kTimedOut{VerdictKind::kTimedOut, 0, {}};
const Verdict kNone{VerdictKind::kNone, 0, {}};
Verdict Sent(uint64_t code) { return {VerdictKind::kClosedSent, code, {}}; }
Verdict Received(uint64_t code) {
  return {VerdictKind::kClosedReceived, code, {}};
}
Verdict Aborted(uint64_t code) { return {VerdictKind::kAborted, code, {}}; }

TEST(VerdictsAgreeTest, ConfirmedOnBothSidesOrSameCode) {
  const Expectations e;
  EXPECT_FALSE(CheckVerdictsAgree(e, Pair(kConfirmed, kConfirmed)));
  EXPECT_FALSE(CheckVerdictsAgree(e, Pair(Received(0x178), Sent(0x178))));
  EXPECT_FALSE(CheckVerdictsAgree(e, Pair(Sent(0x8), Sent(0x8))));
  EXPECT_EQ(CheckVerdictsAgree(e, Pair(kConfirmed, Sent(0x178))),
            "client CONFIRMED, server CLOSED_SENT 0x178");
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(Received(0x150), Sent(0x178))));
  // Both received a close nobody sent.
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(Received(0x8), Received(0x8))));
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(kTimedOut, kTimedOut)));
}

TEST(VerdictsAgreeTest, ToleratedPeersOfASentClose) {
  Expectations e;
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(kTimedOut, Sent(0x178))));
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(Aborted(0x150), kNone)));
  e.set_allow_peer_timeout(true);
  EXPECT_FALSE(CheckVerdictsAgree(e, Pair(kTimedOut, Sent(0x178))));
  e.set_allow_peer_silent(true);
  EXPECT_FALSE(CheckVerdictsAgree(e, Pair(Aborted(0x150), kNone)));
  // A peer that received what was never sent is not tolerated.
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(Aborted(0x150), Received(0x150))));
  // Only a sent close can leave its peer timed out.
  EXPECT_TRUE(CheckVerdictsAgree(e, Pair(Received(0x178), kTimedOut)));
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
