#include "sim/trace.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace quicsim::sim {
namespace {

// Appends BE32(length) || bytes.
void AppendField(std::string* out, std::string_view field) {
  const uint32_t n = static_cast<uint32_t>(field.size());
  const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)};
  out->append(len, sizeof(len));
  out->append(field.data(), field.size());
}

// Bytes buffered before they are fed to SHA-256 in one call.
constexpr size_t kHashBatch = 16 * 1024;

}  // namespace

std::string TraceEvent::ToString() const {
  return absl::StrCat(time.ToString(), " ", actor, " ", kind, " ", details);
}

TraceRecorder::TraceRecorder() : TraceRecorder(Options()) {}

TraceRecorder::TraceRecorder(Options options) : options_(options) {
  SHA256_Init(&sha_);
  pending_.reserve(kHashBatch + 1024);
}

void TraceRecorder::Record(Time time, std::string_view actor,
                           std::string_view kind, std::string_view details,
                           const TypedRecord* typed) {
  if (!enabled_) return;
  ++count_;
  // The digest covers the same bytes as hashing each event on its own; they
  // are batched because one SHA256_Update per field cost more than the
  // hashing itself.
  char t[8];
  const uint64_t ns = static_cast<uint64_t>(time.nanos());
  for (int i = 0; i < 8; ++i) t[i] = static_cast<char>(ns >> (56 - 8 * i));
  pending_.append(t, sizeof(t));
  AppendField(&pending_, actor);
  AppendField(&pending_, kind);
  AppendField(&pending_, details);
  if (pending_.size() >= kHashBatch) {
    SHA256_Update(&sha_, pending_.data(), pending_.size());
    pending_.clear();
  }
  if (options_.keep_events || listener_) {
    TraceEvent event{time, std::string(actor), std::string(kind),
                     std::string(details)};
    if (typed != nullptr) event.typed = typed->Clone();
    if (listener_) listener_(event);
    if (options_.keep_events) events_.push_back(std::move(event));
  }
}

std::string TraceRecorder::DigestHex() const {
  SHA256_CTX copy = sha_;
  SHA256_Update(&copy, pending_.data(), pending_.size());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &copy);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace quicsim::sim
