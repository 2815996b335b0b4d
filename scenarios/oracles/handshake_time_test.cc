#include "scenarios/oracles/handshake_time.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

using sim::Duration;

PairResult Pair(VerdictKind client, int64_t client_ms, VerdictKind server,
                int64_t server_ms) {
  PairResult p;
  p.client = {client, 0, Duration::Millis(client_ms)};
  p.server = {server, 0, Duration::Millis(server_ms)};
  return p;
}

TEST(HandshakeTimeTest, NoBoundNoViolation) {
  EXPECT_TRUE(
      CheckHandshakeTime(Expectations(), Pair(VerdictKind::kConfirmed, 99999,
                                              VerdictKind::kConfirmed, 99999))
          .empty());
}

TEST(HandshakeTimeTest, EachSideOverTheBound) {
  Expectations e;
  e.set_max_handshake_time("100ms");
  EXPECT_TRUE(CheckHandshakeTime(e, Pair(VerdictKind::kConfirmed, 100,
                                         VerdictKind::kConfirmed, 90))
                  .empty());
  const auto over = CheckHandshakeTime(
      e, Pair(VerdictKind::kConfirmed, 101, VerdictKind::kConfirmed, 150));
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0].substr(0, 11), "client took");
  EXPECT_EQ(over[1].substr(0, 11), "server took");
  // No verdict: not judged. A timed-out peer only when tolerated.
  EXPECT_TRUE(CheckHandshakeTime(
                  e, Pair(VerdictKind::kNone, 500, VerdictKind::kConfirmed, 50))
                  .empty());
  EXPECT_EQ(CheckHandshakeTime(e, Pair(VerdictKind::kTimedOut, 500,
                                       VerdictKind::kClosedSent, 50))
                .size(),
            1u);
  e.set_allow_peer_timeout(true);
  EXPECT_TRUE(CheckHandshakeTime(e, Pair(VerdictKind::kTimedOut, 500,
                                         VerdictKind::kClosedSent, 50))
                  .empty());
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
