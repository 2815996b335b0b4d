#include "tls/quic_error_payload.h"

#include "gtest/gtest.h"

namespace quicsim::tls {
namespace {

TEST(QuicErrorPayloadTest, RoundTripsEveryWidth) {
  for (uint64_t code :
       {uint64_t{0}, uint64_t{0x08}, uint64_t{0x178}, uint64_t{0x3fff},
        uint64_t{0x123456789abcdef0}, ~uint64_t{0}}) {
    absl::Status s = absl::AbortedError("x");
    SetQuicErrorCode(code, &s);
    ASSERT_EQ(GetQuicErrorCode(s), code) << code;
  }
}

TEST(QuicErrorPayloadTest, EncodedAsEightBytesBigEndian) {
  absl::Status s = absl::AbortedError("x");
  SetQuicErrorCode(0x0102, &s);
  EXPECT_EQ(std::string(*s.GetPayload(kQuicErrorCodeUrl)),
            std::string("\0\0\0\0\0\0\x01\x02", 8));
}

TEST(QuicErrorPayloadTest, AbsentOrMalformedPayloadIsNoCode) {
  EXPECT_FALSE(GetQuicErrorCode(absl::InternalError("x")).has_value());
  EXPECT_FALSE(GetQuicErrorCode(absl::OkStatus()).has_value());
  absl::Status s = absl::AbortedError("x");
  s.SetPayload(kQuicErrorCodeUrl, absl::Cord("short"));
  EXPECT_FALSE(GetQuicErrorCode(s).has_value());
}

TEST(QuicErrorPayloadTest, LaterCodeReplacesEarlier) {
  absl::Status s = absl::AbortedError("x");
  SetQuicErrorCode(1, &s);
  SetQuicErrorCode(2, &s);
  EXPECT_EQ(GetQuicErrorCode(s), 2u);
}

}  // namespace
}  // namespace quicsim::tls
