#include "tls/session.h"

#include <openssl/mem.h>

#include <utility>

#include "absl/status/status.h"

namespace quicsim::tls {

Session::Session(SSL_SESSION* session,
                 std::vector<uint8_t> transport_parameters)
    : session_(session, SSL_SESSION_free),
      transport_parameters_(std::move(transport_parameters)) {}

bool Session::early_data_capable() const {
  return session_ != nullptr && SSL_SESSION_early_data_capable(session_.get());
}

absl::StatusOr<std::vector<uint8_t>> Session::Serialize() const {
  if (session_ == nullptr) return absl::FailedPreconditionError("no session");
  uint8_t* bytes = nullptr;
  size_t len = 0;
  if (!SSL_SESSION_to_bytes(session_.get(), &bytes, &len)) {
    return absl::InternalError("SSL_SESSION_to_bytes failed");
  }
  std::vector<uint8_t> out(bytes, bytes + len);
  OPENSSL_free(bytes);
  return out;
}

absl::StatusOr<Session> Session::Parse(
    const SSL_CTX* ctx, absl::Span<const uint8_t> bytes,
    std::vector<uint8_t> transport_parameters) {
  SSL_SESSION* s = SSL_SESSION_from_bytes(bytes.data(), bytes.size(), ctx);
  if (s == nullptr) return absl::InvalidArgumentError("malformed session");
  return Session(s, std::move(transport_parameters));
}

}  // namespace quicsim::tls
