#include "endpoints/loss_detector.h"

#include <vector>

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using sim::Duration;
using sim::Time;

constexpr PacketNumberSpace kInitial = PacketNumberSpace::kInitial;
constexpr PacketNumberSpace kHandshake = PacketNumberSpace::kHandshake;
constexpr PacketNumberSpace kApp = PacketNumberSpace::kApplication;

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }
Time Us(int64_t us) { return Time::Zero() + Duration::Micros(us); }

RecoveryFlags ServerFlags() {
  RecoveryFlags f;
  f.peer_completed_address_validation = true;
  f.has_handshake_keys = true;
  return f;
}

std::vector<uint64_t> Pns(const std::vector<SentPacketInfo>& v) {
  std::vector<uint64_t> out;
  for (const SentPacketInfo& p : v) out.push_back(p.packet_number);
  return out;
}

void Send(LossDetector& ld, PacketNumberSpace space, uint64_t pn, Time t,
          uint32_t bytes = 1200) {
  ld.OnPacketSent(space, pn, t, bytes, /*ack_eliciting=*/true,
                  /*in_flight=*/true, /*token=*/pn * 100);
}

TEST(LossDetectorTest, PacketAndTimeThresholdLoss) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  for (uint64_t pn = 0; pn < 5; ++pn) Send(ld, kInitial, pn, Ms(pn));
  EXPECT_EQ(ld.bytes_in_flight(), 6000u);

  RecoveryOutcome out;
  PacketNumberRange ack[] = {{4, 4}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack, Duration::Zero(), Ms(100), &out).ok());
  EXPECT_EQ(Pns(out.acked), (std::vector<uint64_t>{4}));
  EXPECT_EQ(out.acked[0].token, 400u);
  // 4 >= pn + 3 for pn 0 and 1.
  EXPECT_EQ(Pns(out.lost), (std::vector<uint64_t>{0, 1}));
  EXPECT_TRUE(out.rtt_updated);
  EXPECT_EQ(ld.rtt().latest_rtt(), Duration::Millis(96));
  EXPECT_EQ(ld.bytes_in_flight(), 2400u);
  // loss_delay = 9/8 * 96 ms = 108 ms; pn 2 was sent at 2 ms.
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(110));

  ld.OnLossDetectionTimeout(Ms(109), &out);  // early: nothing
  EXPECT_TRUE(out.lost.empty());
  ld.OnLossDetectionTimeout(Ms(110), &out);
  EXPECT_EQ(Pns(out.lost), (std::vector<uint64_t>{2}));
  EXPECT_EQ(out.probe.count, 0);
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(111));
  ld.OnLossDetectionTimeout(Ms(111), &out);
  EXPECT_EQ(Pns(out.lost), (std::vector<uint64_t>{3}));
  EXPECT_EQ(ld.bytes_in_flight(), 0u);
  EXPECT_EQ(ld.OutstandingPackets(kInitial), 0u);
  // Server, nothing in flight: no timer.
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
}

TEST(LossDetectorTest, AckWithGapsAcksOnlyListedPackets) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  for (uint64_t pn = 0; pn < 8; ++pn) Send(ld, kHandshake, pn, Ms(10));
  RecoveryOutcome out;
  PacketNumberRange ack[] = {{6, 7}, {2, 3}};
  ASSERT_TRUE(
      ld.OnAckReceived(kHandshake, ack, Duration::Zero(), Ms(50), &out).ok());
  EXPECT_EQ(Pns(out.acked), (std::vector<uint64_t>{2, 3, 6, 7}));
  // 7 >= pn + 3 for 0, 1, 4; pn 5 waits for the time threshold.
  EXPECT_EQ(Pns(out.lost), (std::vector<uint64_t>{0, 1, 4}));
  EXPECT_EQ(ld.OutstandingPackets(kHandshake), 1u);
  // Re-acknowledging the same packets is a no-op.
  ASSERT_TRUE(
      ld.OnAckReceived(kHandshake, ack, Duration::Zero(), Ms(51), &out).ok());
  EXPECT_TRUE(out.acked.empty());
  EXPECT_TRUE(out.lost.empty());
}

TEST(LossDetectorTest, RttSampleOnlyForNewlyAckedAckElicitingLargest) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  Send(ld, kInitial, 1, Ms(1));
  RecoveryOutcome out;
  PacketNumberRange ack1[] = {{1, 1}};
  // pn 0 is not yet lost: 9/8 * 40 ms = 45 ms after its send time.
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack1, Duration::Zero(), Ms(41), &out).ok());
  EXPECT_TRUE(out.lost.empty());
  EXPECT_TRUE(out.rtt_updated);
  EXPECT_EQ(ld.rtt().latest_rtt(), Duration::Millis(40));
  // Largest (1) already acknowledged: no new sample even though 0 is new.
  PacketNumberRange ack2[] = {{0, 1}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack2, Duration::Zero(), Ms(42), &out).ok());
  EXPECT_EQ(Pns(out.acked), (std::vector<uint64_t>{0}));
  EXPECT_FALSE(out.rtt_updated);
  EXPECT_EQ(ld.rtt().latest_rtt(), Duration::Millis(40));
  // Only non-ack-eliciting packets newly acked: no sample.
  ld.OnPacketSent(kInitial, 2, Ms(100), 50, /*ack_eliciting=*/false,
                  /*in_flight=*/false, 0);
  PacketNumberRange ack3[] = {{2, 2}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack3, Duration::Zero(), Ms(200), &out).ok());
  EXPECT_EQ(Pns(out.acked), (std::vector<uint64_t>{2}));
  EXPECT_FALSE(out.rtt_updated);
  EXPECT_EQ(ld.rtt().latest_rtt(), Duration::Millis(40));
}

TEST(LossDetectorTest, InvalidAcksRejected) {
  LossDetector ld;
  RecoveryOutcome out;
  PacketNumberRange ack0[] = {{0, 0}};
  EXPECT_FALSE(ld.OnAckReceived(kInitial, ack0, Duration::Zero(), Ms(1), &out)
                   .ok());  // nothing sent
  Send(ld, kInitial, 0, Ms(0));
  PacketNumberRange too_high[] = {{0, 1}};
  EXPECT_FALSE(
      ld.OnAckReceived(kInitial, too_high, Duration::Zero(), Ms(1), &out).ok());
  PacketNumberRange ascending[] = {{0, 0}, {2, 3}};
  EXPECT_FALSE(
      ld.OnAckReceived(kInitial, ascending, Duration::Zero(), Ms(1), &out)
          .ok());
  EXPECT_FALSE(
      ld.OnAckReceived(kInitial, {}, Duration::Zero(), Ms(1), &out).ok());
  EXPECT_EQ(ld.OutstandingPackets(kInitial), 1u);
  EXPECT_EQ(ld.bytes_in_flight(), 1200u);
}

TEST(LossDetectorTest, NonInFlightPacketsDoNotCountOrArmTimer) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  ld.OnPacketSent(kInitial, 0, Ms(0), 60, /*ack_eliciting=*/false,
                  /*in_flight=*/false, 0);
  EXPECT_EQ(ld.bytes_in_flight(), 0u);
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
  EXPECT_FALSE(ld.HasAckElicitingInFlight());
}

TEST(LossDetectorTest, PtoBackoffAndResetOnAck) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  Send(ld, kHandshake, 0, Ms(0));
  // PTO = 333 + 4 * 166.5 = 999 ms.
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(999));
  RecoveryOutcome out;
  ld.OnLossDetectionTimeout(Ms(999), &out);
  EXPECT_TRUE(out.lost.empty());
  EXPECT_EQ(out.probe.count, 2);
  EXPECT_EQ(out.probe.space, kHandshake);
  EXPECT_FALSE(out.probe.anti_deadlock);
  EXPECT_EQ(ld.pto_count(), 1);
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1998));  // 0 + 999 * 2
  Send(ld, kHandshake, 1, Ms(999));              // the probe
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(2997));  // 999 + 999 * 2
  ld.OnLossDetectionTimeout(Ms(2997), &out);
  EXPECT_EQ(ld.pto_count(), 2);
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(4995));  // 999 + 999 * 4
  // The probe is acknowledged 100 ms after it was sent.
  PacketNumberRange ack[] = {{1, 1}};
  ASSERT_TRUE(
      ld.OnAckReceived(kHandshake, ack, Duration::Zero(), Ms(1099), &out).ok());
  EXPECT_EQ(ld.pto_count(), 0);
  // loss_delay = 112.5 ms: pn 0 (sent at 0) is lost by time threshold.
  EXPECT_EQ(Pns(out.lost), (std::vector<uint64_t>{0}));
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
}

TEST(LossDetectorTest, ClientDoesNotResetPtoCountBeforeAddressValidation) {
  LossDetector ld;
  RecoveryFlags f;  // client, nothing validated
  ld.SetFlags(f, Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  Send(ld, kInitial, 1, Ms(0));
  RecoveryOutcome out;
  ld.OnLossDetectionTimeout(Ms(999), &out);
  EXPECT_EQ(ld.pto_count(), 1);
  PacketNumberRange ack[] = {{0, 0}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack, Duration::Zero(), Ms(1000), &out).ok());
  EXPECT_EQ(ld.pto_count(), 1);
}

TEST(LossDetectorTest, ApplicationPtoOnlyAfterHandshakeConfirmed) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  Send(ld, kApp, 0, Ms(0));
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
  Send(ld, kHandshake, 0, Ms(5));
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1004));  // Handshake only: 5 + 999
  RecoveryOutcome out;
  PacketNumberRange ack[] = {{0, 0}};
  ASSERT_TRUE(
      ld.OnAckReceived(kHandshake, ack, Duration::Zero(), Ms(5), &out).ok());
  // Zero RTT sample: smoothed 0, rttvar 0; PTO = max(0, 1 ms) = 1 ms.
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
  RecoveryFlags f = ServerFlags();
  f.handshake_confirmed = true;
  ld.SetFlags(f, Ms(10));
  // 0 + 1 ms + max_ack_delay 25 ms.
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(26));
  ld.OnLossDetectionTimeout(Ms(26), &out);
  EXPECT_EQ(out.probe.space, kApp);
  // Backoff applies to max_ack_delay too: 0 + (1 + 25) * 2.
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(52));
}

TEST(LossDetectorTest, ApplicationPtoIncludesMaxAckDelay) {
  LossDetector::Config c;
  c.peer_max_ack_delay = Duration::Millis(25);
  LossDetector ld(c);
  RecoveryFlags f = ServerFlags();
  f.handshake_confirmed = true;
  ld.SetFlags(f, Ms(0));
  Send(ld, kApp, 0, Ms(0));
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1024));
}

TEST(LossDetectorTest, ClientAntiDeadlockProbe) {
  LossDetector ld;
  RecoveryFlags f;  // client: no Handshake keys, not validated
  ld.SetFlags(f, Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  RecoveryOutcome out;
  PacketNumberRange ack[] = {{0, 0}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack, Duration::Zero(), Ms(100), &out).ok());
  // Nothing in flight, yet the timer runs from now: 100 + (100 + 4 * 50).
  EXPECT_FALSE(ld.HasAckElicitingInFlight());
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(400));
  ld.OnLossDetectionTimeout(Ms(400), &out);
  EXPECT_EQ(out.probe.count, 1);
  EXPECT_TRUE(out.probe.anti_deadlock);
  EXPECT_EQ(out.probe.space, kInitial);
  EXPECT_EQ(ld.pto_count(), 1);
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1000));  // 400 + 300 * 2
  // Handshake keys arrive: the next probe is a Handshake packet.
  f.has_handshake_keys = true;
  ld.SetFlags(f, Ms(500));
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1100));  // 500 + 600
  ld.OnLossDetectionTimeout(Ms(1100), &out);
  EXPECT_TRUE(out.probe.anti_deadlock);
  EXPECT_EQ(out.probe.space, kHandshake);
  EXPECT_EQ(ld.pto_count(), 2);
  // Once the server validated the address, no timer with nothing in flight.
  f.peer_completed_address_validation = true;
  ld.SetFlags(f, Ms(1200));
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
}

TEST(LossDetectorTest, ServerAtAmplificationLimitHasNoTimer) {
  LossDetector ld;
  RecoveryFlags f = ServerFlags();
  f.at_anti_amplification_limit = true;
  ld.SetFlags(f, Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  EXPECT_EQ(ld.LossDetectionTimer(), Time::Infinite());
  f.at_anti_amplification_limit = false;
  ld.SetFlags(f, Ms(10));
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(999));
}

TEST(LossDetectorTest, DiscardSpaceDropsPacketsLossTimeAndPtoCount) {
  LossDetector ld;
  RecoveryFlags f;
  f.has_handshake_keys = true;  // client with Handshake keys
  ld.SetFlags(f, Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  Send(ld, kInitial, 1, Ms(10));
  Send(ld, kHandshake, 0, Ms(20), 1000);
  EXPECT_EQ(ld.bytes_in_flight(), 3400u);
  RecoveryOutcome out;
  PacketNumberRange ack[] = {{1, 1}};
  ASSERT_TRUE(
      ld.OnAckReceived(kInitial, ack, Duration::Zero(), Ms(110), &out).ok());
  EXPECT_TRUE(out.lost.empty());
  // pn 0: 0 + 9/8 * 100 ms = 112.5 ms.
  EXPECT_EQ(ld.LossDetectionTimer(), Us(112500));
  ld.OnLossDetectionTimeout(Ms(111), &out);  // early
  std::vector<SentPacketInfo> discarded;
  ld.DiscardSpace(kInitial, Ms(111), &discarded);
  EXPECT_EQ(Pns(discarded), (std::vector<uint64_t>{0}));
  EXPECT_EQ(ld.bytes_in_flight(), 1000u);
  EXPECT_EQ(ld.OutstandingPackets(kInitial), 0u);
  // Only the Handshake packet's PTO remains: 20 + (100 + 4 * 50).
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(320));
}

TEST(LossDetectorTest, DiscardSpaceResetsPtoCount) {
  LossDetector ld;
  RecoveryFlags f;
  f.has_handshake_keys = true;
  ld.SetFlags(f, Ms(0));
  Send(ld, kInitial, 0, Ms(0));
  RecoveryOutcome out;
  ld.OnLossDetectionTimeout(Ms(999), &out);
  EXPECT_EQ(out.probe.space, kInitial);
  EXPECT_EQ(ld.pto_count(), 1);
  Send(ld, kHandshake, 0, Ms(1000), 1000);
  // min(Initial 0 + 1998, Handshake 1000 + 1998).
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1998));
  ld.DiscardSpace(kInitial, Ms(1005));
  EXPECT_EQ(ld.pto_count(), 0);
  EXPECT_EQ(ld.bytes_in_flight(), 1000u);
  EXPECT_EQ(ld.LossDetectionTimer(), Ms(1999));
}

TEST(LossDetectorTest, ManyPacketsStayCompact) {
  LossDetector ld;
  ld.SetFlags(ServerFlags(), Ms(0));
  RecoveryOutcome out;
  for (uint64_t pn = 0; pn < 1000; ++pn) {
    Send(ld, kApp, pn, Ms(pn));
    PacketNumberRange ack[] = {{pn, pn}};
    ASSERT_TRUE(ld.OnAckReceived(kApp, ack, Duration::Zero(),
                                 Ms(pn) + Duration::Millis(1), &out)
                    .ok());
    ASSERT_EQ(out.acked.size(), 1u);
  }
  EXPECT_EQ(ld.OutstandingPackets(kApp), 0u);
  EXPECT_EQ(ld.bytes_in_flight(), 0u);
}

TEST(LossDetectorTest, SmallFootprint) {
  EXPECT_LE(sizeof(LossDetector), 512u);
  EXPECT_EQ(sizeof(SentPacketInfo), 32u);
}

}  // namespace
}  // namespace quicsim::endpoints

namespace quicsim::endpoints {
namespace {

TEST(LossDetectorZeroRttTest, OnlyZeroRttInFlightStillArmsAntiDeadlockPto) {
  // A client whose Initial was acknowledged but which has no Handshake keys
  // yet and only 0-RTT packets in flight must keep its anti-deadlock PTO:
  // the Application space has no PTO before confirmation, so without it
  // nothing would ever be sent again.
  LossDetector ld;
  RecoveryFlags flags;  // client: address not validated, not confirmed
  const sim::Time t0 = sim::Time::Zero();
  ld.SetFlags(flags, t0);
  ld.OnPacketSent(PacketNumberSpace::kInitial, 0, t0, 1200, true, true, 1);
  ld.OnPacketSent(PacketNumberSpace::kApplication, 0, t0, 700, true, true, 2);
  RecoveryOutcome out;
  const PacketNumberRange ack[] = {{0, 0}};
  const sim::Time t1 = t0 + sim::Duration::Millis(100);
  ASSERT_TRUE(ld.OnAckReceived(PacketNumberSpace::kInitial, ack,
                               sim::Duration::Zero(), t1, &out)
                  .ok());
  // RTT 100 ms: PTO = 100 + max(4 * 50, 1) = 300 ms, armed from now.
  EXPECT_EQ(ld.LossDetectionTimer(), t1 + sim::Duration::Millis(300));
  ld.OnLossDetectionTimeout(ld.LossDetectionTimer(), &out);
  EXPECT_EQ(out.probe.count, 1);
  EXPECT_TRUE(out.probe.anti_deadlock);
  EXPECT_EQ(out.probe.space, PacketNumberSpace::kInitial);
}

}  // namespace
}  // namespace quicsim::endpoints
