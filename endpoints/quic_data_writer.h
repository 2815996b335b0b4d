// Bounds-checked big-endian writer into a caller-owned buffer, with QUIC
// variable-length integers (RFC 9000 §16). Every Write* returns false without
// writing anything when the value does not fit; it never writes out of
// bounds and never allocates.
#ifndef QUICSIM_ENDPOINTS_QUIC_DATA_WRITER_H_
#define QUICSIM_ENDPOINTS_QUIC_DATA_WRITER_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace quicsim::endpoints {

// Largest value a variable-length integer can carry (2^62 - 1).
inline constexpr uint64_t kMaxVarInt62 = (uint64_t{1} << 62) - 1;

// Minimal encoded length (1, 2, 4 or 8) of `value`; 0 if it exceeds
// kMaxVarInt62.
size_t VarIntLength(uint64_t value);

// Appends fields to a borrowed buffer.
class QuicDataWriter {
 public:
  explicit QuicDataWriter(absl::Span<uint8_t> buffer) : buffer_(buffer) {}

  // Fixed-width big-endian integers.
  bool WriteUInt8(uint8_t value);
  bool WriteUInt16(uint16_t value);
  bool WriteUInt24(uint32_t value);  // false if value >= 2^24
  bool WriteUInt32(uint32_t value);
  bool WriteUInt64(uint64_t value);
  // The low `num_bytes` (1 to 8) bytes of `value`, big-endian; false if
  // `value` does not fit in them.
  bool WriteBytesToUInt64(size_t num_bytes, uint64_t value);
  // A varint in its minimal encoding.
  bool WriteVarInt62(uint64_t value);
  // A varint in exactly `length` bytes (1, 2, 4 or 8), e.g. the 2-byte form
  // of a Length field written before the payload size is final.
  bool WriteVarInt62WithLength(uint64_t value, size_t length);
  // Raw bytes.
  bool WriteBytes(absl::Span<const uint8_t> bytes);
  // A varint length followed by `bytes`.
  bool WriteVarIntLengthPrefixed(absl::Span<const uint8_t> bytes);
  // `n` zero bytes (PADDING).
  bool WriteZeros(size_t n);

  // Bytes written so far.
  size_t length() const { return length_; }
  // Space left.
  size_t remaining() const { return buffer_.size() - length_; }
  // The start of the buffer.
  uint8_t* data() { return buffer_.data(); }
  // The bytes written so far.
  absl::Span<uint8_t> written() { return buffer_.subspan(0, length_); }

 private:
  absl::Span<uint8_t> buffer_;
  size_t length_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_QUIC_DATA_WRITER_H_
