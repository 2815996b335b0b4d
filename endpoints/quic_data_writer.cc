#include "endpoints/quic_data_writer.h"

#include <cstring>

namespace quicsim::endpoints {

size_t VarIntLength(uint64_t value) {
  if (value < (uint64_t{1} << 6)) return 1;
  if (value < (uint64_t{1} << 14)) return 2;
  if (value < (uint64_t{1} << 30)) return 4;
  if (value <= kMaxVarInt62) return 8;
  return 0;
}

bool QuicDataWriter::WriteBytesToUInt64(size_t num_bytes, uint64_t value) {
  if (num_bytes == 0 || num_bytes > 8 || remaining() < num_bytes) return false;
  if (num_bytes < 8 && (value >> (8 * num_bytes)) != 0) return false;
  for (size_t i = 0; i < num_bytes; ++i) {
    buffer_[length_ + i] =
        static_cast<uint8_t>(value >> (8 * (num_bytes - 1 - i)));
  }
  length_ += num_bytes;
  return true;
}

bool QuicDataWriter::WriteUInt8(uint8_t value) {
  return WriteBytesToUInt64(1, value);
}
bool QuicDataWriter::WriteUInt16(uint16_t value) {
  return WriteBytesToUInt64(2, value);
}
bool QuicDataWriter::WriteUInt24(uint32_t value) {
  return WriteBytesToUInt64(3, value);
}
bool QuicDataWriter::WriteUInt32(uint32_t value) {
  return WriteBytesToUInt64(4, value);
}
bool QuicDataWriter::WriteUInt64(uint64_t value) {
  return WriteBytesToUInt64(8, value);
}

bool QuicDataWriter::WriteVarInt62(uint64_t value) {
  const size_t length = VarIntLength(value);
  if (length == 0) return false;
  return WriteVarInt62WithLength(value, length);
}

bool QuicDataWriter::WriteVarInt62WithLength(uint64_t value, size_t length) {
  uint64_t prefix;
  switch (length) {
    case 1:
      prefix = 0;
      break;
    case 2:
      prefix = 1;
      break;
    case 4:
      prefix = 2;
      break;
    case 8:
      prefix = 3;
      break;
    default:
      return false;
  }
  if (value >= (uint64_t{1} << (8 * length - 2))) return false;
  return WriteBytesToUInt64(length, value | (prefix << (8 * length - 2)));
}

bool QuicDataWriter::WriteBytes(absl::Span<const uint8_t> bytes) {
  if (remaining() < bytes.size()) return false;
  if (!bytes.empty()) {
    std::memcpy(buffer_.data() + length_, bytes.data(), bytes.size());
  }
  length_ += bytes.size();
  return true;
}

bool QuicDataWriter::WriteVarIntLengthPrefixed(
    absl::Span<const uint8_t> bytes) {
  const size_t length = VarIntLength(bytes.size());
  if (length == 0 || remaining() < length + bytes.size()) return false;
  return WriteVarInt62(bytes.size()) && WriteBytes(bytes);
}

bool QuicDataWriter::WriteZeros(size_t n) {
  if (remaining() < n) return false;
  if (n > 0) std::memset(buffer_.data() + length_, 0, n);
  length_ += n;
  return true;
}

}  // namespace quicsim::endpoints
