#include "tls/session_ticket.h"

#include <openssl/bytestring.h>
#include <openssl/mem.h>
#include <openssl/tls1.h>

namespace quicsim::tls {
namespace {

constexpr uint8_t kNewSessionTicket = 4;
constexpr uint16_t kEarlyDataExtension = 42;

absl::Status Malformed() {
  return absl::InternalError("malformed NewSessionTicket");
}

}  // namespace

std::vector<uint8_t> AppendTicketExtra(
    absl::Span<const uint8_t> session,
    const std::vector<std::vector<uint8_t>>& extra) {
  std::vector<uint8_t> out(session.begin(), session.end());
  for (const std::vector<uint8_t>& e : extra) {
    const size_t n = e.size();
    out.push_back(static_cast<uint8_t>(n >> 24));
    out.push_back(static_cast<uint8_t>(n >> 16));
    out.push_back(static_cast<uint8_t>(n >> 8));
    out.push_back(static_cast<uint8_t>(n));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

bool SplitTicketExtra(absl::Span<const uint8_t> plaintext, size_t* session_len,
                      std::vector<std::vector<uint8_t>>* extra) {
  CBS cbs, session;
  CBS_init(&cbs, plaintext.data(), plaintext.size());
  if (!CBS_get_asn1_element(&cbs, &session, CBS_ASN1_SEQUENCE)) return false;
  *session_len = CBS_len(&session);
  extra->clear();
  while (CBS_len(&cbs) > 0) {
    uint32_t len;
    if (!CBS_get_u32(&cbs, &len) || CBS_len(&cbs) < len) return false;
    extra->emplace_back(CBS_data(&cbs), CBS_data(&cbs) + len);
    CBS_skip(&cbs, len);
  }
  return true;
}

absl::StatusOr<std::vector<uint8_t>> RewriteNewSessionTickets(
    absl::Span<const uint8_t> messages, const SessionTicketOptions& options,
    const TicketResealer& reseal) {
  bssl::ScopedCBB out;
  if (!CBB_init(out.get(), messages.size() + 64)) return Malformed();
  CBS in;
  CBS_init(&in, messages.data(), messages.size());
  while (CBS_len(&in) > 0) {
    uint8_t type;
    CBS body;
    if (!CBS_get_u8(&in, &type) || !CBS_get_u24_length_prefixed(&in, &body) ||
        type != kNewSessionTicket) {
      return Malformed();
    }
    // RFC 8446 §4.6.1.
    uint32_t lifetime, age_add;
    CBS nonce, ticket, extensions;
    if (!CBS_get_u32(&body, &lifetime) || !CBS_get_u32(&body, &age_add) ||
        !CBS_get_u8_length_prefixed(&body, &nonce) ||
        !CBS_get_u16_length_prefixed(&body, &ticket) ||
        !CBS_get_u16_length_prefixed(&body, &extensions) ||
        CBS_len(&body) != 0) {
      return Malformed();
    }
    std::vector<uint8_t> new_ticket(CBS_data(&ticket),
                                    CBS_data(&ticket) + CBS_len(&ticket));
    if (!options.extra.empty()) {
      absl::StatusOr<std::vector<uint8_t>> resealed = reseal(new_ticket);
      if (!resealed.ok()) return resealed.status();
      new_ticket = *std::move(resealed);
    }
    CBB message, nonce_out, ticket_out, extensions_out;
    if (!CBB_add_u8(out.get(), kNewSessionTicket) ||
        !CBB_add_u24_length_prefixed(out.get(), &message) ||
        !CBB_add_u32(&message, lifetime) || !CBB_add_u32(&message, age_add) ||
        !CBB_add_u8_length_prefixed(&message, &nonce_out) ||
        !CBB_add_bytes(&nonce_out, CBS_data(&nonce), CBS_len(&nonce)) ||
        !CBB_add_u16_length_prefixed(&message, &ticket_out) ||
        !CBB_add_bytes(&ticket_out, new_ticket.data(), new_ticket.size()) ||
        !CBB_add_u16_length_prefixed(&message, &extensions_out)) {
      return Malformed();
    }
    while (CBS_len(&extensions) > 0) {
      uint16_t ext_type;
      CBS ext_body;
      if (!CBS_get_u16(&extensions, &ext_type) ||
          !CBS_get_u16_length_prefixed(&extensions, &ext_body)) {
        return Malformed();
      }
      if (ext_type == kEarlyDataExtension && !options.early_data) continue;
      CBB ext_out;
      if (!CBB_add_u16(&extensions_out, ext_type) ||
          !CBB_add_u16_length_prefixed(&extensions_out, &ext_out) ||
          !CBB_add_bytes(&ext_out, CBS_data(&ext_body), CBS_len(&ext_body))) {
        return Malformed();
      }
    }
    if (!CBB_flush(out.get())) return Malformed();
  }
  return std::vector<uint8_t>(CBB_data(out.get()),
                              CBB_data(out.get()) + CBB_len(out.get()));
}

}  // namespace quicsim::tls
