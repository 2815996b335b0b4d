#include "tools/export/protocol_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace quicsim::exporter {

std::string TlsMessageName(int type) {
  switch (type) {
    case 0:
      return "HelloRequest";
    case 1:
      return "ClientHello";
    case 2:
      return "ServerHello";
    case 4:
      return "NewSessionTicket";
    case 5:
      return "EndOfEarlyData";
    case 8:
      return "EncryptedExtensions";
    case 11:
      return "Certificate";
    case 13:
      return "CertificateRequest";
    case 15:
      return "CertificateVerify";
    case 20:
      return "Finished";
    case 24:
      return "KeyUpdate";
    case 25:
      return "CompressedCertificate";
    case 254:
      return "MessageHash";
  }
  return absl::StrCat("HandshakeType(", type, ")");
}

std::string TlsAlertName(int alert) {
  switch (alert) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 20:
      return "bad_record_mac";
    case 21:
      return "decryption_failed";
    case 22:
      return "record_overflow";
    case 30:
      return "decompression_failure";
    case 40:
      return "handshake_failure";
    case 41:
      return "no_certificate";
    case 42:
      return "bad_certificate";
    case 43:
      return "unsupported_certificate";
    case 44:
      return "certificate_revoked";
    case 45:
      return "certificate_expired";
    case 46:
      return "certificate_unknown";
    case 47:
      return "illegal_parameter";
    case 48:
      return "unknown_ca";
    case 49:
      return "access_denied";
    case 50:
      return "decode_error";
    case 51:
      return "decrypt_error";
    case 60:
      return "export_restriction";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 86:
      return "inappropriate_fallback";
    case 90:
      return "user_canceled";
    case 100:
      return "no_renegotiation";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 111:
      return "certificate_unobtainable";
    case 112:
      return "unrecognized_name";
    case 113:
      return "bad_certificate_status_response";
    case 114:
      return "bad_certificate_hash_value";
    case 115:
      return "unknown_psk_identity";
    case 116:
      return "certificate_required";
    case 120:
      return "no_application_protocol";
    case 121:
      return "ech_required";
  }
  return absl::StrCat("alert_", alert);
}

std::string TransportErrorName(uint64_t code) {
  static constexpr const char* kNames[] = {
      "no_error",
      "internal_error",
      "connection_refused",
      "flow_control_error",
      "stream_limit_error",
      "stream_state_error",
      "final_size_error",
      "frame_encoding_error",
      "transport_parameter_error",
      "connection_id_limit_error",
      "protocol_violation",
      "invalid_token",
      "application_error",
      "crypto_buffer_exceeded",
      "key_update_error",
      "aead_limit_reached",
      "no_viable_path",
  };
  if (code < sizeof(kNames) / sizeof(kNames[0])) return kNames[code];
  if (code >= 0x100 && code <= 0x1ff) {
    return TlsAlertName(static_cast<int>(code - 0x100));
  }
  return "unknown";
}

std::string CloseCodeText(uint64_t code) {
  return absl::StrFormat("0x%x %s", code, TransportErrorName(code));
}

std::string NameCloseCodes(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t hex = text.find("0x", i);
    if (hex == std::string_view::npos) break;
    size_t end = hex + 2;
    while (end < text.size() &&
           absl::ascii_isxdigit(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    uint64_t code = 0;
    const bool word_start =
        hex == 0 ||
        !absl::ascii_isalnum(static_cast<unsigned char>(text[hex - 1])) ||
        text[hex - 1] == '(';
    if (end == hex + 2 || end - hex > 18 || !word_start ||
        !absl::SimpleHexAtoi(
            absl::string_view(text.data() + hex + 2, end - hex - 2), &code)) {
      out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    // "NAME(0xHEX)": drop the upper-case name and the parentheses.
    size_t name_start = hex;
    if (hex > 0 && text[hex - 1] == '(' && end < text.size() &&
        text[end] == ')') {
      name_start = hex - 1;
      while (name_start > i && (absl::ascii_isupper(static_cast<unsigned char>(
                                    text[name_start - 1])) ||
                                text[name_start - 1] == '_')) {
        --name_start;
      }
      ++end;  // the ')'
    }
    out.append(text.substr(i, name_start - i));
    out += CloseCodeText(code);
    i = end;
  }
  if (i < text.size()) out.append(text.substr(i));
  return out;
}

}  // namespace quicsim::exporter
