// Reading a ClientHello from inside BoringSSL's select-certificate callback:
// the ALPN the client offers and the session ticket it presents. The engine
// uses these to answer the way Go's crypto/tls does before ServerHello
// (Go negotiates ALPN and emits ResumeSession while reading the ClientHello).
#ifndef QUICSIM_TLS_CLIENT_HELLO_H_
#define QUICSIM_TLS_CLIENT_HELLO_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace quicsim::tls {

class Context;

// Picks the first protocol of `ours` (preference order) that the ALPN wire
// list `in` (RFC 7301 ProtocolNameList body) contains; false when none does
// or the list is malformed.
bool SelectAlpnFrom(const std::vector<std::string>& ours, const uint8_t* in,
                    size_t in_len, const uint8_t** out, uint8_t* out_len);

// Whether the ClientHello's ALPN extension names one of `ours`; false when
// it has none.
bool ClientHelloOffersAlpn(const SSL_CLIENT_HELLO* client_hello,
                           const std::vector<std::string>& ours);

// The plaintext (serialised SSL_SESSION) of the first PSK identity the
// ClientHello offers, opened with `context`'s ticket key; nullopt when there
// is no pre_shared_key extension or the ticket does not open.
std::optional<std::vector<uint8_t>> OpenOfferedTicket(
    const SSL_CLIENT_HELLO* client_hello, Context* context);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_CLIENT_HELLO_H_
