// Names for what a ladder diagram or qlog shows: TLS handshake message
// types, QUIC transport error codes (RFC 9000 §20.1) and TLS alerts carried
// as CRYPTO_ERROR 0x100 + alert (RFC 9001 §4.8; IANA TLS Alert registry).
#ifndef QUICSIM_TOOLS_EXPORT_PROTOCOL_NAMES_H_
#define QUICSIM_TOOLS_EXPORT_PROTOCOL_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace quicsim::exporter {

// "ClientHello", "ServerHello", ..., "HandshakeType(99)" when unknown.
std::string TlsMessageName(int type);

// "alert name" of a TLS alert, e.g. 120 -> "no_application_protocol";
// "alert_<n>" when unknown.
std::string TlsAlertName(int alert);

// The name of a QUIC transport error code: "no_error" ... "no_viable_path"
// for 0x00-0x10, the alert's name for 0x100-0x1ff (0x178 ->
// "no_application_protocol"), "unknown" otherwise.
std::string TransportErrorName(uint64_t code);

// "0x178 no_application_protocol".
std::string CloseCodeText(uint64_t code);

// `text` with every "NAME(0xHEX)" or bare "0xHEX" code the endpoint trace
// writes (e.g. "CRYPTO_ERROR(0x178)") replaced by CloseCodeText.
std::string NameCloseCodes(std::string_view text);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_PROTOCOL_NAMES_H_
