// The one absl::Status payload that carries a QUIC error code (the code an
// endpoint sends in CONNECTION_CLOSE) from wherever a failure is raised --
// the TLS engine (tls::Error::ToStatus) or a QUIC decoder
// (endpoints::QuicErrorStatus) -- to the code that closes the connection.
// The payload is the code as 8 bytes, big-endian.
#ifndef QUICSIM_TLS_QUIC_ERROR_PAYLOAD_H_
#define QUICSIM_TLS_QUIC_ERROR_PAYLOAD_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace quicsim::tls {

// The type URL of the payload.
inline constexpr absl::string_view kQuicErrorCodeUrl =
    "quicsim/quic_error_code";

// Attaches `code` to `status` (which must not be OK).
void SetQuicErrorCode(uint64_t code, absl::Status* status);

// The code attached by SetQuicErrorCode; nullopt when `status` carries none
// (or a malformed one).
std::optional<uint64_t> GetQuicErrorCode(const absl::Status& status);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_QUIC_ERROR_PAYLOAD_H_
