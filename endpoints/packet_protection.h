// QUIC packet protection (RFC 9001 §5) on BoringSSL: Initial secrets, key
// derivation from TLS traffic secrets, AEAD payload protection, header
// protection, and the Retry integrity tag (§5.8).
//
// A PacketProtector holds the keys of one direction at one encryption level;
// it derives them once at construction and reuses its AEAD context and
// header-protection key schedule for every packet (no per-packet key
// derivation, no per-packet allocation). Seal and open work in place.
#ifndef QUICSIM_ENDPOINTS_PACKET_PROTECTION_H_
#define QUICSIM_ENDPOINTS_PACKET_PROTECTION_H_

#include <openssl/aead.h>
#include <openssl/aes.h>
#include <openssl/digest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "endpoints/perspective.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {

// TLS 1.3 cipher suites usable with QUIC, by IANA value.
enum class CipherSuite : uint16_t {
  kAes128GcmSha256 = 0x1301,
  kAes256GcmSha384 = 0x1302,
  kChaCha20Poly1305Sha256 = 0x1303,
};

// Maps an IANA cipher suite value (e.g. from SSL_CIPHER_get_protocol_id) to
// a CipherSuite; error for suites QUIC cannot use.
absl::StatusOr<CipherSuite> CipherSuiteFromId(uint16_t id);

// The salt for v1 Initial secrets (RFC 9001 §5.2).
inline constexpr uint8_t kInitialSaltV1[20] = {
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};

// Length of the AEAD authentication tag of every QUIC v1 cipher suite.
inline constexpr size_t kAeadTagLength = 16;
// Bytes of ciphertext sampled for header protection.
inline constexpr size_t kHeaderProtectionSampleLength = 16;
// The sample starts this many bytes after the start of the packet number
// field, so a packet needs pn_offset + 4 + 16 bytes at least.
inline constexpr size_t kSampleOffsetFromPn = 4;

// TLS 1.3 HKDF-Expand-Label with an empty context (RFC 8446 §7.1): fills
// `out` from `secret` and `label` (without the "tls13 " prefix).
absl::Status HkdfExpandLabel(const EVP_MD* digest,
                             absl::Span<const uint8_t> secret,
                             absl::string_view label, absl::Span<uint8_t> out);

// The client and server Initial secrets for a client-chosen Destination
// Connection ID (RFC 9001 §5.2, QUIC v1).
struct InitialSecrets {
  std::array<uint8_t, 32> client{};
  std::array<uint8_t, 32> server{};
};
InitialSecrets DeriveInitialSecrets(const ConnectionId& client_dcid);

// The next-generation secret for a key update ("quic ku", RFC 9001 §6.1).
absl::StatusOr<std::vector<uint8_t>> DeriveNextSecret(
    CipherSuite suite, absl::Span<const uint8_t> secret);

// Result of opening a packet in place. Spans point into the caller's buffer.
struct OpenedPacket {
  uint64_t packet_number = 0;
  size_t pn_length = 0;
  // First byte with header protection removed: check it with
  // CheckReservedBits() (packet_header.h) and read the key phase from it.
  uint8_t first_byte = 0;
  // Unprotected header including the packet number.
  absl::Span<uint8_t> header;
  // Decrypted payload (frames).
  absl::Span<uint8_t> payload;
};

// Packet protection keys of one direction at one encryption level.
class PacketProtector {
 public:
  // Derives key, IV and header-protection key from a TLS traffic secret.
  static absl::StatusOr<std::unique_ptr<PacketProtector>> Create(
      CipherSuite suite, absl::Span<const uint8_t> secret);
  // Keys protecting Initial packets sent by `sender` for a connection whose
  // client chose `client_dcid` as its first Destination Connection ID.
  static std::unique_ptr<PacketProtector> CreateInitial(
      const ConnectionId& client_dcid, Perspective sender);

  // Both directions' Initial keys for endpoint `self`, deriving the Initial
  // secrets once.
  struct InitialPair {
    std::unique_ptr<PacketProtector> read;
    std::unique_ptr<PacketProtector> write;
  };
  static InitialPair CreateInitialPair(const ConnectionId& client_dcid,
                                       Perspective self);

  PacketProtector(const PacketProtector&) = delete;
  PacketProtector& operator=(const PacketProtector&) = delete;
  ~PacketProtector();

  CipherSuite suite() const { return suite_; }
  absl::Span<const uint8_t> key() const { return {key_, key_length_}; }
  absl::Span<const uint8_t> iv() const { return {iv_, sizeof(iv_)}; }
  absl::Span<const uint8_t> hp_key() const { return {hp_key_, key_length_}; }

  // The 5-byte header-protection mask for a 16-byte ciphertext sample.
  void HeaderProtectionMask(const uint8_t* sample, uint8_t mask[5]) const;

  // The AEAD nonce for `packet_number` (IV xor left-padded packet number).
  void MakeNonce(uint64_t packet_number, uint8_t nonce[12]) const;

  // Protects a packet in place. On entry `buffer` holds the unprotected
  // header (packet number at [pn_offset, pn_offset + pn_length), pn_length
  // in the first byte's low bits) followed by `payload_length` plaintext
  // bytes; it needs kAeadTagLength more bytes of room. Returns the protected
  // packet's length. Fails if the payload is too short to sample (pad it to
  // at least 4 - pn_length bytes) or the buffer too small.
  absl::StatusOr<size_t> SealPacket(absl::Span<uint8_t> buffer,
                                    size_t pn_offset, size_t pn_length,
                                    uint64_t packet_number,
                                    size_t payload_length) const;

  // Removes header protection and decrypts the packet in `packet` (exactly
  // one packet: ParsePacketHeader's `packet` span) in place. `largest_pn` is
  // the largest packet number received in the space (nullopt if none).
  // Errors (all mean "drop the packet"; the buffer is then garbage):
  // too short to sample → InvalidArgument, AEAD failure → Unauthenticated.
  absl::StatusOr<OpenedPacket> OpenPacket(
      absl::Span<uint8_t> packet, size_t pn_offset,
      std::optional<uint64_t> largest_pn) const;

 private:
  PacketProtector() = default;
  absl::Status Init(CipherSuite suite, absl::Span<const uint8_t> secret);

  CipherSuite suite_ = CipherSuite::kAes128GcmSha256;
  size_t key_length_ = 0;
  uint8_t key_[32] = {};
  uint8_t iv_[12] = {};
  uint8_t hp_key_[32] = {};
  EVP_AEAD_CTX aead_ctx_;
  AES_KEY hp_aes_key_;  // unused for ChaCha20
};

// The Retry Integrity Tag (RFC 9001 §5.8, v1) of a Retry packet given
// without its tag, for the client's original Destination Connection ID.
std::array<uint8_t, 16> ComputeRetryIntegrityTag(
    absl::Span<const uint8_t> retry_without_tag,
    const ConnectionId& original_dcid);

// True if the last 16 bytes of `retry_packet` are its valid integrity tag.
bool VerifyRetryIntegrityTag(absl::Span<const uint8_t> retry_packet,
                             const ConnectionId& original_dcid);

// Builds a v1 Retry packet with its integrity tag. `unused_bits` fills the
// low four bits of the first byte.
std::vector<uint8_t> BuildRetryPacket(const ConnectionId& dcid,
                                      const ConnectionId& scid,
                                      absl::Span<const uint8_t> token,
                                      const ConnectionId& original_dcid,
                                      uint8_t unused_bits = 0);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PACKET_PROTECTION_H_
