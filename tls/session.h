// A resumable TLS session as the client keeps it: BoringSSL's SSL_SESSION
// (shared, reference-counted) plus the server's transport parameters, which
// BoringSSL does not remember and 0-RTT needs (RFC 9000 §7.4.1).
#ifndef QUICSIM_TLS_SESSION_H_
#define QUICSIM_TLS_SESSION_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace quicsim::tls {

// A client session ticket and what goes with it. Cheap to copy (shares the
// underlying SSL_SESSION).
class Session {
 public:
  Session() = default;
  // Takes ownership of one reference to `session`.
  Session(SSL_SESSION* session, std::vector<uint8_t> transport_parameters);

  // Whether this holds a session.
  bool valid() const { return session_ != nullptr; }
  // Whether the ticket allows 0-RTT.
  bool early_data_capable() const;
  // The server's transport parameters from the connection that issued it.
  const std::vector<uint8_t>& transport_parameters() const {
    return transport_parameters_;
  }
  // The underlying session (not owned); nullptr when !valid().
  SSL_SESSION* get() const { return session_.get(); }

  // Serialises the session (BoringSSL's SSL_SESSION_to_bytes) for storage
  // outside the process; transport parameters are kept separately.
  absl::StatusOr<std::vector<uint8_t>> Serialize() const;
  // Parses bytes from Serialize(); `ctx` is the client's SSL_CTX.
  static absl::StatusOr<Session> Parse(
      const SSL_CTX* ctx, absl::Span<const uint8_t> bytes,
      std::vector<uint8_t> transport_parameters);

 private:
  std::shared_ptr<SSL_SESSION> session_;
  std::vector<uint8_t> transport_parameters_;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_SESSION_H_
