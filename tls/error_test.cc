#include "tls/error.h"

#include "gtest/gtest.h"
#include "tls/quic_error_payload.h"

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

TEST(ErrorTest, CodeTravelsInTheSharedPayload) {
  // One payload for the code, whoever raised the error.
  absl::Status s = Error::Alert(kAlertNoApplicationProtocol, "x").ToStatus();
  EXPECT_EQ(GetQuicErrorCode(s), 0x178u);
  absl::Status t = Error::Transport(kCryptoBufferExceeded, "y").ToStatus();
  EXPECT_EQ(GetQuicErrorCode(t), 0x0du);
  auto back = Error::FromStatus(t);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->transport_code, kCryptoBufferExceeded);
  EXPECT_EQ(back->alert, kAlertInternalError);
  // A status that carries only a code (a decoder's) has that code, and no
  // engine error.
  absl::Status d = absl::InvalidArgumentError("decoder");
  SetQuicErrorCode(0x0a, &d);
  EXPECT_EQ(QuicErrorCode(d), 0x0au);
  EXPECT_FALSE(Error::FromStatus(d).has_value());
}

}  // namespace
}  // namespace quicsim::tls
