#include "endpoints/quic_data_reader.h"

#include <cstring>

namespace quicsim::endpoints {

bool QuicDataReader::ReadBytesToUInt64(size_t num_bytes, uint64_t* out) {
  if (num_bytes == 0 || num_bytes > 8 || remaining() < num_bytes) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < num_bytes; ++i) {
    value = (value << 8) | data_[offset_ + i];
  }
  offset_ += num_bytes;
  *out = value;
  return true;
}

bool QuicDataReader::ReadUInt8(uint8_t* out) {
  if (remaining() < 1) return false;
  *out = data_[offset_++];
  return true;
}

bool QuicDataReader::ReadUInt16(uint16_t* out) {
  uint64_t v;
  if (!ReadBytesToUInt64(2, &v)) return false;
  *out = static_cast<uint16_t>(v);
  return true;
}

bool QuicDataReader::ReadUInt24(uint32_t* out) {
  uint64_t v;
  if (!ReadBytesToUInt64(3, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool QuicDataReader::ReadUInt32(uint32_t* out) {
  uint64_t v;
  if (!ReadBytesToUInt64(4, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool QuicDataReader::ReadUInt64(uint64_t* out) {
  return ReadBytesToUInt64(8, out);
}

bool QuicDataReader::ReadVarInt62(uint64_t* out) {
  if (remaining() < 1) return false;
  const size_t length = VarIntLengthFromFirstByte(data_[offset_]);
  uint64_t value;
  if (!ReadBytesToUInt64(length, &value)) return false;
  // Clear the two length bits at the top of the encoded integer.
  *out = value & ((uint64_t{1} << (8 * length - 2)) - 1);
  return true;
}

bool QuicDataReader::ReadSpan(size_t n, absl::Span<const uint8_t>* out) {
  if (remaining() < n) return false;
  *out = data_.subspan(offset_, n);
  offset_ += n;
  return true;
}

bool QuicDataReader::ReadBytes(uint8_t* out, size_t n) {
  if (remaining() < n) return false;
  if (n > 0) std::memcpy(out, data_.data() + offset_, n);
  offset_ += n;
  return true;
}

bool QuicDataReader::ReadVarIntLengthPrefixed(absl::Span<const uint8_t>* out) {
  const size_t saved = offset_;
  uint64_t length;
  if (!ReadVarInt62(&length) || length > remaining()) {
    offset_ = saved;
    return false;
  }
  return ReadSpan(static_cast<size_t>(length), out);
}

bool QuicDataReader::ReadUInt8LengthPrefixed(absl::Span<const uint8_t>* out) {
  const size_t saved = offset_;
  uint8_t length;
  if (!ReadUInt8(&length) || length > remaining()) {
    offset_ = saved;
    return false;
  }
  return ReadSpan(length, out);
}

bool QuicDataReader::Skip(size_t n) {
  if (remaining() < n) return false;
  offset_ += n;
  return true;
}

bool QuicDataReader::PeekUInt8(uint8_t* out) const {
  if (remaining() < 1) return false;
  *out = data_[offset_];
  return true;
}

absl::Span<const uint8_t> QuicDataReader::ReadRemaining() {
  absl::Span<const uint8_t> rest = RemainingSpan();
  offset_ = data_.size();
  return rest;
}

}  // namespace quicsim::endpoints
