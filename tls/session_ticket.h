// Go's QUICSessionTicketOptions on BoringSSL's tickets. BoringSSL writes the
// NewSessionTicket itself, under the context's 0-RTT setting; the engine
// holds it until SendSessionTicket(options) and then rewrites it:
// early_data=false drops the early_data extension (the ticket no longer
// allows 0-RTT), and `extra` is sealed into the ticket after the serialised
// session, to come back with the server's ResumeSession event (Go's
// SessionState.Extra).
#ifndef QUICSIM_TLS_SESSION_TICKET_H_
#define QUICSIM_TLS_SESSION_TICKET_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace quicsim::tls {

// Go's QUICSessionTicketOptions.
struct SessionTicketOptions {
  // Whether the ticket may be used for 0-RTT (only when the context allows
  // 0-RTT at all: Config::enable_0rtt).
  bool early_data = true;
  // Application data carried inside the ticket, returned by the server's
  // ResumeSession event when the client resumes (Go 1.23, Extra).
  std::vector<std::vector<uint8_t>> extra;
};

// Re-seals a ticket's plaintext: receives the serialised session with the
// extra data appended and returns the new ticket.
using TicketResealer = std::function<absl::StatusOr<std::vector<uint8_t>>(
    absl::Span<const uint8_t> ticket)>;

// Rewrites the NewSessionTicket messages in `messages` (one or more TLS
// handshake messages) as `options` say; `reseal` replaces each ticket when
// options.extra is non-empty.
absl::StatusOr<std::vector<uint8_t>> RewriteNewSessionTickets(
    absl::Span<const uint8_t> messages, const SessionTicketOptions& options,
    const TicketResealer& reseal);

// Appends `extra` to a serialised SSL_SESSION (DER).
std::vector<uint8_t> AppendTicketExtra(
    absl::Span<const uint8_t> session,
    const std::vector<std::vector<uint8_t>>& extra);

// Splits a ticket plaintext into the serialised session's length and the
// extra data after it; false when malformed.
bool SplitTicketExtra(absl::Span<const uint8_t> plaintext, size_t* session_len,
                      std::vector<std::vector<uint8_t>>* extra);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_SESSION_TICKET_H_
