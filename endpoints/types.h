// Small value types shared across the QUIC endpoint layer.
#ifndef QUICSIM_ENDPOINTS_TYPES_H_
#define QUICSIM_ENDPOINTS_TYPES_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/types/span.h"
#include "base/check.h"

namespace quicsim::endpoints {

// The three packet number spaces of RFC 9000 §12.3.
enum class PacketNumberSpace : uint8_t {
  kInitial = 0,
  kHandshake = 1,
  kApplication = 2
};
inline constexpr int kNumPacketNumberSpaces = 3;

// Packet protection levels (RFC 9001 §2.1); numerically equal to BoringSSL's
// ssl_encryption_level_t and to tls::Level.
enum class EncryptionLevel : uint8_t {
  kInitial = 0,
  kZeroRtt = 1,
  kHandshake = 2,
  kOneRtt = 3
};

// Which packet number space packets of a level belong to.
inline constexpr PacketNumberSpace SpaceOf(EncryptionLevel level) {
  return level == EncryptionLevel::kInitial ? PacketNumberSpace::kInitial
         : level == EncryptionLevel::kHandshake
             ? PacketNumberSpace::kHandshake
             : PacketNumberSpace::kApplication;
}

// An inclusive range of packet numbers [smallest, largest].
struct PacketNumberRange {
  uint64_t smallest = 0;
  uint64_t largest = 0;
  bool operator==(const PacketNumberRange& o) const {
    return smallest == o.smallest && largest == o.largest;
  }
};

// A QUIC connection ID: 0 to 20 bytes stored inline (RFC 9000 §17.2).
class ConnectionId {
 public:
  static constexpr size_t kMaxLength = 20;
  ConnectionId() = default;
  explicit ConnectionId(absl::Span<const uint8_t> bytes) {
    QUICSIM_CHECK(bytes.size() <= kMaxLength);
    length_ = static_cast<uint8_t>(bytes.size());
    if (length_ > 0) std::memcpy(bytes_, bytes.data(), length_);
  }
  size_t size() const { return length_; }
  bool empty() const { return length_ == 0; }
  const uint8_t* data() const { return bytes_; }
  absl::Span<const uint8_t> span() const { return {bytes_, length_}; }
  bool operator==(const ConnectionId& o) const {
    return length_ == o.length_ && std::memcmp(bytes_, o.bytes_, length_) == 0;
  }
  bool operator!=(const ConnectionId& o) const { return !(*this == o); }
  template <typename H>
  friend H AbslHashValue(H h, const ConnectionId& id) {
    return H::combine(
        std::move(h),
        std::string(reinterpret_cast<const char*>(id.bytes_), id.length_));
  }
  // Lower-case hex, "" when empty.
  std::string ToHex() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < length_; ++i) {
      out.push_back(kHex[bytes_[i] >> 4]);
      out.push_back(kHex[bytes_[i] & 15]);
    }
    return out;
  }

 private:
  uint8_t bytes_[kMaxLength] = {};
  uint8_t length_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_TYPES_H_
