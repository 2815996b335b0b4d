// Bounds-checked big-endian reader over a byte span, with QUIC variable-length
// integers (RFC 9000 §16). Every Read* returns false without consuming
// anything when the input is too short; it never reads out of bounds.
#ifndef QUICSIM_ENDPOINTS_QUIC_DATA_READER_H_
#define QUICSIM_ENDPOINTS_QUIC_DATA_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace quicsim::endpoints {

// Reads fields from a borrowed buffer; spans it returns point into that
// buffer and live as long as it does.
class QuicDataReader {
 public:
  explicit QuicDataReader(absl::Span<const uint8_t> data) : data_(data) {}

  // Fixed-width big-endian integers.
  bool ReadUInt8(uint8_t* out);
  bool ReadUInt16(uint16_t* out);
  bool ReadUInt24(uint32_t* out);
  bool ReadUInt32(uint32_t* out);
  bool ReadUInt64(uint64_t* out);
  // A big-endian integer of `num_bytes` (1 to 8) bytes.
  bool ReadBytesToUInt64(size_t num_bytes, uint64_t* out);
  // A variable-length integer (1, 2, 4 or 8 bytes; any encoding accepted).
  bool ReadVarInt62(uint64_t* out);
  // `n` bytes as a span into the input.
  bool ReadSpan(size_t n, absl::Span<const uint8_t>* out);
  // Copies `n` bytes into `out`.
  bool ReadBytes(uint8_t* out, size_t n);
  // A varint length followed by that many bytes.
  bool ReadVarIntLengthPrefixed(absl::Span<const uint8_t>* out);
  // A one-byte length followed by that many bytes.
  bool ReadUInt8LengthPrefixed(absl::Span<const uint8_t>* out);
  // Skips `n` bytes.
  bool Skip(size_t n);
  // The next byte without consuming it.
  bool PeekUInt8(uint8_t* out) const;
  // Consumes and returns everything left.
  absl::Span<const uint8_t> ReadRemaining();

  // Bytes consumed so far.
  size_t offset() const { return offset_; }
  // Bytes left.
  size_t remaining() const { return data_.size() - offset_; }
  bool empty() const { return offset_ == data_.size(); }
  // The unread part of the input.
  absl::Span<const uint8_t> RemainingSpan() const {
    return data_.subspan(offset_);
  }
  // The whole input.
  absl::Span<const uint8_t> data() const { return data_; }

  // Encoded length of a varint whose first byte is `first_byte`.
  static size_t VarIntLengthFromFirstByte(uint8_t first_byte) {
    return size_t{1} << (first_byte >> 6);
  }

 private:
  absl::Span<const uint8_t> data_;
  size_t offset_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_QUIC_DATA_READER_H_
