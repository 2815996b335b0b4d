// QUIC packet headers (RFC 9000 §17): long headers (Initial, 0-RTT,
// Handshake, Retry), short (1-RTT) headers, Version Negotiation, and the split
// of a datagram into coalesced packets (§12.2).
//
// Parsing is two-step, as header protection requires:
//  1. ParsePacketHeader() reads the fields that header protection leaves
//     intact (version, connection IDs, token, Length) and locates the packet
//     number (pn_offset) and the packet's end. It never needs keys.
//  2. After header protection is removed (packet_protection.h), the low bits
//     of the first byte give the packet number length (PacketNumberLengthOf)
//     and CheckReservedBits() validates the reserved bits.
//
// Header parse errors mean "drop the packet" (RFC 9000 §5.2); the status
// carries PROTOCOL_VIOLATION for logging only.
#ifndef QUICSIM_ENDPOINTS_PACKET_HEADER_H_
#define QUICSIM_ENDPOINTS_PACKET_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "endpoints/quic_data_writer.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {

// QUIC version 1 (RFC 9000).
inline constexpr uint32_t kQuicVersion1 = 0x00000001;
// The version field value that marks a Version Negotiation packet.
inline constexpr uint32_t kVersionNegotiationMarker = 0x00000000;
// Versions this implementation speaks.
inline constexpr bool IsSupportedVersion(uint32_t version) {
  return version == kQuicVersion1;
}
// True for versions reserved for forcing negotiation (0x?a?a?a?a, §15).
inline constexpr bool IsReservedVersion(uint32_t version) {
  return (version & 0x0f0f0f0f) == 0x0a0a0a0a;
}

// Header-protected bits of the first byte.
inline constexpr uint8_t kLongHeaderProtectedBits = 0x0f;
inline constexpr uint8_t kShortHeaderProtectedBits = 0x1f;
// Size of the Retry Integrity Tag (RFC 9001 §5.8).
inline constexpr size_t kRetryIntegrityTagLength = 16;

// The kind of packet a header belongs to.
enum class PacketType : uint8_t {
  kInitial,
  kZeroRtt,
  kHandshake,
  kRetry,
  kOneRtt,              // short header
  kVersionNegotiation,  // long header with version 0
  kUnsupportedVersion,  // long header of a version we do not speak
};

// Printable name ("Initial", "1-RTT", ...).
const char* PacketTypeName(PacketType type);

// True for packet types that carry a packet number and protected payload.
inline constexpr bool HasPacketNumber(PacketType type) {
  return type == PacketType::kInitial || type == PacketType::kZeroRtt ||
         type == PacketType::kHandshake || type == PacketType::kOneRtt;
}

// Encryption level of a packet type that HasPacketNumber().
EncryptionLevel LevelOfPacketType(PacketType type);
// Long-header packet type sent at `level` (kOneRtt for the 1-RTT level).
PacketType PacketTypeOfLevel(EncryptionLevel level);

// The invariant (pre-header-protection) fields of one packet. Spans point
// into the buffer given to ParsePacketHeader.
struct PacketHeader {
  PacketType type = PacketType::kOneRtt;
  // First byte as on the wire (its low bits still header-protected).
  uint8_t first_byte = 0;
  // 0 for short headers and Version Negotiation.
  uint32_t version = 0;
  ConnectionId dcid;
  ConnectionId scid;  // long headers only
  // Initial: the token (possibly empty). Retry: the retry token.
  absl::Span<const uint8_t> token;
  // Retry: the 16-byte integrity tag.
  absl::Span<const uint8_t> retry_integrity_tag;
  // Version Negotiation: the supported-versions list, raw (4 bytes each).
  absl::Span<const uint8_t> supported_versions;
  // Long headers with a packet number: the Length field (packet number +
  // protected payload).
  uint64_t length = 0;
  // Offset of the packet number from the start of the packet.
  size_t pn_offset = 0;
  // All bytes of this packet (header + payload), within the datagram.
  absl::Span<const uint8_t> packet;
};

// Parses the invariant header fields of the packet that starts at
// `data[0]`; trailing bytes after a long-header packet's Length belong to
// the next coalesced packet. `short_header_dcid_length` is the length of the
// connection IDs this endpoint issued (short headers do not carry it).
absl::StatusOr<PacketHeader> ParsePacketHeader(absl::Span<const uint8_t> data,
                                               size_t short_header_dcid_length);

// The packets of a datagram, in order (RFC 9000 §12.2).
struct DatagramPackets {
  absl::InlinedVector<PacketHeader, 3> packets;
  // Why parsing stopped before the end of the datagram, OK if it did not.
  // Packets before the failure remain valid (they are processed; the rest
  // of the datagram is dropped).
  absl::Status trailing_error;
};

// Splits `datagram` into coalesced packets by their Length fields. Packets
// whose Destination Connection ID differs from the first packet's end the
// split (§12.2: such packets are dropped).
DatagramPackets SplitDatagram(absl::Span<const uint8_t> datagram,
                              size_t short_header_dcid_length);

// Packet number length (1-4) encoded in an unprotected first byte.
inline constexpr size_t PacketNumberLengthOf(uint8_t unprotected_first_byte) {
  return (unprotected_first_byte & 0x03) + 1;
}
// Key Phase bit of an unprotected short-header first byte.
inline constexpr bool KeyPhaseOf(uint8_t unprotected_first_byte) {
  return (unprotected_first_byte & 0x04) != 0;
}

// Validates the reserved bits of an unprotected first byte: nonzero is a
// PROTOCOL_VIOLATION connection error (RFC 9000 §17.2, §17.3.1).
absl::Status CheckReservedBits(bool long_header,
                               uint8_t unprotected_first_byte);

// Writes the header of a packet with a packet number (Initial, 0-RTT,
// Handshake or 1-RTT per `header.type`) up to and including the packet
// number, unprotected. Uses header.version, dcid, scid, token (Initial) and,
// for short headers, the spin (0x20) and key phase (0x04) bits of
// header.first_byte. Long headers get a 2-byte Length (4-byte if larger than
// 16383) of pn_length + `payload_and_tag_length`. Sets `*pn_offset`.
// Returns false if the buffer is too small or an argument is invalid.
bool WritePacketHeader(const PacketHeader& header, size_t pn_length,
                       uint64_t packet_number, size_t payload_and_tag_length,
                       QuicDataWriter* writer, size_t* pn_offset);

// Builds a Version Negotiation packet (RFC 9000 §17.2.1). `dcid`/`scid` are
// the client's SCID/DCID echoed; `unused_bits` fills the low 7 bits of the
// first byte.
std::vector<uint8_t> BuildVersionNegotiationPacket(
    uint8_t unused_bits, const ConnectionId& dcid, const ConnectionId& scid,
    absl::Span<const uint32_t> versions);

// The versions listed in a parsed Version Negotiation packet.
std::vector<uint32_t> VersionNegotiationVersions(const PacketHeader& header);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PACKET_HEADER_H_
