#include "scenarios/runner/event_record_proto.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios {
namespace {

namespace ev = endpoints::events;

TEST(EventRecordProtoTest, PacketWithFrames) {
  ev::PacketSent sent;
  sent.type = endpoints::PacketType::kHandshake;
  sent.pn = 7;
  sent.size = 80;
  sent.frames.push_back({endpoints::TracedFrame::Type::kAck});
  sent.frames.push_back({endpoints::TracedFrame::Type::kCrypto, 10, 20});
  trace::Event out;
  ConnectionEventToProto(sent, &out);
  ASSERT_TRUE(out.has_packet());
  EXPECT_EQ(out.packet().what(), trace::PacketRecord::SENT);
  EXPECT_EQ(out.packet().packet_type(), "Handshake");
  EXPECT_TRUE(out.packet().has_packet_number());
  EXPECT_EQ(out.packet().packet_number(), 7u);
  EXPECT_EQ(out.packet().size(), 80u);
  ASSERT_EQ(out.packet().frames_size(), 2);
  EXPECT_EQ(out.packet().frames(0).type(), trace::TracedFrame::ACK);
  EXPECT_EQ(out.packet().frames(1).type(), trace::TracedFrame::CRYPTO);
  EXPECT_EQ(out.packet().frames(1).offset(), 10u);
  EXPECT_EQ(out.packet().frames(1).length(), 20u);
}

TEST(EventRecordProtoTest, DropsLossesKeysTimersVerdicts) {
  trace::Event drop;
  ConnectionEventToProto(ev::PacketDropped{endpoints::PacketType::kRetry,
                                           std::nullopt, "empty_token"},
                         &drop);
  EXPECT_EQ(drop.packet().what(), trace::PacketRecord::DROPPED);
  EXPECT_EQ(drop.packet().packet_type(), "Retry");
  EXPECT_EQ(drop.packet().reason(), "empty_token");
  EXPECT_FALSE(drop.packet().has_packet_number());

  trace::Event lost;
  ConnectionEventToProto(
      ev::PacketLost{endpoints::PacketNumberSpace::kApplication, std::nullopt,
                     4, 50, true},
      &lost);
  EXPECT_EQ(lost.packet().what(), trace::PacketRecord::LOST);
  EXPECT_EQ(lost.packet().packet_type(), "");
  EXPECT_EQ(lost.packet().space(), "application");
  EXPECT_EQ(lost.packet().reason(), "reordering_threshold");

  trace::Event keys;
  ConnectionEventToProto(
      ev::KeysInstalled{endpoints::EncryptionLevel::kHandshake, false, 0x1303},
      &keys);
  EXPECT_EQ(keys.keys().level(), "handshake");
  EXPECT_EQ(keys.keys().direction(), "read");
  EXPECT_EQ(keys.keys().cipher_suite(), 0x1303u);
  EXPECT_FALSE(keys.keys().discarded());

  trace::Event pto;
  ConnectionEventToProto(
      ev::Pto{endpoints::PacketNumberSpace::kInitial, 2, 3, false}, &pto);
  EXPECT_EQ(pto.timer().timer(), "pto");
  EXPECT_EQ(pto.timer().space(), "initial");
  EXPECT_EQ(pto.timer().probe_count(), 2);
  EXPECT_EQ(pto.timer().pto_count(), 3);

  endpoints::Verdict v;
  v.kind = endpoints::Verdict::Kind::kClosedReceived;
  v.code = 0x178;
  v.elapsed = sim::Duration::Millis(5);
  trace::Event verdict;
  ConnectionEventToProto(ev::Done{v}, &verdict);
  EXPECT_TRUE(verdict.verdict().done());
  EXPECT_EQ(verdict.verdict().verdict().kind(),
            trace::SideVerdict::CLOSED_RECEIVED);
  EXPECT_EQ(verdict.verdict().verdict().error_code(), 0x178u);
  EXPECT_EQ(verdict.verdict().verdict().handshake_time_ns(), 5'000'000);

  // Kinds without a typed field leave the record unset.
  trace::Event start;
  ConnectionEventToProto(ev::HandshakeComplete{}, &start);
  EXPECT_EQ(start.record_case(), trace::Event::RECORD_NOT_SET);
}

}  // namespace
}  // namespace quicsim::scenarios
