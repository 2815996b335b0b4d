#include "scenarios/faults.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace quicsim::scenarios {
namespace {

// The TLS engine's rows: `side`'s own fault, whichever stack runs it.
tls::FaultInjection TlsFaults(const EndpointConfig& side) {
  tls::FaultInjection f;
  switch (side.fault()) {
    case ALPN_MISMATCH:
      f.alpn_mismatch = true;
      break;
    case NO_CERTIFICATE_FOR_SNI:
      f.no_certificate_for_sni = true;
      break;
    case SERVER_INTERNAL_ERROR:
      f.fail_server_flight = true;
      break;
    case SIGNING_FAILURE:
      f.fail_signing = true;
      break;
    case UNTRUSTED_CERTIFICATE:
      f.verify = tls::FaultInjection::Verify::kUntrusted;
      break;
    case BAD_SIGNATURE:
      f.verify = tls::FaultInjection::Verify::kBadSignature;
      break;
    case ABORT_BEFORE_CLIENT_HELLO:
      f.abort_before_client_hello = true;
      break;
    default:
      break;  // QUIC-layer rows: see below.
  }
  return f;
}

// The ngtcp2 adapter's rows: `side`'s own fault.
endpoints::Ngtcp2Faults Ngtcp2Faults(const EndpointConfig& side) {
  endpoints::Ngtcp2Faults f;
  f.alpn_mismatch = side.fault() == ALPN_MISMATCH;
  f.refuse_peer_transport_parameters =
      side.fault() == REFUSE_TRANSPORT_PARAMETERS;
  f.invalid_transport_parameters =
      side.fault() == INVALID_SERVER_TRANSPORT_PARAMETERS;
  return f;
}

}  // namespace

PairFaults MapFaults(const EndpointConfig& client,
                     const EndpointConfig& server) {
  PairFaults out;
  out.client.tls = TlsFaults(client);
  out.server.tls = TlsFaults(server);
  out.client.ngtcp2 = Ngtcp2Faults(client);
  out.server.ngtcp2 = Ngtcp2Faults(server);
  // Our endpoint's rows are server rows, except DROP_CONNECTION_CLOSE: the
  // side configured with it loses what its peer sends.
  endpoints::EndpointFaults& s = out.server.quic;
  s.refuse_peer_transport_parameters =
      server.fault() == REFUSE_TRANSPORT_PARAMETERS;
  s.refuse_alert = static_cast<uint8_t>(server.fault_alert());
  s.invalid_transport_parameters =
      server.fault() == INVALID_SERVER_TRANSPORT_PARAMETERS;
  s.lose_connection_close = client.fault() == DROP_CONNECTION_CLOSE;
  out.client.quic.lose_connection_close =
      server.fault() == DROP_CONNECTION_CLOSE;
  return out;
}

absl::Status CheckInjectable(const EndpointConfig& side) {
  if (side.stack() != EndpointConfig::NGTCP2) return absl::OkStatus();
  switch (side.fault()) {
    case NO_FAULT:
    case ALPN_MISMATCH:
    case REFUSE_TRANSPORT_PARAMETERS:
    case INVALID_SERVER_TRANSPORT_PARAMETERS:
      return absl::OkStatus();
    default:
      return absl::UnimplementedError(
          absl::StrCat("fault ", Fault_Name(side.fault()),
                       " cannot be injected into an NGTCP2 endpoint"));
  }
}

std::string DescribeFaults(const SideFaults& f) {
  std::vector<std::string> set;
  auto add = [&](bool on, const char* name) {
    if (on) set.push_back(name);
  };
  add(f.tls.alpn_mismatch, "tls.alpn_mismatch");
  add(f.tls.no_certificate_for_sni, "tls.no_certificate_for_sni");
  add(f.tls.refuse_peer_transport_parameters,
      "tls.refuse_peer_transport_parameters");
  add(f.tls.fail_server_flight, "tls.fail_server_flight");
  add(f.tls.fail_signing, "tls.fail_signing");
  add(f.tls.verify == tls::FaultInjection::Verify::kUntrusted,
      "tls.verify=untrusted");
  add(f.tls.verify == tls::FaultInjection::Verify::kBadSignature,
      "tls.verify=bad_signature");
  add(f.tls.abort_before_client_hello, "tls.abort_before_client_hello");
  add(f.quic.invalid_transport_parameters, "quic.invalid_transport_parameters");
  add(f.quic.refuse_peer_transport_parameters,
      "quic.refuse_peer_transport_parameters");
  if (f.quic.refuse_alert != 0) {
    set.push_back(absl::StrCat("quic.refuse_alert=", int{f.quic.refuse_alert}));
  }
  add(f.quic.lose_connection_close, "quic.lose_connection_close");
  add(f.ngtcp2.alpn_mismatch, "ngtcp2.alpn_mismatch");
  add(f.ngtcp2.invalid_transport_parameters,
      "ngtcp2.invalid_transport_parameters");
  add(f.ngtcp2.refuse_peer_transport_parameters,
      "ngtcp2.refuse_peer_transport_parameters");
  return absl::StrJoin(set, "\n");
}

}  // namespace quicsim::scenarios
