// Proves the offline toolchain: each system library links and is the one
// intended (BoringSSL rather than OpenSSL 3; protobuf codegen works).
#include <openssl/base.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/smoke/smoke.pb.h"

#ifndef BORINGSSL_API_VERSION
#error "OpenSSL headers shadow BoringSSL's"
#endif

namespace {

TEST(Toolchain, BoringSslIsTheLinkedLibrary) {
  EXPECT_EQ(BORINGSSL_API_VERSION, 17);
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>("abc"), 3, digest);
  EXPECT_EQ(digest[0], 0xba);
  EXPECT_EQ(digest[31], 0xad);
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  ASSERT_NE(ctx, nullptr);
  SSL_CTX_free(ctx);
}

TEST(Toolchain, AbseilAndProtobuf) {
  absl::StatusOr<int> v = 42;
  EXPECT_EQ(absl::StrFormat("%d", *v), "42");
  quicsim::smoke::Smoke s;
  s.set_name("x");
  s.set_value(300);
  std::string bytes = s.SerializeAsString();
  // field 1 (len 1, "x"), field 2 varint 300 = 0xac 0x02
  EXPECT_EQ(bytes, std::string("\x0a\x01x\x10\xac\x02", 6));
}

}  // namespace
