// TLS engine errors: a TLS alert (or a QUIC transport error code when the
// failure is not a TLS one) plus a message, carried inside absl::Status.
#ifndef QUICSIM_TLS_ERROR_H_
#define QUICSIM_TLS_ERROR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace quicsim::tls {

// TLS alert descriptions used by the engine (RFC 8446 §6).
inline constexpr uint8_t kAlertUnexpectedMessage = 10;
inline constexpr uint8_t kAlertHandshakeFailure = 40;
inline constexpr uint8_t kAlertBadCertificate = 42;
inline constexpr uint8_t kAlertCertificateExpired = 45;
inline constexpr uint8_t kAlertDecryptError = 51;
inline constexpr uint8_t kAlertInternalError = 80;
inline constexpr uint8_t kAlertMissingExtension = 109;
inline constexpr uint8_t kAlertNoApplicationProtocol = 120;

// QUIC transport error codes (RFC 9000 §20.1) the engine can produce.
inline constexpr uint64_t kTransportParameterError = 0x08;
inline constexpr uint64_t kCryptoBufferExceeded = 0x0d;

// A fatal engine error. `alert` is the TLS alert BoringSSL sent (internal_error
// when it sent none). `transport_code`, when non-zero, is a QUIC transport
// error that is not a TLS alert (CRYPTO_BUFFER_EXCEEDED, or a code the
// application chose) and takes precedence in quic_error_code().
struct Error {
  uint8_t alert = kAlertInternalError;
  uint64_t transport_code = 0;
  std::string message;

  // An error carrying TLS alert `alert`.
  static Error Alert(uint8_t alert, std::string message);
  // An error carrying QUIC transport error `code` (alert stays internal_error).
  static Error Transport(uint64_t code, std::string message);

  // The QUIC error code for CONNECTION_CLOSE: transport_code if set, else
  // CRYPTO_ERROR 0x100 + alert (RFC 9001 §4.8).
  uint64_t quic_error_code() const {
    return transport_code != 0 ? transport_code : 0x100 + alert;
  }

  // Wraps the error in a status (code kAborted) carrying quic_error_code() in
  // the shared payload (tls/quic_error_payload.h), and the alert and message
  // in payloads of their own.
  absl::Status ToStatus() const;
  // Recovers the error from a status made by ToStatus(); nullopt otherwise.
  static std::optional<Error> FromStatus(const absl::Status& status);

  bool operator==(const Error& o) const {
    return alert == o.alert && transport_code == o.transport_code &&
           message == o.message;
  }
};

// The QUIC error code carried by `status` (tls/quic_error_payload.h; for an
// engine error, Error::quic_error_code), or 0x150 (internal_error) for a
// status that carries none.
uint64_t QuicErrorCode(const absl::Status& status);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_ERROR_H_
