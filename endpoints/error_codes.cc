#include "endpoints/error_codes.h"

#include "absl/strings/str_format.h"
#include "tls/quic_error_payload.h"

namespace quicsim::endpoints {

std::string TransportErrorName(uint64_t code) {
  switch (code) {
    case 0x00:
      return "NO_ERROR";
    case 0x01:
      return "INTERNAL_ERROR";
    case 0x02:
      return "CONNECTION_REFUSED";
    case 0x03:
      return "FLOW_CONTROL_ERROR";
    case 0x04:
      return "STREAM_LIMIT_ERROR";
    case 0x05:
      return "STREAM_STATE_ERROR";
    case 0x06:
      return "FINAL_SIZE_ERROR";
    case 0x07:
      return "FRAME_ENCODING_ERROR";
    case 0x08:
      return "TRANSPORT_PARAMETER_ERROR";
    case 0x09:
      return "CONNECTION_ID_LIMIT_ERROR";
    case 0x0a:
      return "PROTOCOL_VIOLATION";
    case 0x0b:
      return "INVALID_TOKEN";
    case 0x0c:
      return "APPLICATION_ERROR";
    case 0x0d:
      return "CRYPTO_BUFFER_EXCEEDED";
    case 0x0e:
      return "KEY_UPDATE_ERROR";
    case 0x0f:
      return "AEAD_LIMIT_REACHED";
    case 0x10:
      return "NO_VIABLE_PATH";
    default:
      break;
  }
  if (IsCryptoError(code)) return absl::StrFormat("CRYPTO_ERROR(0x%x)", code);
  return absl::StrFormat("UNKNOWN(0x%x)", code);
}

absl::Status QuicErrorStatus(uint64_t code, absl::string_view reason) {
  absl::Status status(
      absl::StatusCode::kInvalidArgument,
      absl::StrFormat("%s: %s", TransportErrorName(code), reason));
  tls::SetQuicErrorCode(code, &status);
  return status;
}

uint64_t QuicErrorCodeOf(const absl::Status& status) {
  if (status.ok()) return Code(TransportError::kNoError);
  return tls::GetQuicErrorCode(status).value_or(
      Code(TransportError::kInternalError));
}

}  // namespace quicsim::endpoints
