#include "tls/quic_error_payload.h"

#include <string>

#include "absl/strings/cord.h"

namespace quicsim::tls {

void SetQuicErrorCode(uint64_t code, absl::Status* status) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(code >> (56 - 8 * i));
  }
  status->SetPayload(kQuicErrorCodeUrl,
                     absl::Cord(absl::string_view(bytes, sizeof(bytes))));
}

std::optional<uint64_t> GetQuicErrorCode(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kQuicErrorCodeUrl);
  if (!payload.has_value() || payload->size() != 8) return std::nullopt;
  uint64_t code = 0;
  for (unsigned char c : std::string(*payload)) code = (code << 8) | c;
  return code;
}

}  // namespace quicsim::tls
