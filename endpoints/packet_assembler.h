// Packet assembly: writes protected QUIC packets one after another into a
// datagram buffer. The one header-and-seal routine for every packet a
// Connection sends (data packets and CONNECTION_CLOSE packets alike).
#ifndef QUICSIM_ENDPOINTS_PACKET_ASSEMBLER_H_
#define QUICSIM_ENDPOINTS_PACKET_ASSEMBLER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {

// Packet numbers are always sent in two bytes.
inline constexpr size_t kPacketNumberLength = 2;

// Bytes of the header, up to and including the packet number, of a packet
// sent at `level` with these connection ID and (Initial) token lengths.
size_t PacketHeaderLength(EncryptionLevel level, size_t dcid_length,
                          size_t scid_length, size_t token_length);

// Appends packets to `datagram` (which must outlive the assembler).
class PacketAssembler {
 public:
  explicit PacketAssembler(absl::Span<uint8_t> datagram)
      : datagram_(datagram) {}

  // Writes `header` (its type, version, connection IDs and token; the
  // first byte's low bits are computed) with packet number `pn`, then
  // `payload`, and seals the packet with `protector`. If the sealed packet
  // fits within the first `budget` bytes of the datagram it is appended and
  // its size returned; otherwise nothing is appended and 0 is returned.
  // Fails (nothing appended) when the buffer is too small or the header or
  // payload invalid: the caller closes the connection with the status.
  absl::StatusOr<size_t> Append(const PacketHeader& header, uint64_t pn,
                                absl::Span<const uint8_t> payload,
                                const PacketProtector& protector,
                                size_t budget = SIZE_MAX);

  // Bytes appended so far.
  size_t length() const { return length_; }

 private:
  absl::Span<uint8_t> datagram_;
  size_t length_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PACKET_ASSEMBLER_H_
