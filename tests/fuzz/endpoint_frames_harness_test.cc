// The endpoint_frames harness really speaks for the peer: a packet it seals
// at a level is decrypted and acted on by the target. A CONNECTION_CLOSE
// with a code only the harness uses, injected at Initial, Handshake or
// 1-RTT into either side (and at 0-RTT into the server), is what closes the
// target; a PING at every level leaves both sides with a verdict.
#include "tests/fuzz/endpoint_frames_harness.h"

#include <cstdint>
#include <vector>

#include "endpoints/verdict.h"
#include "gtest/gtest.h"

namespace quicsim::fuzz {
namespace {

using endpoints::Verdict;

constexpr uint8_t kServer = 1;
constexpr uint8_t kPadInitial = 0x10;
// CONNECTION_CLOSE (transport) with a code no real endpoint here sends
// (0x3039), frame type 0, empty reason.
constexpr uint64_t kCloseCode = 0x3039;
const std::vector<uint8_t> kClose = {0x1c, 0x70, 0x39, 0x00, 0x00};
const std::vector<uint8_t> kPing = {0x01};

std::vector<uint8_t> Input(uint8_t target, int level, int point,
                           const std::vector<uint8_t>& frames) {
  std::vector<uint8_t> input = {
      static_cast<uint8_t>(target | level << 1 | kPadInitial),
      static_cast<uint8_t>(point)};
  input.insert(input.end(), frames.begin(), frames.end());
  return input;
}

const Verdict* Target(const InjectionOutcome& o, uint8_t target) {
  if (target == kServer) return o.server.has_value() ? &*o.server : nullptr;
  return &o.client;
}

TEST(EndpointFramesHarnessTest, PingAtEveryLevelEndsInVerdicts) {
  for (uint8_t target : {uint8_t{0}, kServer}) {
    for (int level = 0; level < 4; ++level) {
      SCOPED_TRACE(testing::Message()
                   << "target " << int{target} << " level " << level);
      const InjectionOutcome o = RunInjection(Input(target, level, 0, kPing));
      EXPECT_TRUE(o.ran);
      EXPECT_TRUE(o.injected);
      EXPECT_FALSE(o.stalled);
      EXPECT_TRUE(o.client.final());
      ASSERT_TRUE(o.server.has_value());
      EXPECT_TRUE(o.server->final());
      // Whatever happened, it was not the harness's close code.
      EXPECT_NE(o.client.code, kCloseCode);
      EXPECT_NE(o.server->code, kCloseCode);
    }
  }
}

TEST(EndpointFramesHarnessTest, ShortInputRunsNothing) {
  EXPECT_FALSE(RunInjection({}).ran);
  EXPECT_FALSE(RunInjection(std::vector<uint8_t>{0x01}).ran);
}

TEST(EndpointFramesHarnessTest, CloseReachesTheTargetAtEveryLevel) {
  struct Case {
    uint8_t target;
    int level;
  };
  for (const Case c : {Case{0, 0}, Case{0, 2}, Case{0, 3}, Case{kServer, 0},
                       Case{kServer, 1}, Case{kServer, 2}, Case{kServer, 3}}) {
    SCOPED_TRACE(testing::Message()
                 << "target " << int{c.target} << " level " << c.level);
    // Some point of the handshake has the target ready for that level.
    bool closed = false;
    for (int point = 0; point < 8 && !closed; ++point) {
      const InjectionOutcome o =
          RunInjection(Input(c.target, c.level, point, kClose));
      EXPECT_FALSE(o.stalled);
      const Verdict* v = Target(o, c.target);
      closed = o.injected && v != nullptr &&
               v->kind == Verdict::Kind::kClosedReceived &&
               v->code == kCloseCode;
    }
    EXPECT_TRUE(closed);
  }
}

}  // namespace
}  // namespace quicsim::fuzz
