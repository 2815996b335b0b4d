// The event log every layer feeds: (virtual time, actor, kind, details).
//
// Callers check enabled() before formatting details, so a disabled sink
// costs one load and branch per would-be event:
//
//   if (TraceOn(trace_)) trace_->Record(now, "c2s", "drop", d.ToString());
#ifndef QUICSIM_SIM_TRACE_H_
#define QUICSIM_SIM_TRACE_H_

#include <openssl/sha.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/time.h"

namespace quicsim::sim {

// A typed record a layer attaches to the event it traces (a connection's
// packet with its frames, a link's decision with its pair and link ids).
// sim/ stores and copies it without knowing its type; readers downcast to
// the type their layer defines. The event's text is rendered from it, so the
// digest (which hashes the text) covers everything it holds.
class TypedRecord {
 public:
  virtual ~TypedRecord() = default;
  // A copy that owns everything it refers to (kept events outlive the call).
  virtual std::unique_ptr<TypedRecord> Clone() const = 0;
};

// Receives trace events. enabled() is non-virtual so checking it is cheap.
class TraceSink {
 public:
  virtual ~TraceSink() = default;

  // Whether Record() should be called at all.
  bool enabled() const { return enabled_; }
  void set_enabled(bool enabled) { enabled_ = enabled; }

  // Records one event. `actor` names who acted ("c2s", "pair/3/client"),
  // `kind` what happened ("drop", "send"), `details` key=value text rendered
  // from `typed` when there is one (nullptr: text only).
  virtual void Record(Time time, std::string_view actor, std::string_view kind,
                      std::string_view details, const TypedRecord* typed) = 0;
  void Record(Time time, std::string_view actor, std::string_view kind,
              std::string_view details) {
    Record(time, actor, kind, details, nullptr);
  }

 protected:
  bool enabled_ = true;
};

// True when `sink` is non-null and enabled.
inline bool TraceOn(const TraceSink* sink) {
  return sink != nullptr && sink->enabled();
}

// One recorded event.
struct TraceEvent {
  Time time;
  std::string actor;
  std::string kind;
  std::string details;
  // What the text was rendered from, when the producer attached it (and the
  // recorder kept events); shared so that copies of events stay cheap.
  std::shared_ptr<const TypedRecord> typed;

  // "0.001500000s c2s drop index=3 ...": one line, no trailing newline.
  std::string ToString() const;
};

// Keeps events in memory (optionally) and a running SHA-256 digest of every
// recorded event. Each event is hashed as BE64(time ns) followed by actor,
// kind and details, each as BE32(length) || bytes, so the digest is
// unambiguous.
class TraceRecorder : public TraceSink {
 public:
  struct Options {
    bool keep_events = true;  // store events for events()
  };
  TraceRecorder();
  explicit TraceRecorder(Options options);

  using TraceSink::Record;
  void Record(Time time, std::string_view actor, std::string_view kind,
              std::string_view details, const TypedRecord* typed) override;

  // Called with each event as it is recorded (e.g. to print a live log).
  void set_listener(absl::AnyInvocable<void(const TraceEvent&)> listener) {
    listener_ = std::move(listener);
  }

  // Events recorded so far (empty unless keep_events).
  const std::vector<TraceEvent>& events() const { return events_; }
  // Number of events recorded (kept or not).
  uint64_t count() const { return count_; }
  // Lower-case hex SHA-256 over everything recorded so far. Recording may
  // continue afterwards.
  std::string DigestHex() const;

 private:
  Options options_;
  SHA256_CTX sha_;
  // Encoded events not yet fed to sha_.
  std::string pending_;
  uint64_t count_ = 0;
  std::vector<TraceEvent> events_;
  absl::AnyInvocable<void(const TraceEvent&)> listener_;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_TRACE_H_
