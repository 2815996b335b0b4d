#include "endpoints/packet_number.h"

namespace quicsim::endpoints {

size_t PacketNumberLength(uint64_t full_pn,
                          std::optional<uint64_t> largest_acked) {
  const uint64_t num_unacked =
      largest_acked.has_value() && *largest_acked < full_pn
          ? full_pn - *largest_acked
          : full_pn + 1;
  // Smallest n with log2(num_unacked) + 1 <= 8n, i.e.
  // num_unacked <= 2^(8n - 1).
  for (size_t n = 1; n < 4; ++n) {
    if (num_unacked <= (uint64_t{1} << (8 * n - 1))) return n;
  }
  return 4;
}

uint64_t DecodePacketNumber(std::optional<uint64_t> largest_pn,
                            uint64_t truncated_pn, size_t pn_nbits) {
  const uint64_t expected_pn = largest_pn.has_value() ? *largest_pn + 1 : 0;
  const uint64_t pn_win = uint64_t{1} << pn_nbits;
  const uint64_t pn_hwin = pn_win / 2;
  const uint64_t pn_mask = pn_win - 1;
  const uint64_t candidate_pn = (expected_pn & ~pn_mask) | truncated_pn;
  // The comparisons are written so that no intermediate value underflows
  // or exceeds 2^62.
  if (candidate_pn + pn_hwin <= expected_pn &&
      candidate_pn < (uint64_t{1} << 62) - pn_win) {
    return candidate_pn + pn_win;
  }
  if (candidate_pn > expected_pn + pn_hwin && candidate_pn >= pn_win) {
    return candidate_pn - pn_win;
  }
  return candidate_pn;
}

}  // namespace quicsim::endpoints
