// What the QUIC stack does between FirstFlightReady and SendFirstFlight()
// (Go proposal #74922): the client acts on ResumeSession (restores the
// server's remembered transport parameters, decides on 0-RTT) before its
// ClientHello is built; the server has set its transport parameters and
// answered ResumeSession (accept or decline 0-RTT) before its
// ServerHello..Finished is built, and any error raised while building them
// comes back from SendFirstFlight().
#include "absl/strings/str_format.h"
#include "endpoints/connection.h"
#include "endpoints/transport_parameters.h"

namespace quicsim::endpoints {

absl::Status Connection::OnResumeSession(const tls::Event& event) {
  bool decline = false;
  if (is_client()) {
    // RFC 9000 §7.4.1: 0-RTT runs under the server's remembered limits.
    const std::vector<uint8_t>& remembered =
        event.session.transport_parameters();
    if (!remembered.empty()) {
      absl::StatusOr<TransportParameters> params =
          ParseTransportParameters(remembered, Perspective::kServer);
      if (!params.ok()) {
        decline = true;  // nothing trustworthy to send 0-RTT under
      } else if (TraceOn()) {
        TraceTransportParameters(
            events::TransportParametersSet::Owner::kRemembered, *params);
      }
    }
    // Only a client with a request to send early attempts 0-RTT.
    decline = decline || options_.request.empty() ||
              !event.session.early_data_capable();
  } else {
    decline = options_.decline_early_data;
  }
  if (TraceOn()) {
    Trace(events::ResumeSession{decline});
  }
  // Without the FirstFlightReady pause (the Go models) the client's
  // ClientHello is already built: there is nothing left to decide.
  if (!decline || (is_client() && engine_->client_hello_sent())) {
    return absl::OkStatus();
  }
  return engine_->DeclineEarlyData();
}

absl::Status Connection::OnFirstFlightReady() {
  // Transport parameters are set (TransportParametersRequired came first
  // or they were set before Start) and ResumeSession has been answered.
  absl::Status status = engine_->SendFirstFlight();
  if (TraceOn()) {
    Trace(events::SendFirstFlight{
        status.ok(), status.ok() ? 0 : tls::QuicErrorCode(status)});
  }
  return status;
}

}  // namespace quicsim::endpoints
