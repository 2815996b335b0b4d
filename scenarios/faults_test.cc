#include "scenarios/faults.h"

#include <string>

#include "gtest/gtest.h"

namespace quicsim::scenarios {
namespace {

EndpointConfig With(Fault fault) {
  EndpointConfig c;
  c.set_fault(fault);
  return c;
}

// Where each row of the error-injection table lands, written out by hand:
// {fault, what the client side gets, what the server side gets} when the
// fault is configured on the client, then on the server.
struct Row {
  Fault fault;
  const char* on_client_client;
  const char* on_client_server;
  const char* on_server_client;
  const char* on_server_server;
};

TEST(FaultsTest, EveryRowLandsWhereTheTableSays) {
  const Row rows[] = {
      {NO_FAULT, "", "", "", ""},
      {ALPN_MISMATCH, "tls.alpn_mismatch\nngtcp2.alpn_mismatch", "", "",
       "tls.alpn_mismatch\nngtcp2.alpn_mismatch"},
      {REFUSE_TRANSPORT_PARAMETERS, "ngtcp2.refuse_peer_transport_parameters",
       "", "",
       "quic.refuse_peer_transport_parameters\n"
       "ngtcp2.refuse_peer_transport_parameters"},
      {NO_CERTIFICATE_FOR_SNI, "tls.no_certificate_for_sni", "", "",
       "tls.no_certificate_for_sni"},
      {SERVER_INTERNAL_ERROR, "tls.fail_server_flight", "", "",
       "tls.fail_server_flight"},
      {UNTRUSTED_CERTIFICATE, "tls.verify=untrusted", "", "",
       "tls.verify=untrusted"},
      {BAD_SIGNATURE, "tls.verify=bad_signature", "", "",
       "tls.verify=bad_signature"},
      {INVALID_SERVER_TRANSPORT_PARAMETERS,
       "ngtcp2.invalid_transport_parameters", "", "",
       "quic.invalid_transport_parameters\n"
       "ngtcp2.invalid_transport_parameters"},
      {ABORT_BEFORE_CLIENT_HELLO, "tls.abort_before_client_hello", "", "",
       "tls.abort_before_client_hello"},
      // The peer of the configured side loses its CONNECTION_CLOSE.
      {DROP_CONNECTION_CLOSE, "", "quic.lose_connection_close",
       "quic.lose_connection_close", ""},
      {SIGNING_FAILURE, "tls.fail_signing", "", "", "tls.fail_signing"},
  };
  // Every value of the enum has a row (a new fault must be mapped here).
  EXPECT_EQ(sizeof(rows) / sizeof(rows[0]),
            static_cast<size_t>(Fault_descriptor()->value_count()));
  for (const Row& row : rows) {
    SCOPED_TRACE(Fault_Name(row.fault));
    const PairFaults on_client = MapFaults(With(row.fault), EndpointConfig());
    EXPECT_EQ(DescribeFaults(on_client.client), row.on_client_client);
    EXPECT_EQ(DescribeFaults(on_client.server), row.on_client_server);
    const PairFaults on_server = MapFaults(EndpointConfig(), With(row.fault));
    EXPECT_EQ(DescribeFaults(on_server.client), row.on_server_client);
    EXPECT_EQ(DescribeFaults(on_server.server), row.on_server_server);
  }
}

TEST(FaultsTest, RefuseAlertGoesToOurServer) {
  EndpointConfig server = With(REFUSE_TRANSPORT_PARAMETERS);
  server.set_fault_alert(40);
  const PairFaults f = MapFaults(EndpointConfig(), server);
  EXPECT_EQ(f.server.quic.refuse_alert, 40);
  EXPECT_TRUE(f.server.quic.refuse_peer_transport_parameters);
  EXPECT_EQ(f.client.quic.refuse_alert, 0);
}

TEST(FaultsTest, Ngtcp2SidesTakeOnlyTheirRows) {
  for (int i = 0; i < Fault_descriptor()->value_count(); ++i) {
    const Fault fault =
        static_cast<Fault>(Fault_descriptor()->value(i)->number());
    EndpointConfig side = With(fault);
    EXPECT_TRUE(CheckInjectable(side).ok()) << Fault_Name(fault);
    side.set_stack(EndpointConfig::NGTCP2);
    const bool supported = fault == NO_FAULT || fault == ALPN_MISMATCH ||
                           fault == REFUSE_TRANSPORT_PARAMETERS ||
                           fault == INVALID_SERVER_TRANSPORT_PARAMETERS;
    const absl::Status s = CheckInjectable(side);
    EXPECT_EQ(s.ok(), supported) << Fault_Name(fault);
    if (!supported) {
      EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
      EXPECT_NE(s.message().find(Fault_Name(fault)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace quicsim::scenarios
