// Packet number encoding and decoding (RFC 9000 §17.1, Appendix A.2/A.3).
#ifndef QUICSIM_ENDPOINTS_PACKET_NUMBER_H_
#define QUICSIM_ENDPOINTS_PACKET_NUMBER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

namespace quicsim::endpoints {

// Largest packet number QUIC allows (2^62 - 1).
inline constexpr uint64_t kMaxPacketNumber = (uint64_t{1} << 62) - 1;

// Number of bytes (1 to 4) to encode `full_pn` so that a peer that has
// acknowledged up to `largest_acked` (nullopt: nothing acknowledged yet) can
// decode it: the range must cover twice the unacknowledged span (App. A.2).
size_t PacketNumberLength(uint64_t full_pn,
                          std::optional<uint64_t> largest_acked);

// The low `length` bytes of `full_pn`, as put on the wire.
inline uint64_t TruncatePacketNumber(uint64_t full_pn, size_t length) {
  return length >= 8 ? full_pn : full_pn & ((uint64_t{1} << (8 * length)) - 1);
}

// Recovers the full packet number from `truncated_pn` of `pn_nbits` bits
// given the largest packet number received so far in the space
// (`largest_pn`; nullopt if none: then the expected number is 0) (App. A.3).
uint64_t DecodePacketNumber(std::optional<uint64_t> largest_pn,
                            uint64_t truncated_pn, size_t pn_nbits);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PACKET_NUMBER_H_
