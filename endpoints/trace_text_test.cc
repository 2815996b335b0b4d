#include "endpoints/trace_text.h"

#include <string>

#include "gtest/gtest.h"
#include "sim/trace.h"

namespace quicsim::endpoints {
namespace {

// The line "kind details" of one event.
std::string Line(const ConnectionEvent& e) {
  std::string details;
  AppendTraceDetails(e, &details);
  return std::string(TraceKindName(e)) + " " + details;
}

ConnectionId Cid(std::initializer_list<uint8_t> bytes) {
  return ConnectionId(absl::MakeConstSpan(bytes.begin(), bytes.size()));
}

// The expected lines are the ones the connection wrote before its events
// were typed (copied from traces of that code): the event digest hashes them.
TEST(TraceTextTest, PacketsWithTheirFrames) {
  events::PacketSent sent;
  sent.type = PacketType::kInitial;
  sent.pn = 3;
  sent.size = 1162;
  sent.frames.push_back({TracedFrame::Type::kAck});
  sent.frames.push_back({TracedFrame::Type::kCrypto, 0, 245});
  EXPECT_EQ(Line(sent),
            "packet_sent type=Initial pn=3 size=1162 ack crypto=0+245");

  events::PacketSent close;
  close.type = PacketType::kHandshake;
  close.pn = 1;
  close.size = 60;
  TracedFrame f{TracedFrame::Type::kConnectionClose};
  f.code = 0x178;
  close.frames.push_back(f);
  EXPECT_EQ(Line(close),
            "packet_sent type=Handshake pn=1 size=60 "
            "connection_close=CRYPTO_ERROR(0x178)");

  events::PacketReceived received;
  received.type = PacketType::kOneRtt;
  received.pn = 0;
  received.size = 40;
  received.frames = {{TracedFrame::Type::kHandshakeDone},
                     {TracedFrame::Type::kIgnored},
                     {TracedFrame::Type::kPadding},
                     {TracedFrame::Type::kMalformed}};
  EXPECT_EQ(Line(received),
            "packet_received type=1-RTT pn=0 size=40 handshake_done padding "
            "malformed");

  events::PacketDropped dropped{PacketType::kRetry, std::nullopt,
                                "empty_token"};
  EXPECT_EQ(Line(dropped), "packet_dropped type=Retry reason=empty_token");
  dropped = {PacketType::kHandshake, 77, "keys_unavailable"};
  EXPECT_EQ(Line(dropped),
            "packet_dropped type=Handshake size=77 reason=keys_unavailable");
  EXPECT_EQ(Line(events::VersionProbeSent{0x1a2a3a4a, 1200}),
            "packet_sent type=UnknownVersion version=1a2a3a4a size=1200");
  EXPECT_EQ(Line(events::StatelessPacketSent{"Retry", 70}),
            "packet_sent type=Retry size=70");
}

TEST(TraceTextTest, KeysTlsTimersAndVerdicts) {
  EXPECT_EQ(Line(events::KeysInstalled{EncryptionLevel::kOneRtt, true, 0x1301}),
            "keys_installed level=1rtt direction=write suite=1301");
  EXPECT_EQ(Line(events::KeysDiscarded{EncryptionLevel::kZeroRtt}),
            "keys_discarded level=0rtt");
  EXPECT_EQ(Line(events::TlsEvent{tls::EventKind::kWriteData,
                                  tls::Level::kHandshake, 1024}),
            std::string("tls_event kind=") +
                tls::EventKindName(tls::EventKind::kWriteData) +
                " level=handshake bytes=1024");
  EXPECT_EQ(Line(events::TlsMessageSent{tls::Level::kInitial, 1, 508}),
            "tls_message_sent level=initial type=1 length=508");
  events::LossTimer timer;
  timer.change = events::LossTimer::Change::kSet;
  timer.pto = true;
  timer.space = PacketNumberSpace::kApplication;
  timer.delta_ns = 999000;
  EXPECT_EQ(Line(timer),
            "loss_timer event=set type=pto space=application delta_ns=999000");
  timer.change = events::LossTimer::Change::kExpired;
  timer.pto = false;
  EXPECT_EQ(Line(timer), "loss_timer event=expired type=ack space=application");
  timer.change = events::LossTimer::Change::kCancelled;
  EXPECT_EQ(Line(timer), "loss_timer event=cancelled");
  EXPECT_EQ(Line(events::Pto{PacketNumberSpace::kHandshake, 2, 3, true}),
            "pto space=handshake count=2 pto_count=3 anti_deadlock");
  EXPECT_EQ(Line(events::PacketLost{PacketNumberSpace::kInitial,
                                    PacketType::kInitial, 4, 1200, true}),
            "packet_lost space=initial type=Initial pn=4 size=1200 "
            "trigger=reordering_threshold");
  EXPECT_EQ(
      Line(events::PacketLost{PacketNumberSpace::kApplication, std::nullopt, 9,
                              50, false}),
      "packet_lost space=application pn=9 size=50 trigger=time_threshold");
  Verdict v;
  v.kind = Verdict::Kind::kClosedSent;
  v.code = 0x178;
  v.elapsed = sim::Duration::Millis(3);
  EXPECT_EQ(Line(events::VerdictSet{v}), "verdict " + VerdictToString(v));
  EXPECT_EQ(Line(events::Done{v}), "done " + VerdictToString(v));
  EXPECT_EQ(Line(events::SendFirstFlight{false, 0x150}),
            "send_first_flight result=error code=0x150");
  EXPECT_EQ(Line(events::SendFirstFlight{}), "send_first_flight result=ok");
  EXPECT_EQ(Line(events::IdleTimeout{}), "idle_timeout ");
}

TEST(TraceTextTest, ConnectionLevelEvents) {
  events::Start start{Cid({1, 2}), Cid({0xab}), 1};
  EXPECT_EQ(Line(start), "start scid=0102 dcid=ab version=00000001");
  EXPECT_EQ(Line(events::ForeignStart{"ngtcp2", true, Cid({0xab}), Cid({1})}),
            "start ngtcp2 client dcid=ab scid=01");
  EXPECT_EQ(Line(events::ForeignStart{"ngtcp2", false, Cid({0xab}), Cid({1})}),
            "start ngtcp2 server odcid=ab scid=01");
  events::TransportParametersSet tp;
  tp.owner = events::TransportParametersSet::Owner::kRemote;
  tp.params.max_idle_timeout_ms = 30000;
  tp.params.initial_source_connection_id = Cid({7});
  tp.params.retry_source_connection_id = Cid({8});
  EXPECT_EQ(Line(tp),
            "transport_parameters owner=remote max_idle_timeout=30000 "
            "max_udp_payload_size=65527 ack_delay_exponent=3 max_ack_delay=25 "
            "initial_max_data=0 initial_max_stream_data_bidi_local=0 "
            "initial_max_stream_data_bidi_remote=0 "
            "initial_max_stream_data_uni=0 initial_max_streams_bidi=0 "
            "initial_max_streams_uni=0 active_connection_id_limit=2 "
            "disable_active_migration=0 initial_source_connection_id=07 "
            "retry_source_connection_id=08");
  events::VersionNegotiationReceived vn;
  vn.versions = {0x1, 0xff00001d};
  EXPECT_EQ(Line(vn), "version_negotiation versions=00000001,ff00001d");
  EXPECT_EQ(Line(events::DatagramDropped{"draining", std::nullopt}),
            "datagram_dropped reason=draining");
  EXPECT_EQ(Line(events::DatagramDropped{"no_connection", 31}),
            "datagram_dropped size=31 reason=no_connection");
  EXPECT_EQ(Line(events::ConnectionCloseReceived{0xa, "bad \"x\""}),
            "connection_close_received code=PROTOCOL_VIOLATION "
            "reason=\"bad \"x\"\"");
  EXPECT_EQ(Line(events::AdapterNote{"read_error", "ERR_PROTO"}),
            "read_error ERR_PROTO");
}

// A recorder keeps the event's typed record next to its text.
TEST(TraceTextTest, TracerAttachesTheRecord) {
  sim::TraceRecorder recorder;
  TextTracer tracer(&recorder, "pair/0/client");
  ASSERT_TRUE(tracer.enabled());
  tracer.Record(sim::Time::Zero(),
                events::KeysDiscarded{EncryptionLevel::kInitial});
  ASSERT_EQ(recorder.events().size(), 1u);
  const sim::TraceEvent& e = recorder.events()[0];
  EXPECT_EQ(e.ToString(),
            "0.000000000s pair/0/client keys_discarded level=initial");
  const ConnectionEvent* typed = ConnectionEventOf(e);
  ASSERT_NE(typed, nullptr);
  ASSERT_NE(typed->get<events::KeysDiscarded>(), nullptr);
  EXPECT_EQ(typed->get<events::KeysDiscarded>()->level,
            EncryptionLevel::kInitial);
  TextTracer off(nullptr, "x");
  EXPECT_FALSE(off.enabled());
}

}  // namespace
}  // namespace quicsim::endpoints
