#include "tls/error.h"

#include "gtest/gtest.h"

namespace quicsim::tls {
namespace {

TEST(ErrorTest, AlertMapsToCryptoError) {
  // RFC 9001 §4.8: CRYPTO_ERROR = 0x100 + alert.
  EXPECT_EQ(Error::Alert(kAlertNoApplicationProtocol, "x").quic_error_code(),
            0x178u);
  EXPECT_EQ(Error::Alert(kAlertHandshakeFailure, "x").quic_error_code(),
            0x128u);
  EXPECT_EQ(Error::Alert(kAlertBadCertificate, "x").quic_error_code(), 0x12au);
  EXPECT_EQ(Error::Alert(kAlertDecryptError, "x").quic_error_code(), 0x133u);
  EXPECT_EQ(Error().quic_error_code(), 0x150u);  // internal_error default
}

TEST(ErrorTest, TransportCodeTakesPrecedence) {
  Error e = Error::Transport(kCryptoBufferExceeded, "full");
  EXPECT_EQ(e.quic_error_code(), 0x0du);
  EXPECT_EQ(e.alert, kAlertInternalError);
}

TEST(ErrorTest, RoundTripsThroughStatus) {
  Error e = Error::Alert(kAlertDecryptError, "bad signature");
  absl::Status s = e.ToStatus();
  EXPECT_FALSE(s.ok());
  auto back = Error::FromStatus(s);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, e);
  EXPECT_EQ(QuicErrorCode(s), 0x133u);
  Error t = Error::Transport(kTransportParameterError, "tp");
  EXPECT_EQ(QuicErrorCode(t.ToStatus()), 0x08u);
}

TEST(ErrorTest, ForeignStatusIsInternalError) {
  EXPECT_FALSE(Error::FromStatus(absl::InternalError("x")).has_value());
  EXPECT_EQ(QuicErrorCode(absl::InternalError("x")), 0x150u);
}

}  // namespace
}  // namespace quicsim::tls
