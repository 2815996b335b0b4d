#include "sim/wire_digest.h"

#include "absl/strings/escaping.h"

namespace quicsim::sim {
namespace {

constexpr size_t kHashBatch = 64 * 1024;

void AppendBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out->push_back(static_cast<char>(value >> (8 * i)));
  }
}

}  // namespace

WireDigest::WireDigest() {
  SHA256_Init(&sha_);
  pending_.reserve(kHashBatch + 2048);
}

void WireDigest::Add(Time time, const Datagram& datagram) {
  ++datagrams_;
  AppendBigEndian(&pending_, static_cast<uint64_t>(time.nanos()), 8);
  AppendBigEndian(&pending_, datagram.src.ipv4, 4);
  AppendBigEndian(&pending_, datagram.src.port, 2);
  AppendBigEndian(&pending_, datagram.dst.ipv4, 4);
  AppendBigEndian(&pending_, datagram.dst.port, 2);
  AppendBigEndian(&pending_, datagram.payload.size(), 4);
  pending_.append(reinterpret_cast<const char*>(datagram.payload.data()),
                  datagram.payload.size());
  if (pending_.size() >= kHashBatch) {
    SHA256_Update(&sha_, pending_.data(), pending_.size());
    pending_.clear();
  }
}

std::string WireDigest::DigestHex() const {
  SHA256_CTX copy = sha_;
  SHA256_Update(&copy, pending_.data(), pending_.size());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &copy);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace quicsim::sim
