// The typed record a link (or the network) attaches to its trace events:
// which datagram, on which link (the network's number for it) of which
// pair, and for an impairment or physical decision the decision itself. The
// trace assembler takes decisions from here instead of matching events to
// links by actor name.
#ifndef QUICSIM_SIM_LINK_EVENT_H_
#define QUICSIM_SIM_LINK_EVENT_H_

#include <cstdint>
#include <memory>

#include "sim/impairment.h"
#include "sim/trace.h"

namespace quicsim::sim {

struct LinkEvent final : TypedRecord {
  enum class Kind : uint8_t {
    kSend,         // a datagram entered the link
    kDeliver,      // a copy arrived
    kDecision,     // an impairment, script or the link itself decided
    kNetworkDrop,  // the network dropped it (no route, no receiver)
  };
  Kind kind = Kind::kSend;
  // The network's number for the link (the order links were added); -1 for
  // the network itself.
  int32_t link_id = -1;
  // The pair whose datagrams the link carries; -1 for a shared link.
  int32_t pair = -1;
  // Per-link ordinal of the datagram (kSend, kDeliver, kDecision).
  uint64_t index = 0;
  // Network-wide datagram id (kSend, kDeliver, kNetworkDrop).
  uint64_t datagram_id = 0;
  // kDecision: the decision (owned by the link while recording, by the
  // record once kept).
  const Decision* decision = nullptr;

  std::unique_ptr<TypedRecord> Clone() const override {
    auto copy = std::make_unique<LinkEvent>(*this);
    if (decision != nullptr) {
      copy->owned_ = std::make_shared<const Decision>(*decision);
      copy->decision = copy->owned_.get();
    }
    return copy;
  }

 private:
  std::shared_ptr<const Decision> owned_;
};

// The link record attached to a recorded trace event, or nullptr.
inline const LinkEvent* LinkEventOf(const TraceEvent& e) {
  return dynamic_cast<const LinkEvent*>(e.typed.get());
}

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_LINK_EVENT_H_
