#include "tls/client_hello.h"

#include <openssl/bytestring.h>
#include <openssl/tls1.h>

#include <cstring>

#include "tls/context.h"

namespace quicsim::tls {

bool SelectAlpnFrom(const std::vector<std::string>& ours, const uint8_t* in,
                    size_t in_len, const uint8_t** out, uint8_t* out_len) {
  for (const std::string& proto : ours) {
    CBS list, name;
    CBS_init(&list, in, in_len);
    while (CBS_len(&list) > 0) {
      if (!CBS_get_u8_length_prefixed(&list, &name)) return false;
      if (CBS_len(&name) == proto.size() &&
          std::memcmp(CBS_data(&name), proto.data(), proto.size()) == 0) {
        *out = CBS_data(&name);
        *out_len = static_cast<uint8_t>(CBS_len(&name));
        return true;
      }
    }
  }
  return false;
}

bool ClientHelloOffersAlpn(const SSL_CLIENT_HELLO* client_hello,
                           const std::vector<std::string>& ours) {
  const uint8_t* ext = nullptr;
  size_t ext_len = 0;
  if (!SSL_early_callback_ctx_extension_get(
          client_hello, TLSEXT_TYPE_application_layer_protocol_negotiation,
          &ext, &ext_len)) {
    return false;
  }
  CBS cbs, list;
  CBS_init(&cbs, ext, ext_len);
  if (!CBS_get_u16_length_prefixed(&cbs, &list) || CBS_len(&cbs) != 0) {
    return false;
  }
  const uint8_t* out = nullptr;
  uint8_t out_len = 0;
  return SelectAlpnFrom(ours, CBS_data(&list), CBS_len(&list), &out, &out_len);
}

std::optional<std::vector<uint8_t>> OpenOfferedTicket(
    const SSL_CLIENT_HELLO* client_hello, Context* context) {
  const uint8_t* ext = nullptr;
  size_t ext_len = 0;
  if (!SSL_early_callback_ctx_extension_get(
          client_hello, TLSEXT_TYPE_pre_shared_key, &ext, &ext_len)) {
    return std::nullopt;
  }
  // RFC 8446 §4.2.11: identities<7..2^16-1> { identity<1..2^16-1>,
  // obfuscated_ticket_age }, then binders.
  CBS cbs, identities, identity;
  uint32_t age;
  CBS_init(&cbs, ext, ext_len);
  if (!CBS_get_u16_length_prefixed(&cbs, &identities) ||
      !CBS_get_u16_length_prefixed(&identities, &identity) ||
      !CBS_get_u32(&identities, &age) || CBS_len(&identity) == 0) {
    return std::nullopt;
  }
  std::vector<uint8_t> plaintext(CBS_len(&identity));
  size_t len = 0;
  if (!context->OpenTicket(plaintext.data(), &len, plaintext.size(),
                           CBS_data(&identity), CBS_len(&identity))) {
    return std::nullopt;
  }
  plaintext.resize(len);
  return plaintext;
}

}  // namespace quicsim::tls
