// QUIC transport error codes (RFC 9000 §20.1) and the convention by which
// decoders report the code an endpoint must send in CONNECTION_CLOSE.
//
// Convention: a decoder that rejects input returns a non-OK absl::Status built
// by QuicErrorStatus(code, reason). The status carries the QUIC error code in
// the one payload shared with the TLS engine (tls/quic_error_payload.h);
// QuicErrorCodeOf() reads it back, whoever set it. A status without the
// payload maps to INTERNAL_ERROR.
#ifndef QUICSIM_ENDPOINTS_ERROR_CODES_H_
#define QUICSIM_ENDPOINTS_ERROR_CODES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace quicsim::endpoints {

// Transport error codes of RFC 9000 §20.1. CRYPTO_ERROR is the range
// 0x0100-0x01ff: 0x100 + TLS alert (RFC 9001 §4.8).
enum class TransportError : uint64_t {
  kNoError = 0x00,
  kInternalError = 0x01,
  kConnectionRefused = 0x02,
  kFlowControlError = 0x03,
  kStreamLimitError = 0x04,
  kStreamStateError = 0x05,
  kFinalSizeError = 0x06,
  kFrameEncodingError = 0x07,
  kTransportParameterError = 0x08,
  kConnectionIdLimitError = 0x09,
  kProtocolViolation = 0x0a,
  kInvalidToken = 0x0b,
  kApplicationError = 0x0c,
  kCryptoBufferExceeded = 0x0d,
  kKeyUpdateError = 0x0e,
  kAeadLimitReached = 0x0f,
  kNoViablePath = 0x10,
  kCryptoErrorFirst = 0x0100,
  kCryptoErrorLast = 0x01ff,
};

// The numeric code of `e`.
constexpr uint64_t Code(TransportError e) { return static_cast<uint64_t>(e); }

// The CRYPTO_ERROR code for TLS alert `alert` (0x100 + alert).
constexpr uint64_t CryptoErrorCode(uint8_t alert) { return 0x100u + alert; }

// True if `code` lies in the CRYPTO_ERROR range.
constexpr bool IsCryptoError(uint64_t code) {
  return code >= 0x100 && code <= 0x1ff;
}

// RFC name of a transport error code ("PROTOCOL_VIOLATION",
// "CRYPTO_ERROR(0x178)", or "UNKNOWN(0x...)") for logs and traces.
std::string TransportErrorName(uint64_t code);

// Builds a decoder failure carrying `code` (the code to send in
// CONNECTION_CLOSE) and a human-readable reason (suitable as reason phrase).
// The canonical code is kInvalidArgument.
absl::Status QuicErrorStatus(uint64_t code, absl::string_view reason);
inline absl::Status QuicErrorStatus(TransportError code,
                                    absl::string_view reason) {
  return QuicErrorStatus(Code(code), reason);
}

// The QUIC error code carried by `status`: NO_ERROR for OK, the payload if
// present (a decoder's or the TLS engine's), INTERNAL_ERROR otherwise.
uint64_t QuicErrorCodeOf(const absl::Status& status);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_ERROR_CODES_H_
