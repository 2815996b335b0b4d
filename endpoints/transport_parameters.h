// QUIC transport parameters (RFC 9000 §18): codec with the §18.2 validation,
// and the connection-ID authentication of §7.3. Every rejection carries
// TRANSPORT_PARAMETER_ERROR (0x08) (error_codes.h).
#ifndef QUICSIM_ENDPOINTS_TRANSPORT_PARAMETERS_H_
#define QUICSIM_ENDPOINTS_TRANSPORT_PARAMETERS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "endpoints/perspective.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {

// Transport parameter IDs (RFC 9000 §18.2).
enum TransportParameterId : uint64_t {
  kOriginalDestinationConnectionId = 0x00,
  kMaxIdleTimeout = 0x01,
  kStatelessResetToken = 0x02,
  kMaxUdpPayloadSize = 0x03,
  kInitialMaxData = 0x04,
  kInitialMaxStreamDataBidiLocal = 0x05,
  kInitialMaxStreamDataBidiRemote = 0x06,
  kInitialMaxStreamDataUni = 0x07,
  kInitialMaxStreamsBidi = 0x08,
  kInitialMaxStreamsUni = 0x09,
  kAckDelayExponent = 0x0a,
  kMaxAckDelay = 0x0b,
  kDisableActiveMigration = 0x0c,
  kPreferredAddress = 0x0d,
  kActiveConnectionIdLimit = 0x0e,
  kInitialSourceConnectionId = 0x0f,
  kRetrySourceConnectionId = 0x10,
};

// The preferred_address parameter (server only).
struct PreferredAddress {
  std::array<uint8_t, 4> ipv4_address{};
  uint16_t ipv4_port = 0;
  std::array<uint8_t, 16> ipv6_address{};
  uint16_t ipv6_port = 0;
  ConnectionId connection_id;  // never empty
  std::array<uint8_t, 16> stateless_reset_token{};
  bool operator==(const PreferredAddress& o) const;
};

// One endpoint's transport parameters. Fields hold the RFC defaults when the
// parameter is absent; optionals are absent parameters.
struct TransportParameters {
  std::optional<ConnectionId> original_destination_connection_id;
  uint64_t max_idle_timeout_ms = 0;
  std::optional<std::array<uint8_t, 16>> stateless_reset_token;
  uint64_t max_udp_payload_size = 65527;
  uint64_t initial_max_data = 0;
  uint64_t initial_max_stream_data_bidi_local = 0;
  uint64_t initial_max_stream_data_bidi_remote = 0;
  uint64_t initial_max_stream_data_uni = 0;
  uint64_t initial_max_streams_bidi = 0;
  uint64_t initial_max_streams_uni = 0;
  uint64_t ack_delay_exponent = 3;
  uint64_t max_ack_delay_ms = 25;
  bool disable_active_migration = false;
  std::optional<PreferredAddress> preferred_address;
  uint64_t active_connection_id_limit = 2;
  std::optional<ConnectionId> initial_source_connection_id;
  std::optional<ConnectionId> retry_source_connection_id;

  bool operator==(const TransportParameters& o) const;
};

// Checks the §18.2 rules for parameters sent by `sender`: value ranges
// (max_udp_payload_size >= 1200, ack_delay_exponent <= 20,
// max_ack_delay < 2^14, active_connection_id_limit >= 2, stream counts
// <= 2^60, all integers <= 2^62-1) and the parameters a client must not send
// (original_destination_connection_id, stateless_reset_token,
// preferred_address, retry_source_connection_id).
absl::Status ValidateTransportParameters(const TransportParameters& params,
                                         Perspective sender);

// Encodes `params` as the quic_transport_parameters extension body, after
// validating them as sent by `sender`. Parameters equal to their default are
// omitted, except connection IDs, which are written whenever present.
absl::StatusOr<std::vector<uint8_t>> SerializeTransportParameters(
    const TransportParameters& params, Perspective sender);

// Decodes and validates an extension body received from `sender`.
// Unknown IDs (including reserved/GREASE 31*N+27) are ignored; duplicates,
// bad lengths and §18.2 violations are TRANSPORT_PARAMETER_ERROR.
absl::StatusOr<TransportParameters> ParseTransportParameters(
    absl::Span<const uint8_t> data, Perspective sender);

// What an endpoint saw on the wire, for §7.3 authentication of the peer's
// connection-ID parameters.
struct ConnectionIdsSeen {
  // Source Connection ID of the first Initial received from the peer.
  ConnectionId peer_initial_scid;
  // Client only: the Destination Connection ID of its first Initial.
  ConnectionId original_dcid;
  // Client only: the Source Connection ID of the Retry it accepted, if any.
  std::optional<ConnectionId> retry_scid;
};

// §7.3: checks the peer's initial_source_connection_id (both sides) and, when
// the peer is the server, original_destination_connection_id and
// retry_source_connection_id against what `seen` records. Absence or
// mismatch is TRANSPORT_PARAMETER_ERROR.
absl::Status AuthenticateConnectionIds(const TransportParameters& peer_params,
                                       Perspective peer,
                                       const ConnectionIdsSeen& seen);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_TRANSPORT_PARAMETERS_H_
