#include "sim/trace.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace quicsim::sim {
namespace {

void HashField(SHA256_CTX* sha, std::string_view field) {
  const uint32_t n = static_cast<uint32_t>(field.size());
  const uint8_t len[4] = {
      static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
      static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  SHA256_Update(sha, len, sizeof(len));
  SHA256_Update(sha, field.data(), field.size());
}

}  // namespace

std::string TraceEvent::ToString() const {
  return absl::StrCat(time.ToString(), " ", actor, " ", kind, " ", details);
}

TraceRecorder::TraceRecorder() : TraceRecorder(Options()) {}

TraceRecorder::TraceRecorder(Options options) : options_(options) {
  SHA256_Init(&sha_);
}

void TraceRecorder::Record(Time time, std::string_view actor,
                           std::string_view kind, std::string_view details) {
  if (!enabled_) return;
  ++count_;
  uint8_t t[8];
  const uint64_t ns = static_cast<uint64_t>(time.nanos());
  for (int i = 0; i < 8; ++i) t[i] = static_cast<uint8_t>(ns >> (56 - 8 * i));
  SHA256_Update(&sha_, t, sizeof(t));
  HashField(&sha_, actor);
  HashField(&sha_, kind);
  HashField(&sha_, details);
  if (options_.keep_events || listener_) {
    TraceEvent event{time, std::string(actor), std::string(kind),
                     std::string(details)};
    if (listener_) listener_(event);
    if (options_.keep_events) events_.push_back(std::move(event));
  }
}

std::string TraceRecorder::DigestHex() const {
  SHA256_CTX copy = sha_;
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &copy);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace quicsim::sim
