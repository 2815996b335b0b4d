#include "scenarios/runner/event_record_proto.h"

#include <variant>

#include "endpoints/trace_text.h"
#include "scenarios/runner/decision_proto.h"
#include "sim/link_event.h"

namespace quicsim::scenarios {
namespace {

namespace ev = endpoints::events;

trace::TracedFrame::Type FrameType(endpoints::TracedFrame::Type type) {
  using T = endpoints::TracedFrame::Type;
  switch (type) {
    case T::kPadding:
      return trace::TracedFrame::PADDING;
    case T::kPing:
      return trace::TracedFrame::PING;
    case T::kAck:
      return trace::TracedFrame::ACK;
    case T::kCrypto:
      return trace::TracedFrame::CRYPTO;
    case T::kNewToken:
      return trace::TracedFrame::NEW_TOKEN;
    case T::kStream:
      return trace::TracedFrame::STREAM;
    case T::kNewConnectionId:
      return trace::TracedFrame::NEW_CONNECTION_ID;
    case T::kConnectionClose:
      return trace::TracedFrame::CONNECTION_CLOSE;
    case T::kHandshakeDone:
      return trace::TracedFrame::HANDSHAKE_DONE;
    case T::kIgnored:
      return trace::TracedFrame::IGNORED;
    case T::kMalformed:
      return trace::TracedFrame::MALFORMED;
  }
  return trace::TracedFrame::IGNORED;
}

void AddFrames(const endpoints::TracedFrames& frames,
               trace::PacketRecord* out) {
  for (const endpoints::TracedFrame& f : frames) {
    trace::TracedFrame* p = out->add_frames();
    p->set_type(FrameType(f.type));
    p->set_offset(f.offset);
    p->set_length(f.length);
    p->set_code(f.code);
  }
}

trace::PacketRecord* Packet(trace::PacketRecord::What what,
                            endpoints::PacketType type, trace::Event* out) {
  trace::PacketRecord* p = out->mutable_packet();
  p->set_what(what);
  p->set_packet_type(endpoints::PacketTypeName(type));
  return p;
}

trace::SideVerdict::Kind VerdictKind(endpoints::Verdict::Kind kind) {
  using K = endpoints::Verdict::Kind;
  switch (kind) {
    case K::kNone:
      return trace::SideVerdict::NONE;
    case K::kConfirmed:
      return trace::SideVerdict::CONFIRMED;
    case K::kClosedSent:
      return trace::SideVerdict::CLOSED_SENT;
    case K::kClosedReceived:
      return trace::SideVerdict::CLOSED_RECEIVED;
    case K::kTimedOut:
      return trace::SideVerdict::TIMED_OUT;
    case K::kAborted:
      return trace::SideVerdict::ABORTED;
  }
  return trace::SideVerdict::NONE;
}

void Verdict(const endpoints::Verdict& v, bool done, trace::Event* out) {
  trace::VerdictRecord* r = out->mutable_verdict();
  r->mutable_verdict()->set_kind(VerdictKind(v.kind));
  r->mutable_verdict()->set_error_code(v.code);
  r->mutable_verdict()->set_handshake_time_ns(v.elapsed.nanos());
  r->set_done(done);
  r->set_reason(v.reason);
}

struct ToProto {
  trace::Event* out;

  void operator()(const ev::PacketSent& e) const {
    trace::PacketRecord* p = Packet(trace::PacketRecord::SENT, e.type, out);
    p->set_has_packet_number(true);
    p->set_packet_number(e.pn);
    p->set_size(e.size);
    AddFrames(e.frames, p);
  }
  void operator()(const ev::VersionProbeSent& e) const {
    trace::PacketRecord* p = out->mutable_packet();
    p->set_what(trace::PacketRecord::SENT);
    p->set_packet_type("UnknownVersion");
    p->set_size(e.size);
  }
  void operator()(const ev::StatelessPacketSent& e) const {
    trace::PacketRecord* p = out->mutable_packet();
    p->set_what(trace::PacketRecord::SENT);
    p->set_packet_type(e.type);
    p->set_size(e.size);
  }
  void operator()(const ev::PacketReceived& e) const {
    trace::PacketRecord* p = Packet(trace::PacketRecord::RECEIVED, e.type, out);
    p->set_has_packet_number(true);
    p->set_packet_number(e.pn);
    p->set_size(e.size);
    AddFrames(e.frames, p);
  }
  void operator()(const ev::PacketDropped& e) const {
    trace::PacketRecord* p = Packet(trace::PacketRecord::DROPPED, e.type, out);
    p->set_size(e.size.value_or(0));
    p->set_reason(e.reason);
  }
  void operator()(const ev::DatagramDropped& e) const {
    trace::PacketRecord* p = out->mutable_packet();
    p->set_what(trace::PacketRecord::DROPPED);
    p->set_size(e.size.value_or(0));
    p->set_reason(e.reason);
  }
  void operator()(const ev::PacketLost& e) const {
    trace::PacketRecord* p = out->mutable_packet();
    p->set_what(trace::PacketRecord::LOST);
    if (e.type.has_value()) {
      p->set_packet_type(endpoints::PacketTypeName(*e.type));
    }
    p->set_has_packet_number(true);
    p->set_packet_number(e.pn);
    p->set_size(e.size);
    p->set_reason(e.reordering ? "reordering_threshold" : "time_threshold");
    p->set_space(endpoints::TraceSpaceName(e.space));
  }
  void operator()(const ev::KeysInstalled& e) const {
    trace::KeysRecord* k = out->mutable_keys();
    k->set_level(endpoints::TraceLevelName(e.level));
    k->set_direction(e.write ? "write" : "read");
    k->set_cipher_suite(e.suite);
  }
  void operator()(const ev::KeysDiscarded& e) const {
    trace::KeysRecord* k = out->mutable_keys();
    k->set_level(endpoints::TraceLevelName(e.level));
    k->set_discarded(true);
  }
  void operator()(const ev::TlsEvent& e) const {
    trace::TlsRecord* t = out->mutable_tls();
    t->set_kind(tls::EventKindName(e.kind));
    t->set_level(tls::LevelName(e.level));
    t->set_bytes(e.bytes);
  }
  void operator()(const ev::TlsMessageSent& e) const {
    trace::TlsRecord* t = out->mutable_tls();
    t->set_kind("message_sent");
    t->set_level(tls::LevelName(e.level));
    t->set_bytes(e.length);
    t->set_message_type(e.type);
  }
  void operator()(const ev::LossTimer& e) const {
    trace::TimerRecord* t = out->mutable_timer();
    t->set_timer("loss_detection");
    switch (e.change) {
      case ev::LossTimer::Change::kSet:
        t->set_change("set");
        t->set_delta_ns(e.delta_ns);
        break;
      case ev::LossTimer::Change::kExpired:
        t->set_change("expired");
        break;
      case ev::LossTimer::Change::kCancelled:
        t->set_change("cancelled");
        return;
    }
    t->set_type(e.pto ? "pto" : "ack");
    t->set_space(endpoints::TraceSpaceName(e.space));
  }
  void operator()(const ev::Pto& e) const {
    trace::TimerRecord* t = out->mutable_timer();
    t->set_timer("pto");
    t->set_change("expired");
    t->set_space(endpoints::TraceSpaceName(e.space));
    t->set_probe_count(e.count);
    t->set_pto_count(e.pto_count);
  }
  void operator()(const ev::IdleTimeout&) const {
    out->mutable_timer()->set_timer("idle");
    out->mutable_timer()->set_change("expired");
  }
  void operator()(const ev::ClosingPeriodEnded&) const {
    out->mutable_timer()->set_timer("closing");
    out->mutable_timer()->set_change("expired");
  }
  void operator()(const ev::VerdictSet& e) const {
    Verdict(e.verdict, false, out);
  }
  void operator()(const ev::Done& e) const { Verdict(e.verdict, true, out); }
  template <typename T>
  void operator()(const T&) const {}
};

}  // namespace

void ConnectionEventToProto(const endpoints::ConnectionEvent& event,
                            trace::Event* out) {
  std::visit(ToProto{out}, event.data());
}

void TraceEventToProto(const sim::TraceEvent& event, int pair_of_actor,
                       trace::Event* out) {
  out->set_time_ns(event.time.nanos());
  out->set_actor(event.actor);
  out->set_kind(event.kind);
  out->set_details(event.details);
  out->set_pair(pair_of_actor);
  if (const sim::LinkEvent* link = sim::LinkEventOf(event)) {
    if (link->pair >= 0) out->set_pair(link->pair);
    if (link->decision == nullptr || link->decision->physical) return;
    std::optional<trace::NetworkDecision> proto =
        DecisionToProto(*link->decision);
    if (!proto.has_value()) return;
    proto->set_link_id(link->link_id);
    *out->mutable_decision() = std::move(*proto);
    return;
  }
  if (const endpoints::ConnectionEvent* typed =
          endpoints::ConnectionEventOf(event)) {
    ConnectionEventToProto(*typed, out);
  }
}

}  // namespace quicsim::scenarios
