#include "tls/error.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "tls/quic_error_payload.h"

namespace quicsim::tls {
namespace {

// What only the TLS layer knows besides the QUIC error code (which travels in
// the shared payload of tls/quic_error_payload.h): the alert and the message.
constexpr char kAlertUrl[] = "quicsim.tls/alert";
constexpr char kMessageUrl[] = "quicsim.tls/message";

}  // namespace

Error Error::Alert(uint8_t alert, std::string message) {
  Error e;
  e.alert = alert;
  e.message = std::move(message);
  return e;
}

Error Error::Transport(uint64_t code, std::string message) {
  Error e;
  e.transport_code = code;
  e.message = std::move(message);
  return e;
}

absl::Status Error::ToStatus() const {
  absl::Status status(absl::StatusCode::kAborted,
                      absl::StrFormat("TLS error 0x%x (alert %d): %s",
                                      quic_error_code(), alert, message));
  SetQuicErrorCode(quic_error_code(), &status);
  status.SetPayload(kAlertUrl,
                    absl::Cord(std::string(1, static_cast<char>(alert))));
  status.SetPayload(kMessageUrl, absl::Cord(message));
  return status;
}

std::optional<Error> Error::FromStatus(const absl::Status& status) {
  std::optional<uint64_t> code = GetQuicErrorCode(status);
  absl::optional<absl::Cord> alert = status.GetPayload(kAlertUrl);
  absl::optional<absl::Cord> message = status.GetPayload(kMessageUrl);
  if (!code.has_value() || !alert.has_value() || alert->size() != 1 ||
      !message.has_value()) {
    return std::nullopt;
  }
  Error e;
  e.alert = static_cast<uint8_t>(std::string(*alert)[0]);
  // The code is the alert's CRYPTO_ERROR unless a transport code was set (a
  // transport code equal to that CRYPTO_ERROR comes back as the alert alone,
  // with the same quic_error_code()).
  e.transport_code = *code == 0x100u + e.alert ? 0 : *code;
  e.message = std::string(*message);
  return e;
}

uint64_t QuicErrorCode(const absl::Status& status) {
  return GetQuicErrorCode(status).value_or(0x100 + kAlertInternalError);
}

}  // namespace quicsim::tls
