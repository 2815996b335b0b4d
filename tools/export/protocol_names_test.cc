#include "tools/export/protocol_names.h"

#include "gtest/gtest.h"

namespace quicsim::exporter {
namespace {

TEST(ProtocolNamesTest, TlsMessages) {
  EXPECT_EQ(TlsMessageName(1), "ClientHello");
  EXPECT_EQ(TlsMessageName(2), "ServerHello");
  EXPECT_EQ(TlsMessageName(4), "NewSessionTicket");
  EXPECT_EQ(TlsMessageName(8), "EncryptedExtensions");
  EXPECT_EQ(TlsMessageName(11), "Certificate");
  EXPECT_EQ(TlsMessageName(15), "CertificateVerify");
  EXPECT_EQ(TlsMessageName(20), "Finished");
  EXPECT_EQ(TlsMessageName(99), "HandshakeType(99)");
}

TEST(ProtocolNamesTest, EveryRfc9000TransportError) {
  const char* want[] = {"no_error",
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
                        "no_viable_path"};
  for (uint64_t code = 0; code <= 0x10; ++code) {
    EXPECT_EQ(TransportErrorName(code), want[code]) << code;
  }
  EXPECT_EQ(TransportErrorName(0x11), "unknown");
  EXPECT_EQ(TransportErrorName(0x200), "unknown");
}

TEST(ProtocolNamesTest, CryptoErrorsAreAlerts) {
  EXPECT_EQ(CloseCodeText(0x178), "0x178 no_application_protocol");
  EXPECT_EQ(TransportErrorName(0x100 + 40), "handshake_failure");
  EXPECT_EQ(TransportErrorName(0x100 + 42), "bad_certificate");
  EXPECT_EQ(TransportErrorName(0x100 + 48), "unknown_ca");
  EXPECT_EQ(TransportErrorName(0x100 + 51), "decrypt_error");
  EXPECT_EQ(TransportErrorName(0x100 + 80), "internal_error");
  EXPECT_EQ(TransportErrorName(0x100 + 109), "missing_extension");
  EXPECT_EQ(TransportErrorName(0x100 + 112), "unrecognized_name");
  EXPECT_EQ(TransportErrorName(0x100 + 116), "certificate_required");
  EXPECT_EQ(TransportErrorName(0x100 + 121), "ech_required");
  EXPECT_EQ(TransportErrorName(0x100 + 200), "alert_200");
  EXPECT_EQ(TransportErrorName(0x1ff), "alert_255");
}

TEST(ProtocolNamesTest, NamesCodesInTraceText) {
  EXPECT_EQ(NameCloseCodes("closed_sent CRYPTO_ERROR(0x178) after 0"),
            "closed_sent 0x178 no_application_protocol after 0");
  EXPECT_EQ(NameCloseCodes("PROTOCOL_VIOLATION(0xa)"),
            "0xa protocol_violation");
  EXPECT_EQ(NameCloseCodes("code 0x8 x"),
            "code 0x8 transport_parameter_error x");
  EXPECT_EQ(NameCloseCodes("no code here"), "no code here");
  EXPECT_EQ(NameCloseCodes("ab0x12 0x"), "ab0x12 0x");
  EXPECT_EQ(NameCloseCodes("(0x999999999999999999999)"),
            "(0x999999999999999999999)");
}

}  // namespace
}  // namespace quicsim::exporter
