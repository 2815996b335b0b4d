#include "scenarios/oracles/error_propagation.h"

#include <optional>

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using endpoints::Verdict;
using Kind = Verdict::Kind;
using sim::Duration;

Verdict V(Kind kind, uint64_t code = 0, int64_t ms = 20,
          uint64_t engine_error_code = 0) {
  Verdict v;
  v.kind = kind;
  v.code = code;
  v.elapsed = Duration::Millis(ms);
  v.engine_error_code = engine_error_code;
  return v;
}

const std::optional<Duration> kNoBound;

TEST(ErrorPropagationTest, HoldsWhenNobodyFailed) {
  EXPECT_TRUE(
      CheckErrorPropagation(V(Kind::kConfirmed), V(Kind::kConfirmed), kNoBound)
          .empty());
  // Both timing out is a liveness problem, not an error that went missing.
  EXPECT_TRUE(
      CheckErrorPropagation(V(Kind::kTimedOut), V(Kind::kTimedOut), kNoBound)
          .empty());
}

TEST(ErrorPropagationTest, HoldsWhenThePeerReceivedExactlyTheCode) {
  EXPECT_TRUE(CheckErrorPropagation(V(Kind::kClosedReceived, 0x150),
                                    V(Kind::kClosedSent, 0x150, 0, 0x150),
                                    Duration::Seconds(1))
                  .empty());
  // A stack-level close (no engine failure) counts the same way.
  EXPECT_TRUE(CheckErrorPropagation(V(Kind::kClosedSent, 0x08),
                                    V(Kind::kClosedReceived, 0x08), kNoBound)
                  .empty());
}

TEST(ErrorPropagationTest, TimedOutOrSilentPeerViolates) {
  for (Kind peer : {Kind::kTimedOut, Kind::kNone, Kind::kConfirmed}) {
    const std::vector<std::string> v = CheckErrorPropagation(
        V(peer, 0, 30000), V(Kind::kClosedSent, 0x178, 0), kNoBound);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_NE(v[0].find("server closed with 0x178"), std::string::npos) << v[0];
  }
}

TEST(ErrorPropagationTest, CloseLaterThanTheEngineFailureViolates) {
  // The server's engine failed with 0x150; its stack closed with that code
  // one PTO later (the error had been swallowed and resurfaced). The client
  // did hear of it, so only the delay is reported.
  Verdict late = V(Kind::kClosedSent, 0x150, 1000, 0x150);
  late.engine_error_to_verdict = Duration::Millis(999);
  const std::vector<std::string> v = CheckErrorPropagation(
      V(Kind::kClosedReceived, 0x150, 1010), late, kNoBound);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("server closed with 0x150 999ms after its TLS engine "
                      "failed"),
            std::string::npos)
      << v[0];
  // In the same instant: holds.
  late.engine_error_to_verdict = Duration::Zero();
  EXPECT_TRUE(CheckErrorPropagation(V(Kind::kClosedReceived, 0x150, 1010), late,
                                    kNoBound)
                  .empty());
}

TEST(ErrorPropagationTest, WrongCodeViolates) {
  EXPECT_EQ(CheckErrorPropagation(V(Kind::kClosedReceived, 0x128),
                                  V(Kind::kClosedSent, 0x150), kNoBound)
                .size(),
            1u);
}

TEST(ErrorPropagationTest, AnEngineFailureTheStackNeverLearnedOfViolates) {
  // GO_1_21: the server's engine failed writing its flight; its stack never
  // heard, so both sides time out.
  const std::vector<std::string> v =
      CheckErrorPropagation(V(Kind::kTimedOut, 0, 30000),
                            V(Kind::kTimedOut, 0, 30000, 0x150), kNoBound);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("server's TLS engine failed with 0x150"),
            std::string::npos)
      << v[0];
}

TEST(ErrorPropagationTest, LateArrivalViolatesTheBound) {
  EXPECT_EQ(CheckErrorPropagation(V(Kind::kClosedReceived, 0x150, 2500),
                                  V(Kind::kClosedSent, 0x150, 0, 0x150),
                                  Duration::Seconds(2))
                .size(),
            1u);
  EXPECT_TRUE(CheckErrorPropagation(V(Kind::kClosedReceived, 0x150, 2000),
                                    V(Kind::kClosedSent, 0x150, 0, 0x150),
                                    Duration::Seconds(2))
                  .empty());
}

TEST(ErrorPropagationTest, AbortBeforeTheClientHelloIsExempt) {
  // Nothing left the client: the server cannot hear of it.
  EXPECT_TRUE(CheckErrorPropagation(V(Kind::kAborted, 0x150, 0), V(Kind::kNone),
                                    kNoBound)
                  .empty());
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
