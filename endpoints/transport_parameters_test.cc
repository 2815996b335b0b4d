#include "endpoints/transport_parameters.h"

#include <vector>

#include "endpoints/error_codes.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kTpError = 0x08;

TransportParameters ServerParams() {
  TransportParameters p;
  p.original_destination_connection_id = ConnectionId(Bytes{1, 2, 3, 4});
  p.max_idle_timeout_ms = 30000;
  p.stateless_reset_token = std::array<uint8_t, 16>{};
  p.stateless_reset_token->fill(0x77);
  p.max_udp_payload_size = 1472;
  p.initial_max_data = 1 << 20;
  p.initial_max_stream_data_bidi_local = 65536;
  p.initial_max_stream_data_bidi_remote = 65537;
  p.initial_max_stream_data_uni = 65538;
  p.initial_max_streams_bidi = 100;
  p.initial_max_streams_uni = 3;
  p.ack_delay_exponent = 10;
  p.max_ack_delay_ms = 50;
  p.disable_active_migration = true;
  PreferredAddress a;
  a.ipv4_address = {192, 0, 2, 1};
  a.ipv4_port = 443;
  a.ipv6_port = 8443;
  a.connection_id = ConnectionId(Bytes{5, 6, 7});
  a.stateless_reset_token.fill(0x11);
  p.preferred_address = a;
  p.active_connection_id_limit = 4;
  p.initial_source_connection_id = ConnectionId(Bytes{0xaa, 0xbb});
  p.retry_source_connection_id = ConnectionId(Bytes{0xcc});
  return p;
}

TEST(TransportParametersTest, RoundTripsServerAndClient) {
  const TransportParameters server = ServerParams();
  absl::StatusOr<Bytes> wire =
      SerializeTransportParameters(server, Perspective::kServer);
  ASSERT_TRUE(wire.ok()) << wire.status();
  absl::StatusOr<TransportParameters> parsed =
      ParseTransportParameters(*wire, Perspective::kServer);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(*parsed == server);
  // Every truncation is an error.
  for (size_t len = 0; len < wire->size(); ++len) {
    absl::StatusOr<TransportParameters> cut = ParseTransportParameters(
        absl::MakeConstSpan(wire->data(), len), Perspective::kServer);
    // A cut exactly between parameters parses (fewer parameters).
    if (cut.ok()) {
      EXPECT_FALSE(*cut == server) << len;
    } else {
      EXPECT_EQ(QuicErrorCodeOf(cut.status()), kTpError);
    }
  }
  TransportParameters client;
  client.initial_source_connection_id = ConnectionId();
  client.initial_max_data = 5;
  wire = SerializeTransportParameters(client, Perspective::kClient);
  ASSERT_TRUE(wire.ok());
  // initial_max_data (04 01 05), initial_source_connection_id empty (0f 00).
  EXPECT_EQ(*wire, (Bytes{0x04, 0x01, 0x05, 0x0f, 0x00}));
  parsed = ParseTransportParameters(*wire, Perspective::kClient);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(*parsed == client);
  EXPECT_EQ(parsed->max_udp_payload_size, 65527u);
  EXPECT_EQ(parsed->ack_delay_exponent, 3u);
  EXPECT_EQ(parsed->max_ack_delay_ms, 25u);
  EXPECT_EQ(parsed->active_connection_id_limit, 2u);
}

TEST(TransportParametersTest, ClientMustNotSendServerOnlyParameters) {
  const TransportParameters server = ServerParams();
  absl::StatusOr<Bytes> wire =
      SerializeTransportParameters(server, Perspective::kServer);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(QuicErrorCodeOf(
                ParseTransportParameters(*wire, Perspective::kClient).status()),
            kTpError);
  for (const Bytes& param :
       {Bytes{0x00, 0x01, 0x05}, Bytes{0x10, 0x01, 0x05},
        Bytes{0x02, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}) {
    EXPECT_FALSE(ParseTransportParameters(param, Perspective::kClient).ok());
    EXPECT_TRUE(ParseTransportParameters(param, Perspective::kServer).ok());
  }
  EXPECT_FALSE(SerializeTransportParameters(server, Perspective::kClient).ok());
}

TEST(TransportParametersTest, RejectsEveryRfcViolation) {
  const std::vector<Bytes> bad = {
      {0x03, 0x02, 0x44, 0xaf},                 // max_udp_payload_size 1199
      {0x0a, 0x01, 0x15},                       // ack_delay_exponent 21
      {0x0b, 0x04, 0x80, 0x00, 0x40, 0x00},     // max_ack_delay 2^14
      {0x0e, 0x01, 0x01},                       // active_connection_id_limit 1
      {0x08, 0x08, 0xd0, 0, 0, 0, 0, 0, 0, 1},  // max_streams_bidi > 2^60
      {0x09, 0x08, 0xd0, 0, 0, 0, 0, 0, 0, 1},  // max_streams_uni > 2^60
      {0x02, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // token 15
      {0x01, 0x02, 0x05},        // value length exceeds varint
      {0x01, 0x02, 0x05, 0x00},  // trailing bytes in an integer value
      {0x0c, 0x01, 0x00},        // disable_active_migration non-empty
      {0x01, 0x01, 0x05, 0x01, 0x01, 0x06},  // duplicate known parameter
      {0x40, 0x5a, 0x00, 0x40, 0x5a, 0x00},  // duplicate unknown parameter
      {0x0f, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       0,    0,    0, 0, 0, 0, 0, 0, 0, 0, 0},  // 21-byte connection ID
      {0x04},                                   // truncated
  };
  for (const Bytes& b : bad) {
    absl::StatusOr<TransportParameters> p =
        ParseTransportParameters(b, Perspective::kServer);
    EXPECT_FALSE(p.ok()) << b.size();
    EXPECT_EQ(QuicErrorCodeOf(p.status()), kTpError);
  }
  // Boundaries that are allowed.
  EXPECT_TRUE(
      ParseTransportParameters(Bytes{0x0a, 0x01, 0x14}, Perspective::kClient)
          .ok());
  EXPECT_TRUE(ParseTransportParameters(Bytes{0x0b, 0x02, 0x7f, 0xff},
                                       Perspective::kClient)
                  .ok());
  EXPECT_TRUE(ParseTransportParameters(Bytes{0x03, 0x02, 0x44, 0xb0},
                                       Perspective::kClient)
                  .ok());
  // Preferred address with an empty connection ID.
  TransportParameters p = ServerParams();
  p.preferred_address->connection_id = ConnectionId();
  EXPECT_FALSE(SerializeTransportParameters(p, Perspective::kServer).ok());
}

TEST(TransportParametersTest, IgnoresUnknownAndGreaseParameters) {
  // GREASE id 31*3+27 = 120 (0x4078) with 3 bytes, then max_idle_timeout.
  const Bytes wire = {0x40, 0x78, 0x03, 1, 2, 3, 0x01, 0x01, 0x09};
  absl::StatusOr<TransportParameters> p =
      ParseTransportParameters(wire, Perspective::kClient);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->max_idle_timeout_ms, 9u);
}

TEST(TransportParametersTest, ConnectionIdAuthentication) {
  const ConnectionId odcid(Bytes{1, 2, 3, 4}), server_scid(Bytes{0xaa, 0xbb}),
      retry_scid(Bytes{0xcc});
  TransportParameters server = ServerParams();  // includes retry scid 0xcc
  ConnectionIdsSeen seen;
  seen.peer_initial_scid = server_scid;
  seen.original_dcid = odcid;
  seen.retry_scid = retry_scid;
  EXPECT_TRUE(
      AuthenticateConnectionIds(server, Perspective::kServer, seen).ok());

  ConnectionIdsSeen no_retry = seen;
  no_retry.retry_scid.reset();
  EXPECT_EQ(QuicErrorCodeOf(AuthenticateConnectionIds(
                server, Perspective::kServer, no_retry)),
            kTpError);
  TransportParameters missing_retry = server;
  missing_retry.retry_source_connection_id.reset();
  EXPECT_TRUE(
      AuthenticateConnectionIds(missing_retry, Perspective::kServer, no_retry)
          .ok());
  EXPECT_FALSE(
      AuthenticateConnectionIds(missing_retry, Perspective::kServer, seen)
          .ok());
  ConnectionIdsSeen wrong_retry = seen;
  wrong_retry.retry_scid = ConnectionId(Bytes{0xcd});
  EXPECT_FALSE(
      AuthenticateConnectionIds(server, Perspective::kServer, wrong_retry)
          .ok());
  ConnectionIdsSeen wrong_odcid = seen;
  wrong_odcid.original_dcid = ConnectionId(Bytes{1, 2, 3});
  EXPECT_FALSE(
      AuthenticateConnectionIds(server, Perspective::kServer, wrong_odcid)
          .ok());
  TransportParameters no_odcid = server;
  no_odcid.original_destination_connection_id.reset();
  EXPECT_FALSE(
      AuthenticateConnectionIds(no_odcid, Perspective::kServer, seen).ok());
  ConnectionIdsSeen wrong_scid = seen;
  wrong_scid.peer_initial_scid = ConnectionId(Bytes{0xaa});
  EXPECT_FALSE(
      AuthenticateConnectionIds(server, Perspective::kServer, wrong_scid).ok());

  // Server authenticating a client: only initial_source_connection_id.
  TransportParameters client;
  ConnectionIdsSeen from_client;
  from_client.peer_initial_scid = ConnectionId(Bytes{9});
  EXPECT_FALSE(
      AuthenticateConnectionIds(client, Perspective::kClient, from_client)
          .ok());
  client.initial_source_connection_id = ConnectionId(Bytes{9});
  EXPECT_TRUE(
      AuthenticateConnectionIds(client, Perspective::kClient, from_client)
          .ok());
}

}  // namespace
}  // namespace quicsim::endpoints
