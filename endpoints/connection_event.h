// What a QUIC endpoint reports to its tracer, as typed records: one struct
// per kind of trace event (packet sent or received with its frames, packet
// dropped or lost, keys installed or discarded, TLS events and messages,
// timers, verdicts, ...). The digest's text line is rendered from these
// (endpoints/trace_text.h); the qlog and ladder exporters, the oracles and
// the trace file read the fields, never the text.
//
// Records hold values, not pointers into the connection, so a recorder can
// keep them (sim::TraceEvent::typed). Strings are static literals
// (`const char*` fields name a reason from a fixed set) except where noted.
#ifndef QUICSIM_ENDPOINTS_CONNECTION_EVENT_H_
#define QUICSIM_ENDPOINTS_CONNECTION_EVENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "absl/container/inlined_vector.h"
#include "endpoints/packet_header.h"
#include "endpoints/transport_parameters.h"
#include "endpoints/types.h"
#include "endpoints/verdict.h"
#include "sim/trace.h"
#include "tls/event.h"

namespace quicsim::endpoints {

// One frame of a traced packet, as the packet lists it.
struct TracedFrame {
  enum class Type : uint8_t {
    kPadding,
    kPing,
    kAck,
    kCrypto,  // offset, length
    kNewToken,
    kStream,
    kNewConnectionId,
    kConnectionClose,  // code
    kHandshakeDone,
    kIgnored,    // validated and ignored (MAX_DATA, ...): not in the text
    kMalformed,  // a received payload that stopped parsing here
  };
  Type type = Type::kPadding;
  uint64_t offset = 0;  // kCrypto
  uint64_t length = 0;  // kCrypto
  uint64_t code = 0;    // kConnectionClose
};

// A packet's frames: a handshake packet rarely lists more than four.
using TracedFrames = absl::InlinedVector<TracedFrame, 4>;

namespace events {

// The connection starts (again, after Version Negotiation).
struct Start {
  ConnectionId scid;
  ConnectionId dcid;
  uint32_t version = 0;
};
// A third-party stack's connection starts ("ngtcp2 client dcid=.. scid=..";
// a server names the client's original DCID).
struct ForeignStart {
  const char* stack = "";
  bool client = true;
  ConnectionId dcid;
  ConnectionId scid;
};
// One side's transport parameters: ours, the peer's, or the ones a resumed
// session remembered.
struct TransportParametersSet {
  enum class Owner : uint8_t { kLocal, kRemote, kRemembered };
  Owner owner = Owner::kLocal;
  TransportParameters params;
};
// A whole datagram not processed (draining, closing; the server endpoint's
// own reasons come with the size).
struct DatagramDropped {
  std::string reason;  // a third-party stack's may name its library error
  std::optional<uint64_t> size;
};
// Bytes after the last packet of a datagram that do not parse.
struct DatagramTrailingDropped {
  std::string reason;  // the parser's message
};
// A packet not processed. Version Negotiation and Retry drops have no size.
struct PacketDropped {
  PacketType type = PacketType::kInitial;
  std::optional<uint64_t> size;
  const char* reason = "";
};
// A packet opened and about to be processed, with the frames it carries (in
// wire order).
struct PacketReceived {
  PacketType type = PacketType::kInitial;
  uint64_t pn = 0;
  uint64_t size = 0;
  TracedFrames frames;
};
// A protected packet sent: what it carries (ACK, CRYPTO range,
// HANDSHAKE_DONE, STREAM, or CONNECTION_CLOSE with its code).
struct PacketSent {
  PacketType type = PacketType::kInitial;
  uint64_t pn = 0;
  uint64_t size = 0;
  TracedFrames frames;
};
// A client's probe of an unknown version (RFC 8999 invariants only).
struct VersionProbeSent {
  uint32_t version = 0;
  uint64_t size = 0;
};
// A packet the server endpoint sends without a connection ("Retry",
// "VersionNegotiation").
struct StatelessPacketSent {
  const char* type = "";
  uint64_t size = 0;
};
// The peer's address is validated ("handshake_packet", "retry_token").
struct AddressValidated {
  const char* by = "";
};
// A Version Negotiation packet and the versions it lists.
struct VersionNegotiationReceived {
  absl::InlinedVector<uint32_t, 4> versions;
};
// A Retry accepted.
struct RetryReceived {
  ConnectionId scid;
  uint64_t token_length = 0;
};
// The server received the request (stream 0) up to `bytes`.
struct StreamReceived {
  EncryptionLevel level = EncryptionLevel::kInitial;
  uint64_t bytes = 0;
};
// A new RTT sample: the estimator and the congestion controller.
struct MetricsUpdated {
  int64_t min_rtt_us = 0;
  int64_t smoothed_rtt_us = 0;
  int64_t latest_rtt_us = 0;
  int64_t rtt_variance_us = 0;
  uint64_t cwnd = 0;
  uint64_t bytes_in_flight = 0;
};
// An ACK that acknowledged or declared lost something.
struct AckReceived {
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  uint64_t largest = 0;
  uint64_t acked = 0;
  uint64_t lost = 0;
};
// A packet declared lost (RFC 9002 §6.1), by the packet threshold
// (`reordering`) or by time.
struct PacketLost {
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  std::optional<PacketType> type;  // unknown once its record is gone
  uint64_t pn = 0;
  uint64_t size = 0;
  bool reordering = false;
};
// The loss detection timer: set (with its delay), expired or cancelled.
struct LossTimer {
  enum class Change : uint8_t { kSet, kExpired, kCancelled };
  Change change = Change::kSet;
  bool pto = false;  // else the loss time ("ack" timer)
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  int64_t delta_ns = 0;  // kSet
};
// The peer's CONNECTION_CLOSE.
struct ConnectionCloseReceived {
  uint64_t code = 0;
  std::string reason;
};
// An event the TLS engine returned.
struct TlsEvent {
  tls::EventKind kind = tls::EventKind::kNone;
  tls::Level level = tls::Level::kInitial;
  uint64_t bytes = 0;
};
// A TLS handshake message this side wrote (type and body length).
struct TlsMessageSent {
  tls::Level level = tls::Level::kInitial;
  uint8_t type = 0;
  uint64_t length = 0;
};
// Packet protection keys installed for one direction of a level.
struct KeysInstalled {
  EncryptionLevel level = EncryptionLevel::kInitial;
  bool write = false;
  uint16_t suite = 0;
};
// The TLS handshake completed.
struct HandshakeComplete {};
// A level's keys discarded (both directions).
struct KeysDiscarded {
  EncryptionLevel level = EncryptionLevel::kInitial;
};
// The anti-amplification limit kept a padded Initial datagram back.
struct AmplificationBlocked {
  uint64_t budget = 0;
};
// A datagram carrying CONNECTION_CLOSE discarded by the lose_connection_close
// fault.
struct DatagramLostByFault {
  uint64_t size = 0;
};
// A probe timeout fired.
struct Pto {
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  int count = 0;
  int pto_count = 0;
  bool anti_deadlock = false;
};
// The idle timer fired.
struct IdleTimeout {};
// The closing or draining period ended.
struct ClosingPeriodEnded {};
// The side's verdict was set (or overridden).
struct VerdictSet {
  Verdict verdict;
};
// The side has nothing more to do; its final verdict.
struct Done {
  Verdict verdict;
};
// ResumeSession answered: 0-RTT allowed or declined.
struct ResumeSession {
  bool declined = false;
};
// SendFirstFlight() returned (ok, or the QUIC code of its error).
struct SendFirstFlight {
  bool ok = true;
  uint64_t code = 0;
};
// The server endpoint dropped a connection before it kept any state.
struct ConnectionDiscarded {
  const char* reason = "";
};
// A third-party stack's own event (the ngtcp2 adapter's read_error,
// close, ...): its kind and text as the adapter words them.
struct AdapterNote {
  const char* kind = "";
  std::string details;
};

}  // namespace events

// Any of the records above.
using ConnectionEventData = std::variant<
    events::Start, events::ForeignStart, events::TransportParametersSet,
    events::DatagramDropped, events::DatagramTrailingDropped,
    events::PacketDropped, events::PacketReceived, events::PacketSent,
    events::VersionProbeSent, events::StatelessPacketSent,
    events::AddressValidated, events::VersionNegotiationReceived,
    events::RetryReceived, events::StreamReceived, events::MetricsUpdated,
    events::AckReceived, events::PacketLost, events::LossTimer,
    events::ConnectionCloseReceived, events::TlsEvent, events::TlsMessageSent,
    events::KeysInstalled, events::HandshakeComplete, events::KeysDiscarded,
    events::AmplificationBlocked, events::DatagramLostByFault, events::Pto,
    events::IdleTimeout, events::ClosingPeriodEnded, events::VerdictSet,
    events::Done, events::ResumeSession, events::SendFirstFlight,
    events::ConnectionDiscarded, events::AdapterNote>;

// One connection event, attachable to the sim trace event rendered from it.
class ConnectionEvent final : public sim::TypedRecord {
 public:
  template <typename T, typename = std::enable_if_t<
                            !std::is_same_v<std::decay_t<T>, ConnectionEvent>>>
  ConnectionEvent(T&& event)  // NOLINT: implicit from any record
      : data_(std::forward<T>(event)) {}

  const ConnectionEventData& data() const { return data_; }
  // The record if it is a T, else nullptr.
  template <typename T>
  const T* get() const {
    return std::get_if<T>(&data_);
  }

  std::unique_ptr<sim::TypedRecord> Clone() const override {
    return std::make_unique<ConnectionEvent>(*this);
  }

 private:
  ConnectionEventData data_;
};

// The connection event attached to a recorded trace event, or nullptr.
inline const ConnectionEvent* ConnectionEventOf(const sim::TraceEvent& e) {
  return dynamic_cast<const ConnectionEvent*>(e.typed.get());
}

// Receives a connection's typed events (the QUIC counterpart of quiche's
// debug visitor). Callers check enabled() before building an event; a
// connection holds its tracer by its final type, so both calls are direct.
class ConnectionTracer {
 public:
  virtual ~ConnectionTracer() = default;
  // Whether Record() should be called at all.
  virtual bool enabled() const = 0;
  // Records `event`, which happened at `now`.
  virtual void Record(sim::Time now, const ConnectionEvent& event) = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_CONNECTION_EVENT_H_
