#include "endpoints/trace_text.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "endpoints/error_codes.h"

namespace quicsim::endpoints {

const char* TraceLevelName(EncryptionLevel level) {
  switch (level) {
    case EncryptionLevel::kInitial:
      return "initial";
    case EncryptionLevel::kZeroRtt:
      return "0rtt";
    case EncryptionLevel::kHandshake:
      return "handshake";
    case EncryptionLevel::kOneRtt:
      return "1rtt";
  }
  return "?";
}

const char* TraceSpaceName(PacketNumberSpace space) {
  switch (space) {
    case PacketNumberSpace::kInitial:
      return "initial";
    case PacketNumberSpace::kHandshake:
      return "handshake";
    case PacketNumberSpace::kApplication:
      return "application";
  }
  return "?";
}

namespace {

const char* LevelName(EncryptionLevel level) { return TraceLevelName(level); }
const char* SpaceName(PacketNumberSpace space) { return TraceSpaceName(space); }

const char* OwnerName(events::TransportParametersSet::Owner owner) {
  switch (owner) {
    case events::TransportParametersSet::Owner::kLocal:
      return "local";
    case events::TransportParametersSet::Owner::kRemote:
      return "remote";
    case events::TransportParametersSet::Owner::kRemembered:
      return "remembered";
  }
  return "?";
}

// Kind names, one per alternative of ConnectionEventData.
struct KindName {
  const char* operator()(const events::Start&) const { return "start"; }
  const char* operator()(const events::ForeignStart&) const { return "start"; }
  const char* operator()(const events::TransportParametersSet&) const {
    return "transport_parameters";
  }
  const char* operator()(const events::DatagramDropped&) const {
    return "datagram_dropped";
  }
  const char* operator()(const events::DatagramTrailingDropped&) const {
    return "datagram_trailing_dropped";
  }
  const char* operator()(const events::PacketDropped&) const {
    return "packet_dropped";
  }
  const char* operator()(const events::PacketReceived&) const {
    return "packet_received";
  }
  const char* operator()(const events::PacketSent&) const {
    return "packet_sent";
  }
  const char* operator()(const events::VersionProbeSent&) const {
    return "packet_sent";
  }
  const char* operator()(const events::StatelessPacketSent&) const {
    return "packet_sent";
  }
  const char* operator()(const events::AddressValidated&) const {
    return "address_validated";
  }
  const char* operator()(const events::VersionNegotiationReceived&) const {
    return "version_negotiation";
  }
  const char* operator()(const events::RetryReceived&) const {
    return "retry_received";
  }
  const char* operator()(const events::StreamReceived&) const {
    return "stream_received";
  }
  const char* operator()(const events::MetricsUpdated&) const {
    return "metrics_updated";
  }
  const char* operator()(const events::AckReceived&) const {
    return "ack_received";
  }
  const char* operator()(const events::PacketLost&) const {
    return "packet_lost";
  }
  const char* operator()(const events::LossTimer&) const {
    return "loss_timer";
  }
  const char* operator()(const events::ConnectionCloseReceived&) const {
    return "connection_close_received";
  }
  const char* operator()(const events::TlsEvent&) const { return "tls_event"; }
  const char* operator()(const events::TlsMessageSent&) const {
    return "tls_message_sent";
  }
  const char* operator()(const events::KeysInstalled&) const {
    return "keys_installed";
  }
  const char* operator()(const events::HandshakeComplete&) const {
    return "handshake_complete";
  }
  const char* operator()(const events::KeysDiscarded&) const {
    return "keys_discarded";
  }
  const char* operator()(const events::AmplificationBlocked&) const {
    return "amplification_blocked";
  }
  const char* operator()(const events::DatagramLostByFault&) const {
    return "datagram_lost_by_fault";
  }
  const char* operator()(const events::Pto&) const { return "pto"; }
  const char* operator()(const events::IdleTimeout&) const {
    return "idle_timeout";
  }
  const char* operator()(const events::ClosingPeriodEnded&) const {
    return "closing_period_ended";
  }
  const char* operator()(const events::VerdictSet&) const { return "verdict"; }
  const char* operator()(const events::Done&) const { return "done"; }
  const char* operator()(const events::ResumeSession&) const {
    return "resume_session";
  }
  const char* operator()(const events::SendFirstFlight&) const {
    return "send_first_flight";
  }
  const char* operator()(const events::ConnectionDiscarded&) const {
    return "connection_discarded";
  }
  const char* operator()(const events::AdapterNote& e) const { return e.kind; }
};

// Details, one per alternative; each appends to `out`.
struct Details {
  std::string* out;

  void operator()(const events::Start& e) const {
    absl::StrAppendFormat(out, "scid=%s dcid=%s version=%08x", e.scid.ToHex(),
                          e.dcid.ToHex(), e.version);
  }
  void operator()(const events::ForeignStart& e) const {
    absl::StrAppend(out, e.stack, e.client ? " client dcid=" : " server odcid=",
                    e.dcid.ToHex(), " scid=", e.scid.ToHex());
  }
  void operator()(const events::TransportParametersSet& e) const {
    const TransportParameters& p = e.params;
    absl::StrAppendFormat(
        out,
        "owner=%s max_idle_timeout=%d max_udp_payload_size=%d "
        "ack_delay_exponent=%d max_ack_delay=%d initial_max_data=%d "
        "initial_max_stream_data_bidi_local=%d "
        "initial_max_stream_data_bidi_remote=%d "
        "initial_max_stream_data_uni=%d initial_max_streams_bidi=%d "
        "initial_max_streams_uni=%d active_connection_id_limit=%d "
        "disable_active_migration=%d initial_source_connection_id=%s",
        OwnerName(e.owner), p.max_idle_timeout_ms, p.max_udp_payload_size,
        p.ack_delay_exponent, p.max_ack_delay_ms, p.initial_max_data,
        p.initial_max_stream_data_bidi_local,
        p.initial_max_stream_data_bidi_remote, p.initial_max_stream_data_uni,
        p.initial_max_streams_bidi, p.initial_max_streams_uni,
        p.active_connection_id_limit, p.disable_active_migration ? 1 : 0,
        p.initial_source_connection_id.has_value()
            ? p.initial_source_connection_id->ToHex()
            : std::string());
    if (p.original_destination_connection_id.has_value()) {
      absl::StrAppend(out, " original_destination_connection_id=",
                      p.original_destination_connection_id->ToHex());
    }
    if (p.retry_source_connection_id.has_value()) {
      absl::StrAppend(out, " retry_source_connection_id=",
                      p.retry_source_connection_id->ToHex());
    }
  }
  void operator()(const events::DatagramDropped& e) const {
    if (e.size.has_value()) absl::StrAppend(out, "size=", *e.size, " ");
    absl::StrAppend(out, "reason=", e.reason);
  }
  void operator()(const events::DatagramTrailingDropped& e) const {
    absl::StrAppend(out, "reason=\"", e.reason, "\"");
  }
  void operator()(const events::PacketDropped& e) const {
    absl::StrAppend(out, "type=", PacketTypeName(e.type));
    if (e.size.has_value()) absl::StrAppend(out, " size=", *e.size);
    absl::StrAppend(out, " reason=", e.reason);
  }
  void operator()(const events::PacketReceived& e) const {
    absl::StrAppend(out, "type=", PacketTypeName(e.type), " pn=", e.pn,
                    " size=", e.size);
    AppendFrameSummary(e.frames, out);
  }
  void operator()(const events::PacketSent& e) const {
    absl::StrAppend(out, "type=", PacketTypeName(e.type), " pn=", e.pn,
                    " size=", e.size);
    AppendFrameSummary(e.frames, out);
  }
  void operator()(const events::VersionProbeSent& e) const {
    absl::StrAppendFormat(out, "type=UnknownVersion version=%08x size=%d",
                          e.version, e.size);
  }
  void operator()(const events::StatelessPacketSent& e) const {
    absl::StrAppend(out, "type=", e.type, " size=", e.size);
  }
  void operator()(const events::AddressValidated& e) const {
    absl::StrAppend(out, "by=", e.by);
  }
  void operator()(const events::VersionNegotiationReceived& e) const {
    out->append("versions=");
    for (size_t i = 0; i < e.versions.size(); ++i) {
      if (i > 0) out->push_back(',');
      absl::StrAppendFormat(out, "%08x", e.versions[i]);
    }
  }
  void operator()(const events::RetryReceived& e) const {
    absl::StrAppend(out, "scid=", e.scid.ToHex(),
                    " token_len=", e.token_length);
  }
  void operator()(const events::StreamReceived& e) const {
    absl::StrAppend(out, "level=", LevelName(e.level), " bytes=", e.bytes);
  }
  void operator()(const events::MetricsUpdated& e) const {
    absl::StrAppend(out, "min_rtt_us=", e.min_rtt_us,
                    " smoothed_rtt_us=", e.smoothed_rtt_us,
                    " latest_rtt_us=", e.latest_rtt_us,
                    " rtt_variance_us=", e.rtt_variance_us, " cwnd=", e.cwnd,
                    " bytes_in_flight=", e.bytes_in_flight);
  }
  void operator()(const events::AckReceived& e) const {
    absl::StrAppend(out, "space=", SpaceName(e.space), " largest=", e.largest,
                    " acked=", e.acked, " lost=", e.lost);
  }
  void operator()(const events::PacketLost& e) const {
    absl::StrAppend(out, "space=", SpaceName(e.space));
    if (e.type.has_value()) {
      absl::StrAppend(out, " type=", PacketTypeName(*e.type));
    }
    absl::StrAppend(out, " pn=", e.pn, " size=", e.size, " trigger=",
                    e.reordering ? "reordering_threshold" : "time_threshold");
  }
  void operator()(const events::LossTimer& e) const {
    switch (e.change) {
      case events::LossTimer::Change::kCancelled:
        out->append("event=cancelled");
        return;
      case events::LossTimer::Change::kSet:
        absl::StrAppend(out, "event=set type=", e.pto ? "pto" : "ack",
                        " space=", SpaceName(e.space),
                        " delta_ns=", e.delta_ns);
        return;
      case events::LossTimer::Change::kExpired:
        absl::StrAppend(out, "event=expired type=", e.pto ? "pto" : "ack",
                        " space=", SpaceName(e.space));
        return;
    }
  }
  void operator()(const events::ConnectionCloseReceived& e) const {
    absl::StrAppend(out, "code=", TransportErrorName(e.code), " reason=\"",
                    e.reason, "\"");
  }
  void operator()(const events::TlsEvent& e) const {
    absl::StrAppend(out, "kind=", tls::EventKindName(e.kind),
                    " level=", tls::LevelName(e.level), " bytes=", e.bytes);
  }
  void operator()(const events::TlsMessageSent& e) const {
    absl::StrAppend(out, "level=", tls::LevelName(e.level),
                    " type=", static_cast<int>(e.type), " length=", e.length);
  }
  void operator()(const events::KeysInstalled& e) const {
    absl::StrAppendFormat(out, "level=%s direction=%s suite=%04x",
                          LevelName(e.level), e.write ? "write" : "read",
                          e.suite);
  }
  void operator()(const events::HandshakeComplete&) const {}
  void operator()(const events::KeysDiscarded& e) const {
    absl::StrAppend(out, "level=", LevelName(e.level));
  }
  void operator()(const events::AmplificationBlocked& e) const {
    absl::StrAppend(out, "budget=", e.budget);
  }
  void operator()(const events::DatagramLostByFault& e) const {
    absl::StrAppend(out, "size=", e.size, " reason=lose_connection_close");
  }
  void operator()(const events::Pto& e) const {
    absl::StrAppend(out, "space=", SpaceName(e.space), " count=", e.count,
                    " pto_count=", e.pto_count,
                    e.anti_deadlock ? " anti_deadlock" : "");
  }
  void operator()(const events::IdleTimeout&) const {}
  void operator()(const events::ClosingPeriodEnded&) const {}
  void operator()(const events::VerdictSet& e) const {
    out->append(VerdictToString(e.verdict));
  }
  void operator()(const events::Done& e) const {
    out->append(VerdictToString(e.verdict));
  }
  void operator()(const events::ResumeSession& e) const {
    absl::StrAppend(out, "early_data=", e.declined ? "declined" : "allowed");
  }
  void operator()(const events::SendFirstFlight& e) const {
    if (e.ok) {
      out->append("result=ok");
    } else {
      absl::StrAppendFormat(out, "result=error code=0x%x", e.code);
    }
  }
  void operator()(const events::ConnectionDiscarded& e) const {
    absl::StrAppend(out, "reason=", e.reason);
  }
  void operator()(const events::AdapterNote& e) const {
    out->append(e.details);
  }
};

}  // namespace

const char* TraceKindName(const ConnectionEvent& event) {
  return std::visit(KindName{}, event.data());
}

void AppendTraceDetails(const ConnectionEvent& event, std::string* out) {
  std::visit(Details{out}, event.data());
}

void AppendFrameSummary(const TracedFrames& frames, std::string* out) {
  for (const TracedFrame& f : frames) {
    switch (f.type) {
      case TracedFrame::Type::kPadding:
        out->append(" padding");
        break;
      case TracedFrame::Type::kPing:
        out->append(" ping");
        break;
      case TracedFrame::Type::kAck:
        out->append(" ack");
        break;
      case TracedFrame::Type::kCrypto:
        absl::StrAppend(out, " crypto=", f.offset, "+", f.length);
        break;
      case TracedFrame::Type::kNewToken:
        out->append(" new_token");
        break;
      case TracedFrame::Type::kStream:
        out->append(" stream");
        break;
      case TracedFrame::Type::kNewConnectionId:
        out->append(" new_connection_id");
        break;
      case TracedFrame::Type::kConnectionClose:
        absl::StrAppend(out, " connection_close=", TransportErrorName(f.code));
        break;
      case TracedFrame::Type::kHandshakeDone:
        out->append(" handshake_done");
        break;
      case TracedFrame::Type::kIgnored:
        break;
      case TracedFrame::Type::kMalformed:
        out->append(" malformed");
        break;
    }
  }
}

TracedFrame TracedFrameOf(const Frame& frame) {
  struct Visitor {
    TracedFrame operator()(const PaddingFrame&) const {
      return {TracedFrame::Type::kPadding};
    }
    TracedFrame operator()(const PingFrame&) const {
      return {TracedFrame::Type::kPing};
    }
    TracedFrame operator()(const AckFrame&) const {
      return {TracedFrame::Type::kAck};
    }
    TracedFrame operator()(const CryptoFrame& f) const {
      return {TracedFrame::Type::kCrypto, f.offset, f.data.size()};
    }
    TracedFrame operator()(const NewTokenFrame&) const {
      return {TracedFrame::Type::kNewToken};
    }
    TracedFrame operator()(const StreamFrame&) const {
      return {TracedFrame::Type::kStream};
    }
    TracedFrame operator()(const NewConnectionIdFrame&) const {
      return {TracedFrame::Type::kNewConnectionId};
    }
    TracedFrame operator()(const ConnectionCloseFrame& f) const {
      TracedFrame t{TracedFrame::Type::kConnectionClose};
      t.code = f.error_code;
      return t;
    }
    TracedFrame operator()(const HandshakeDoneFrame&) const {
      return {TracedFrame::Type::kHandshakeDone};
    }
    TracedFrame operator()(const IgnoredFrame&) const {
      return {TracedFrame::Type::kIgnored};
    }
  };
  return std::visit(Visitor{}, frame);
}

TextTracer::TextTracer(sim::TraceSink* sink, std::string actor)
    : sink_(sink), actor_(std::move(actor)) {}

void TextTracer::Record(sim::Time now, const ConnectionEvent& event) {
  details_.clear();
  AppendTraceDetails(event, &details_);
  sink_->Record(now, actor_, TraceKindName(event), details_, &event);
}

}  // namespace quicsim::endpoints
