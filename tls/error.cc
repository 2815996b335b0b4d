#include "tls/error.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace quicsim::tls {
namespace {

constexpr char kAlertUrl[] = "quicsim.tls/alert";
constexpr char kTransportUrl[] = "quicsim.tls/transport_code";

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
  status.SetPayload(kAlertUrl, absl::Cord(absl::StrCat(alert)));
  status.SetPayload(kTransportUrl, absl::Cord(absl::StrCat(transport_code)));
  status.SetPayload("quicsim.tls/message", absl::Cord(message));
  return status;
}

std::optional<Error> Error::FromStatus(const absl::Status& status) {
  auto alert = status.GetPayload(kAlertUrl);
  auto code = status.GetPayload(kTransportUrl);
  auto message = status.GetPayload("quicsim.tls/message");
  uint32_t a = 0;
  uint64_t c = 0;
  if (!alert || !code || !message ||
      !absl::SimpleAtoi(std::string(*alert), &a) || a > 255 ||
      !absl::SimpleAtoi(std::string(*code), &c)) {
    return std::nullopt;
  }
  Error e;
  e.alert = static_cast<uint8_t>(a);
  e.transport_code = c;
  e.message = std::string(*message);
  return e;
}

uint64_t QuicErrorCode(const absl::Status& status) {
  std::optional<Error> e = Error::FromStatus(status);
  return e ? e->quic_error_code() : 0x100 + kAlertInternalError;
}

}  // namespace quicsim::tls
