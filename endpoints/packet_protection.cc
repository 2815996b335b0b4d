#include "endpoints/packet_protection.h"

#include <openssl/chacha.h>
#include <openssl/hkdf.h>
#include <openssl/hmac.h>
#include <openssl/mem.h>

#include <cstring>

#include "endpoints/packet_header.h"
#include "endpoints/packet_number.h"
#include "endpoints/quic_data_writer.h"

namespace quicsim::endpoints {
namespace {

constexpr uint8_t kRetryKeyV1[16] = {0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66,
                                     0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54,
                                     0xe3, 0x68, 0xc8, 0x4e};
constexpr uint8_t kRetryNonceV1[12] = {0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63,
                                       0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb};

const EVP_MD* DigestOf(CipherSuite suite) {
  return suite == CipherSuite::kAes256GcmSha384 ? EVP_sha384() : EVP_sha256();
}

const EVP_AEAD* AeadOf(CipherSuite suite) {
  switch (suite) {
    case CipherSuite::kAes128GcmSha256:
      return EVP_aead_aes_128_gcm();
    case CipherSuite::kAes256GcmSha384:
      return EVP_aead_aes_256_gcm();
    case CipherSuite::kChaCha20Poly1305Sha256:
      return EVP_aead_chacha20_poly1305();
  }
  return nullptr;
}

size_t KeyLengthOf(CipherSuite suite) {
  return suite == CipherSuite::kAes128GcmSha256 ? 16 : 32;
}

}  // namespace

absl::StatusOr<CipherSuite> CipherSuiteFromId(uint16_t id) {
  switch (id) {
    case 0x1301:
      return CipherSuite::kAes128GcmSha256;
    case 0x1302:
      return CipherSuite::kAes256GcmSha384;
    case 0x1303:
      return CipherSuite::kChaCha20Poly1305Sha256;
    default:
      return absl::InvalidArgumentError("cipher suite not usable with QUIC");
  }
}

absl::Status HkdfExpandLabel(const EVP_MD* digest,
                             absl::Span<const uint8_t> secret,
                             absl::string_view label, absl::Span<uint8_t> out) {
  // struct { uint16 length; opaque label<7..255> = "tls13 " + label;
  //          opaque context<0..255> = ""; } HkdfLabel;
  static constexpr absl::string_view kPrefix = "tls13 ";
  uint8_t info[2 + 1 + 255 + 1];
  const size_t label_length = kPrefix.size() + label.size();
  if (label_length > 255 || out.size() > 0xffff) {
    return absl::InvalidArgumentError("HKDF label too long");
  }
  QuicDataWriter w(absl::MakeSpan(info));
  w.WriteUInt16(static_cast<uint16_t>(out.size()));
  w.WriteUInt8(static_cast<uint8_t>(label_length));
  w.WriteBytes(
      {reinterpret_cast<const uint8_t*>(kPrefix.data()), kPrefix.size()});
  w.WriteBytes({reinterpret_cast<const uint8_t*>(label.data()), label.size()});
  w.WriteUInt8(0);
  if (HKDF_expand(out.data(), out.size(), digest, secret.data(), secret.size(),
                  info, w.length()) != 1) {
    return absl::InternalError("HKDF_expand failed");
  }
  return absl::OkStatus();
}

namespace {

// HKDF-Expand-Label for several labels from one secret, keeping one keyed
// HMAC context: every QUIC label's output fits in one hash block, so
// HKDF-Expand is a single HMAC(secret, HkdfLabel || 0x01). BoringSSL's
// HKDF_expand re-keys (and allocates) for each call; a handshake derives
// about twenty of these per connection.
class LabelExpander {
 public:
  LabelExpander(const EVP_MD* digest, absl::Span<const uint8_t> secret)
      : digest_(digest), secret_(secret) {
    HMAC_CTX_init(&hmac_);
    keyed_ = HMAC_Init_ex(&hmac_, secret.data(), secret.size(), digest,
                          nullptr) == 1;
  }
  ~LabelExpander() { HMAC_CTX_cleanup(&hmac_); }
  LabelExpander(const LabelExpander&) = delete;
  LabelExpander& operator=(const LabelExpander&) = delete;

  absl::Status Expand(absl::string_view label, absl::Span<uint8_t> out) {
    if (!keyed_ || out.size() > EVP_MD_size(digest_)) {
      return HkdfExpandLabel(digest_, secret_, label, out);
    }
    static constexpr absl::string_view kPrefix = "tls13 ";
    const size_t label_length = kPrefix.size() + label.size();
    if (label_length > 255) {
      return absl::InvalidArgumentError("HKDF label too long");
    }
    uint8_t info[2 + 1 + 255 + 1 + 1];
    QuicDataWriter w(absl::MakeSpan(info));
    w.WriteUInt16(static_cast<uint16_t>(out.size()));
    w.WriteUInt8(static_cast<uint8_t>(label_length));
    w.WriteBytes(
        {reinterpret_cast<const uint8_t*>(kPrefix.data()), kPrefix.size()});
    w.WriteBytes(
        {reinterpret_cast<const uint8_t*>(label.data()), label.size()});
    w.WriteUInt8(0);  // empty context
    w.WriteUInt8(1);  // HKDF-Expand block counter
    uint8_t block[EVP_MAX_MD_SIZE];
    unsigned block_length = 0;
    if (HMAC_Init_ex(&hmac_, nullptr, 0, nullptr, nullptr) != 1 ||
        HMAC_Update(&hmac_, info, w.length()) != 1 ||
        HMAC_Final(&hmac_, block, &block_length) != 1) {
      return absl::InternalError("HMAC failed");
    }
    std::memcpy(out.data(), block, out.size());
    return absl::OkStatus();
  }

 private:
  const EVP_MD* digest_;
  absl::Span<const uint8_t> secret_;
  HMAC_CTX hmac_;
  bool keyed_ = false;
};

}  // namespace

InitialSecrets DeriveInitialSecrets(const ConnectionId& client_dcid) {
  uint8_t initial_secret[EVP_MAX_MD_SIZE];
  size_t initial_secret_length = 0;
  QUICSIM_CHECK(HKDF_extract(initial_secret, &initial_secret_length,
                             EVP_sha256(), client_dcid.data(),
                             client_dcid.size(), kInitialSaltV1,
                             sizeof(kInitialSaltV1)) == 1);
  InitialSecrets secrets;
  absl::Span<const uint8_t> prk(initial_secret, initial_secret_length);
  LabelExpander expander(EVP_sha256(), prk);
  QUICSIM_CHECK(
      expander.Expand("client in", absl::MakeSpan(secrets.client)).ok());
  QUICSIM_CHECK(
      expander.Expand("server in", absl::MakeSpan(secrets.server)).ok());
  return secrets;
}

absl::StatusOr<std::vector<uint8_t>> DeriveNextSecret(
    CipherSuite suite, absl::Span<const uint8_t> secret) {
  std::vector<uint8_t> next(secret.size());
  if (absl::Status s = HkdfExpandLabel(DigestOf(suite), secret, "quic ku",
                                       absl::MakeSpan(next));
      !s.ok()) {
    return s;
  }
  return next;
}

absl::StatusOr<std::unique_ptr<PacketProtector>> PacketProtector::Create(
    CipherSuite suite, absl::Span<const uint8_t> secret) {
  std::unique_ptr<PacketProtector> protector(new PacketProtector());
  if (absl::Status s = protector->Init(suite, secret); !s.ok()) return s;
  return protector;
}

std::unique_ptr<PacketProtector> PacketProtector::CreateInitial(
    const ConnectionId& client_dcid, Perspective sender) {
  const InitialSecrets secrets = DeriveInitialSecrets(client_dcid);
  absl::StatusOr<std::unique_ptr<PacketProtector>> protector =
      Create(CipherSuite::kAes128GcmSha256,
             sender == Perspective::kClient ? secrets.client : secrets.server);
  QUICSIM_CHECK(protector.ok());
  return *std::move(protector);
}

PacketProtector::InitialPair PacketProtector::CreateInitialPair(
    const ConnectionId& client_dcid, Perspective self) {
  const InitialSecrets secrets = DeriveInitialSecrets(client_dcid);
  absl::StatusOr<std::unique_ptr<PacketProtector>> client =
      Create(CipherSuite::kAes128GcmSha256, secrets.client);
  absl::StatusOr<std::unique_ptr<PacketProtector>> server =
      Create(CipherSuite::kAes128GcmSha256, secrets.server);
  QUICSIM_CHECK(client.ok() && server.ok());
  InitialPair pair;
  const bool is_client = self == Perspective::kClient;
  pair.write = std::move(is_client ? *client : *server);
  pair.read = std::move(is_client ? *server : *client);
  return pair;
}

absl::Status PacketProtector::Init(CipherSuite suite,
                                   absl::Span<const uint8_t> secret) {
  EVP_AEAD_CTX_zero(&aead_ctx_);
  const EVP_AEAD* aead = AeadOf(suite);
  if (aead == nullptr) return absl::InvalidArgumentError("unknown suite");
  suite_ = suite;
  key_length_ = KeyLengthOf(suite);
  const EVP_MD* digest = DigestOf(suite);
  if (secret.size() != EVP_MD_size(digest)) {
    return absl::InvalidArgumentError("secret length does not match suite");
  }
  LabelExpander expander(digest, secret);
  if (absl::Status s =
          expander.Expand("quic key", absl::MakeSpan(key_, key_length_));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = expander.Expand("quic iv", absl::MakeSpan(iv_));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          expander.Expand("quic hp", absl::MakeSpan(hp_key_, key_length_));
      !s.ok()) {
    return s;
  }
  if (EVP_AEAD_CTX_init(&aead_ctx_, aead, key_, key_length_, kAeadTagLength,
                        nullptr) != 1) {
    return absl::InternalError("EVP_AEAD_CTX_init failed");
  }
  if (suite != CipherSuite::kChaCha20Poly1305Sha256 &&
      AES_set_encrypt_key(hp_key_, static_cast<unsigned>(8 * key_length_),
                          &hp_aes_key_) != 0) {
    return absl::InternalError("AES_set_encrypt_key failed");
  }
  return absl::OkStatus();
}

PacketProtector::~PacketProtector() { EVP_AEAD_CTX_cleanup(&aead_ctx_); }

void PacketProtector::HeaderProtectionMask(const uint8_t* sample,
                                           uint8_t mask[5]) const {
  if (suite_ == CipherSuite::kChaCha20Poly1305Sha256) {
    // counter = sample[0..3] little-endian, nonce = sample[4..15]
    // (RFC 9001 §5.4.4).
    const uint32_t counter = uint32_t{sample[0]} | uint32_t{sample[1]} << 8 |
                             uint32_t{sample[2]} << 16 |
                             uint32_t{sample[3]} << 24;
    static constexpr uint8_t kZeros[5] = {};
    CRYPTO_chacha_20(mask, kZeros, 5, hp_key_, sample + 4, counter);
    return;
  }
  uint8_t block[16];
  AES_encrypt(sample, block, &hp_aes_key_);
  std::memcpy(mask, block, 5);
}

void PacketProtector::MakeNonce(uint64_t packet_number,
                                uint8_t nonce[12]) const {
  std::memcpy(nonce, iv_, 12);
  for (int i = 0; i < 8; ++i) {
    nonce[11 - i] ^= static_cast<uint8_t>(packet_number >> (8 * i));
  }
}

absl::StatusOr<size_t> PacketProtector::SealPacket(
    absl::Span<uint8_t> buffer, size_t pn_offset, size_t pn_length,
    uint64_t packet_number, size_t payload_length) const {
  const size_t header_length = pn_offset + pn_length;
  const size_t total = header_length + payload_length + kAeadTagLength;
  if (pn_length < 1 || pn_length > 4 || buffer.size() < total) {
    return absl::InvalidArgumentError("seal: buffer too small");
  }
  if (pn_length + payload_length < kSampleOffsetFromPn) {
    return absl::InvalidArgumentError("seal: payload too short to sample");
  }
  uint8_t nonce[12];
  MakeNonce(packet_number, nonce);
  uint8_t* payload = buffer.data() + header_length;
  size_t out_length = 0;
  if (EVP_AEAD_CTX_seal(&aead_ctx_, payload, &out_length,
                        payload_length + kAeadTagLength, nonce, sizeof(nonce),
                        payload, payload_length, buffer.data(),
                        header_length) != 1) {
    return absl::InternalError("EVP_AEAD_CTX_seal failed");
  }
  uint8_t mask[5];
  HeaderProtectionMask(buffer.data() + pn_offset + kSampleOffsetFromPn, mask);
  const bool long_header = (buffer[0] & 0x80) != 0;
  buffer[0] ^= mask[0] & (long_header ? kLongHeaderProtectedBits
                                      : kShortHeaderProtectedBits);
  for (size_t i = 0; i < pn_length; ++i) buffer[pn_offset + i] ^= mask[1 + i];
  return total;
}

absl::StatusOr<OpenedPacket> PacketProtector::OpenPacket(
    absl::Span<uint8_t> packet, size_t pn_offset,
    std::optional<uint64_t> largest_pn) const {
  if (pn_offset == 0 || packet.size() < pn_offset + kSampleOffsetFromPn +
                                            kHeaderProtectionSampleLength) {
    return absl::InvalidArgumentError("open: packet too short to sample");
  }
  uint8_t mask[5];
  HeaderProtectionMask(packet.data() + pn_offset + kSampleOffsetFromPn, mask);
  const bool long_header = (packet[0] & 0x80) != 0;
  OpenedPacket opened;
  opened.first_byte =
      packet[0] ^ (mask[0] & (long_header ? kLongHeaderProtectedBits
                                          : kShortHeaderProtectedBits));
  packet[0] = opened.first_byte;
  opened.pn_length = PacketNumberLengthOf(opened.first_byte);
  uint64_t truncated = 0;
  for (size_t i = 0; i < opened.pn_length; ++i) {
    packet[pn_offset + i] ^= mask[1 + i];
    truncated = (truncated << 8) | packet[pn_offset + i];
  }
  opened.packet_number =
      DecodePacketNumber(largest_pn, truncated, 8 * opened.pn_length);
  const size_t header_length = pn_offset + opened.pn_length;
  uint8_t nonce[12];
  MakeNonce(opened.packet_number, nonce);
  uint8_t* ciphertext = packet.data() + header_length;
  const size_t ciphertext_length = packet.size() - header_length;
  size_t plaintext_length = 0;
  if (EVP_AEAD_CTX_open(&aead_ctx_, ciphertext, &plaintext_length,
                        ciphertext_length, nonce, sizeof(nonce), ciphertext,
                        ciphertext_length, packet.data(), header_length) != 1) {
    return absl::UnauthenticatedError("open: AEAD authentication failed");
  }
  opened.header = packet.subspan(0, header_length);
  opened.payload = packet.subspan(header_length, plaintext_length);
  return opened;
}

std::array<uint8_t, 16> ComputeRetryIntegrityTag(
    absl::Span<const uint8_t> retry_without_tag,
    const ConnectionId& original_dcid) {
  // Retry Pseudo-Packet: ODCID length, ODCID, then the Retry packet.
  std::vector<uint8_t> pseudo;
  pseudo.reserve(1 + original_dcid.size() + retry_without_tag.size());
  pseudo.push_back(static_cast<uint8_t>(original_dcid.size()));
  pseudo.insert(pseudo.end(), original_dcid.data(),
                original_dcid.data() + original_dcid.size());
  pseudo.insert(pseudo.end(), retry_without_tag.begin(),
                retry_without_tag.end());
  bssl::ScopedEVP_AEAD_CTX ctx;
  QUICSIM_CHECK(EVP_AEAD_CTX_init(ctx.get(), EVP_aead_aes_128_gcm(),
                                  kRetryKeyV1, sizeof(kRetryKeyV1),
                                  kAeadTagLength, nullptr) == 1);
  std::array<uint8_t, 16> tag{};
  size_t tag_length = 0;
  QUICSIM_CHECK(EVP_AEAD_CTX_seal(ctx.get(), tag.data(), &tag_length,
                                  tag.size(), kRetryNonceV1,
                                  sizeof(kRetryNonceV1), nullptr, 0,
                                  pseudo.data(), pseudo.size()) == 1);
  QUICSIM_CHECK(tag_length == tag.size());
  return tag;
}

bool VerifyRetryIntegrityTag(absl::Span<const uint8_t> retry_packet,
                             const ConnectionId& original_dcid) {
  if (retry_packet.size() < kRetryIntegrityTagLength) return false;
  const size_t body = retry_packet.size() - kRetryIntegrityTagLength;
  const std::array<uint8_t, 16> expected =
      ComputeRetryIntegrityTag(retry_packet.subspan(0, body), original_dcid);
  return CRYPTO_memcmp(expected.data(), retry_packet.data() + body,
                       expected.size()) == 0;
}

std::vector<uint8_t> BuildRetryPacket(const ConnectionId& dcid,
                                      const ConnectionId& scid,
                                      absl::Span<const uint8_t> token,
                                      const ConnectionId& original_dcid,
                                      uint8_t unused_bits) {
  std::vector<uint8_t> out(7 + dcid.size() + scid.size() + token.size() +
                           kRetryIntegrityTagLength);
  QuicDataWriter w(absl::MakeSpan(out));
  const bool ok = w.WriteUInt8(0xf0 | (unused_bits & 0x0f)) &&
                  w.WriteUInt32(kQuicVersion1) &&
                  w.WriteUInt8(static_cast<uint8_t>(dcid.size())) &&
                  w.WriteBytes(dcid.span()) &&
                  w.WriteUInt8(static_cast<uint8_t>(scid.size())) &&
                  w.WriteBytes(scid.span()) && w.WriteBytes(token);
  QUICSIM_CHECK(ok);
  const std::array<uint8_t, 16> tag =
      ComputeRetryIntegrityTag(w.written(), original_dcid);
  QUICSIM_CHECK(w.WriteBytes(tag));
  return out;
}

}  // namespace quicsim::endpoints
