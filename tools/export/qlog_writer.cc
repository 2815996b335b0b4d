#include "tools/export/qlog_writer.h"

#include <algorithm>
#include <optional>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "endpoints/connection_event.h"
#include "endpoints/error_codes.h"
#include "tools/export/file_io.h"
#include "tools/export/json.h"
#include "tools/export/protocol_names.h"

namespace quicsim::exporter {
namespace {

constexpr char kRs = 0x1e;

bool IsConnectionActor(const std::string& actor) {
  return absl::EndsWith(actor, "/client") || absl::EndsWith(actor, "/server");
}

// qlog packet_type for the endpoint's PacketTypeName.
std::string QlogPacketType(const std::string& type) {
  if (type == "Initial") return "initial";
  if (type == "Handshake") return "handshake";
  if (type == "0-RTT") return "0RTT";
  if (type == "1-RTT") return "1RTT";
  if (type == "Retry") return "retry";
  if (type == "VersionNegotiation") return "version_negotiation";
  return "unknown";
}

// qlog 0.3's packet_dropped trigger for an endpoint drop reason (the
// reason itself goes into "details").
std::string DropTrigger(const std::string& reason) {
  if (absl::StrContains(reason, "decrypt") ||
      absl::StrContains(reason, "integrity") ||
      absl::StartsWith(reason, "keys_")) {
    return "decryption_failure";  // no keys (yet, or any more), or bad tag
  }
  if (absl::StrContains(reason, "connection_id")) return "connection_unknown";
  if (absl::StrContains(reason, "version")) return "unsupported";
  if (reason == "duplicate" || absl::StartsWith(reason, "unexpected") ||
      reason == "draining" || reason == "closing") {
    return "rejected";
  }
  if (absl::StrContains(reason, "token") ||
      absl::StrContains(reason, "too_small") ||
      absl::StrContains(reason, " ")) {
    return "invalid";  // malformed input (trailing bytes carry a message)
  }
  if (absl::StrContains(reason, "fail")) return "internal_error";
  return "general";
}

// qlog 0.3's TransportError / CryptoError for a code: "protocol_violation",
// "crypto_error_0x178", else the number.
std::string QlogErrorCode(int64_t code) {
  if (code >= 0 && code <= 0x10) {
    return JsonQuote(TransportErrorName(static_cast<uint64_t>(code)));
  }
  if (code >= 0x100 && code <= 0x1ff) {
    return JsonQuote(absl::StrFormat("crypto_error_0x%x", code));
  }
  return absl::StrCat(code < 0 ? 0 : code);
}

// The text of a packet type in qlog.
std::string QlogPacketTypeOf(endpoints::PacketType type) {
  return QlogPacketType(endpoints::PacketTypeName(type));
}

// qlog key level for an encryption level.
std::string QlogKeyLevelOf(endpoints::EncryptionLevel level) {
  switch (level) {
    case endpoints::EncryptionLevel::kInitial:
      return "initial";
    case endpoints::EncryptionLevel::kZeroRtt:
      return "0rtt";
    case endpoints::EncryptionLevel::kHandshake:
      return "handshake";
    case endpoints::EncryptionLevel::kOneRtt:
      return "1rtt";
  }
  return "?";
}

// qlog's packet_number_space.
std::string QlogSpaceOf(endpoints::PacketNumberSpace space) {
  switch (space) {
    case endpoints::PacketNumberSpace::kInitial:
      return "initial";
    case endpoints::PacketNumberSpace::kHandshake:
      return "handshake";
    case endpoints::PacketNumberSpace::kApplication:
      return "application_data";
  }
  return "?";
}

// A lost packet's type: the one its record kept, else its space's.
std::string LostPacketType(const endpoints::events::PacketLost& e) {
  if (e.type.has_value()) return QlogPacketTypeOf(*e.type);
  switch (e.space) {
    case endpoints::PacketNumberSpace::kInitial:
      return "initial";
    case endpoints::PacketNumberSpace::kHandshake:
      return "handshake";
    case endpoints::PacketNumberSpace::kApplication:
      return "1RTT";
  }
  return "1RTT";
}

std::string Header(const std::string& packet_type,
                   std::optional<uint64_t> pn = std::nullopt) {
  std::string h = absl::StrCat("{\"packet_type\":", JsonQuote(packet_type));
  if (pn.has_value()) absl::StrAppend(&h, ",\"packet_number\":", *pn);
  return absl::StrCat(h, "}");
}

std::string Raw(uint64_t size) {
  return absl::StrCat(",\"raw\":{\"length\":", size, "}");
}

// qlog 0.3's frame object; nullopt for frames qlog does not list (frames
// the endpoint validated and ignored, a malformed tail).
std::optional<std::string> FrameJson(const endpoints::TracedFrame& f) {
  using Type = endpoints::TracedFrame::Type;
  switch (f.type) {
    case Type::kCrypto:
      return absl::StrCat("{\"frame_type\":\"crypto\",\"offset\":", f.offset,
                          ",\"length\":", f.length, "}");
    case Type::kConnectionClose:
      return absl::StrCat(
          "{\"frame_type\":\"connection_close\",\"error_space\":\"transport\","
          "\"error_code\":",
          QlogErrorCode(static_cast<int64_t>(f.code)),
          ",\"raw_error_code\":", f.code, "}");
    case Type::kPadding:
      return "{\"frame_type\":\"padding\"}";
    case Type::kPing:
      return "{\"frame_type\":\"ping\"}";
    case Type::kAck:
      return "{\"frame_type\":\"ack\"}";
    case Type::kNewToken:
      return "{\"frame_type\":\"new_token\"}";
    case Type::kStream:
      return "{\"frame_type\":\"stream\"}";
    case Type::kNewConnectionId:
      return "{\"frame_type\":\"new_connection_id\"}";
    case Type::kHandshakeDone:
      return "{\"frame_type\":\"handshake_done\"}";
    case Type::kIgnored:
    case Type::kMalformed:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string FramesJson(const endpoints::TracedFrames& frames) {
  std::vector<std::string> out;
  for (const endpoints::TracedFrame& f : frames) {
    if (std::optional<std::string> j = FrameJson(f)) out.push_back(*j);
  }
  return absl::StrCat(",\"frames\":[", absl::StrJoin(out, ","), "]");
}

std::string Event(const sim::TraceEvent& e, std::string_view name,
                  const std::string& data) {
  return absl::StrCat(std::string(1, kRs), "{\"time\":",
                      JsonMillis((e.time - sim::Time::Zero()).nanos()),
                      ",\"name\":", JsonQuote(name), ",\"data\":", data, "}\n");
}

// packet_dropped's data: header when the type is known, size, trigger and
// the endpoint's reason.
std::string DropData(std::optional<endpoints::PacketType> type,
                     std::optional<uint64_t> size, const std::string& reason) {
  std::string data = "{";
  if (type.has_value()) {
    absl::StrAppend(&data, "\"header\":", Header(QlogPacketTypeOf(*type)), ",");
  }
  if (size.has_value()) {
    absl::StrAppend(&data, "\"raw\":{\"length\":", *size, "},");
  }
  absl::StrAppend(&data, "\"trigger\":", JsonQuote(DropTrigger(reason)),
                  ",\"details\":{\"reason\":", JsonQuote(reason), "}}");
  return data;
}

// The qlog events of one side, from the typed records of its trace events.
class QlogBuilder {
 public:
  QlogBuilder(bool client, std::string* out) : client_(client), out_(out) {}

  void Add(const sim::TraceEvent& e) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    if (typed == nullptr) {
      Generic(e);
      return;
    }
    e_ = &e;
    std::visit(*this, typed->data());
  }

  void operator()(const endpoints::events::Start& s) {
    std::string data = "{\"owner\":\"local\"";
    if (s.scid.size() != 0) {
      absl::StrAppend(&data, ",\"initial_source_connection_id\":",
                      JsonQuote(s.scid.ToHex()));
    }
    if (client_ && s.dcid.size() != 0) {
      absl::StrAppend(&data, ",\"original_destination_connection_id\":",
                      JsonQuote(s.dcid.ToHex()));
    }
    absl::StrAppend(&data, "}");
    Emit("transport:parameters_set", data);
  }
  void operator()(const endpoints::events::ForeignStart& s) {
    (*this)(endpoints::events::Start{s.scid, s.dcid, 0});
  }
  void operator()(const endpoints::events::TransportParametersSet& t) {
    using Owner = endpoints::events::TransportParametersSet::Owner;
    const endpoints::TransportParameters& p = t.params;
    // Every value the endpoint traced, under qlog's parameter names.
    std::string data = absl::StrCat(
        "{\"owner\":", JsonQuote(t.owner == Owner::kLocal    ? "local"
                                 : t.owner == Owner::kRemote ? "remote"
                                                             : "remembered"));
    auto number = [&](const char* key, uint64_t v) {
      absl::StrAppend(&data, ",", JsonQuote(key), ":", v);
    };
    number("max_idle_timeout", p.max_idle_timeout_ms);
    number("max_udp_payload_size", p.max_udp_payload_size);
    number("ack_delay_exponent", p.ack_delay_exponent);
    number("max_ack_delay", p.max_ack_delay_ms);
    number("initial_max_data", p.initial_max_data);
    number("initial_max_stream_data_bidi_local",
           p.initial_max_stream_data_bidi_local);
    number("initial_max_stream_data_bidi_remote",
           p.initial_max_stream_data_bidi_remote);
    number("initial_max_stream_data_uni", p.initial_max_stream_data_uni);
    number("initial_max_streams_bidi", p.initial_max_streams_bidi);
    number("initial_max_streams_uni", p.initial_max_streams_uni);
    number("active_connection_id_limit", p.active_connection_id_limit);
    absl::StrAppend(&data, ",\"disable_active_migration\":",
                    p.disable_active_migration ? "true" : "false");
    absl::StrAppend(&data, ",\"initial_source_connection_id\":",
                    JsonQuote(p.initial_source_connection_id.has_value()
                                  ? p.initial_source_connection_id->ToHex()
                                  : std::string()));
    if (p.original_destination_connection_id.has_value()) {
      absl::StrAppend(&data, ",\"original_destination_connection_id\":",
                      JsonQuote(p.original_destination_connection_id->ToHex()));
    }
    if (p.retry_source_connection_id.has_value()) {
      absl::StrAppend(&data, ",\"retry_source_connection_id\":",
                      JsonQuote(p.retry_source_connection_id->ToHex()));
    }
    absl::StrAppend(&data, "}");
    Emit("transport:parameters_set", data);
  }
  void operator()(const endpoints::events::MetricsUpdated& m) {
    // RTTs in milliseconds (qlog 0.3), window and flight in bytes.
    auto ms = [](int64_t us) { return JsonMillis(us * 1000); };
    Emit("recovery:metrics_updated",
         absl::StrCat("{\"min_rtt\":", ms(m.min_rtt_us),
                      ",\"smoothed_rtt\":", ms(m.smoothed_rtt_us),
                      ",\"latest_rtt\":", ms(m.latest_rtt_us),
                      ",\"rtt_variance\":", ms(m.rtt_variance_us),
                      ",\"congestion_window\":", m.cwnd,
                      ",\"bytes_in_flight\":", m.bytes_in_flight, "}"));
  }
  void operator()(const endpoints::events::PacketSent& p) {
    Emit("transport:packet_sent",
         absl::StrCat("{\"header\":", Header(QlogPacketTypeOf(p.type), p.pn),
                      Raw(p.size), FramesJson(p.frames), "}"));
    for (const endpoints::TracedFrame& f : p.frames) {
      if (f.type != endpoints::TracedFrame::Type::kConnectionClose || closed_) {
        continue;
      }
      closed_ = true;
      Emit("connectivity:connection_closed",
           absl::StrCat("{\"owner\":\"local\",\"connection_code\":",
                        QlogErrorCode(static_cast<int64_t>(f.code)),
                        ",\"trigger\":\"error\"}"));
    }
  }
  void operator()(const endpoints::events::VersionProbeSent& p) {
    Emit("transport:packet_sent",
         absl::StrCat("{\"header\":", Header("unknown"), Raw(p.size),
                      ",\"frames\":[]}"));
  }
  void operator()(const endpoints::events::StatelessPacketSent& p) {
    Emit("transport:packet_sent",
         absl::StrCat("{\"header\":", Header(QlogPacketType(p.type)),
                      Raw(p.size), ",\"frames\":[]}"));
  }
  void operator()(const endpoints::events::PacketReceived& p) {
    Emit("transport:packet_received",
         absl::StrCat("{\"header\":", Header(QlogPacketTypeOf(p.type), p.pn),
                      Raw(p.size), FramesJson(p.frames), "}"));
  }
  void operator()(const endpoints::events::RetryReceived&) {
    Emit("transport:packet_received",
         "{\"header\":{\"packet_type\":\"retry\"}}");
  }
  void operator()(const endpoints::events::VersionNegotiationReceived&) {
    Emit("transport:packet_received",
         "{\"header\":{\"packet_type\":\"version_negotiation\"}}");
  }
  void operator()(const endpoints::events::PacketDropped& d) {
    Emit("transport:packet_dropped", DropData(d.type, d.size, d.reason));
  }
  void operator()(const endpoints::events::DatagramDropped& d) {
    Emit("transport:packet_dropped", DropData(std::nullopt, d.size, d.reason));
  }
  void operator()(const endpoints::events::DatagramTrailingDropped& d) {
    Emit("transport:packet_dropped",
         DropData(std::nullopt, std::nullopt, d.reason));
  }
  void operator()(const endpoints::events::KeysInstalled& k) {
    const char* owner = k.write == client_ ? "client" : "server";
    Emit("security:key_updated",
         absl::StrCat("{\"key_type\":",
                      JsonQuote(absl::StrCat(
                          owner, "_", QlogKeyLevelOf(k.level), "_secret")),
                      ",\"trigger\":\"tls\"}"));
  }
  void operator()(const endpoints::events::KeysDiscarded& k) {
    for (const char* owner :
         {client_ ? "client" : "server", client_ ? "server" : "client"}) {
      Emit("security:key_discarded",
           absl::StrCat("{\"key_type\":",
                        JsonQuote(absl::StrCat(
                            owner, "_", QlogKeyLevelOf(k.level), "_secret")),
                        ",\"trigger\":\"tls\"}"));
    }
  }
  void operator()(const endpoints::events::Pto& p) {
    Emit("recovery:metrics_updated",
         absl::StrCat("{\"pto_count\":", p.pto_count, "}"));
  }
  void operator()(const endpoints::events::ConnectionCloseReceived& c) {
    if (closed_) return;
    closed_ = true;
    Emit("connectivity:connection_closed",
         absl::StrCat("{\"owner\":\"remote\",\"connection_code\":",
                      QlogErrorCode(static_cast<int64_t>(c.code)),
                      ",\"trigger\":\"error\",\"reason\":", JsonQuote(c.reason),
                      "}"));
  }
  void operator()(const endpoints::events::IdleTimeout&) { IdleTimeout(); }
  void operator()(const endpoints::events::HandshakeComplete&) {
    Emit("connectivity:connection_state_updated",
         "{\"new\":\"handshake_complete\"}");
  }
  void operator()(const endpoints::events::ClosingPeriodEnded&) {
    Emit("connectivity:connection_state_updated", "{\"new\":\"closed\"}");
  }
  void operator()(const endpoints::events::PacketLost& p) {
    Emit("recovery:packet_lost",
         absl::StrCat("{\"header\":", Header(LostPacketType(p), p.pn),
                      Raw(p.size), ",\"trigger\":",
                      JsonQuote(p.reordering ? "reordering_threshold"
                                             : "time_threshold"),
                      "}"));
  }
  void operator()(const endpoints::events::LossTimer& t) {
    using Change = endpoints::events::LossTimer::Change;
    const char* type = t.change == Change::kSet       ? "set"
                       : t.change == Change::kExpired ? "expired"
                                                      : "cancelled";
    std::string data = absl::StrCat("{\"event_type\":", JsonQuote(type));
    if (t.change != Change::kCancelled) {
      absl::StrAppend(
          &data, ",\"timer_type\":", JsonQuote(t.pto ? "pto" : "ack"),
          ",\"packet_number_space\":", JsonQuote(QlogSpaceOf(t.space)));
    }
    if (t.change == Change::kSet) {
      absl::StrAppend(
          &data, ",\"delta\":", JsonMillis(std::max<int64_t>(t.delta_ns, 0)));
    }
    Emit("recovery:loss_timer_updated", absl::StrCat(data, "}"));
  }
  void operator()(const endpoints::events::AdapterNote& n) {
    // A third-party stack's events that have a qlog counterpart.
    const std::string_view kind = n.kind;
    if (kind == "idle_timeout") {
      IdleTimeout();
    } else if (kind == "handshake_confirmed") {
      Emit("connectivity:connection_state_updated",
           "{\"new\":\"handshake_confirmed\"}");
    } else if (kind == "retry_sent") {
      Emit("transport:packet_sent", "{\"header\":{\"packet_type\":\"retry\"}}");
    } else {
      Generic(*e_);
    }
  }
  // Everything else the trace records (TLS events and messages, ACK
  // summaries, verdicts) as qlog's generic informational event.
  template <typename T>
  void operator()(const T&) {
    Generic(*e_);
  }

 private:
  void Emit(std::string_view name, const std::string& data) {
    *out_ += Event(*e_, name, data);
  }
  void Generic(const sim::TraceEvent& e) {
    *out_ += Event(
        e, "generic:info",
        absl::StrCat("{\"message\":",
                     JsonQuote(absl::StrCat(e.kind, " ", e.details)), "}"));
  }
  void IdleTimeout() {
    if (closed_) return;
    closed_ = true;
    Emit("connectivity:connection_closed",
         "{\"owner\":\"local\",\"trigger\":\"idle_timeout\"}");
  }

  const bool client_;
  std::string* out_;
  const sim::TraceEvent* e_ = nullptr;
  bool closed_ = false;
};

}  // namespace

std::vector<std::string> ConnectionActors(
    const std::vector<sim::TraceEvent>& events) {
  std::vector<std::string> actors;
  for (const sim::TraceEvent& e : events) {
    if (IsConnectionActor(e.actor) &&
        std::find(actors.begin(), actors.end(), e.actor) == actors.end()) {
      actors.push_back(e.actor);
    }
  }
  return actors;
}

std::string BuildQlog(const std::vector<sim::TraceEvent>& events,
                      const std::string& actor) {
  const bool client = absl::EndsWith(actor, "/client");
  const char* self = client ? "client" : "server";
  std::string group_id;
  for (const sim::TraceEvent& e : events) {
    if (e.actor != actor) continue;
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    if (typed == nullptr) continue;
    if (const auto* s = typed->get<endpoints::events::Start>()) {
      group_id = (client ? s->dcid : s->scid).ToHex();
      break;
    }
    if (const auto* s = typed->get<endpoints::events::ForeignStart>()) {
      group_id = (client ? s->dcid : s->scid).ToHex();
      break;
    }
  }
  std::string out = absl::StrCat(
      std::string(1, kRs),
      "{\"qlog_version\":\"0.3\",\"qlog_format\":\"JSON-SEQ\",\"title\":",
      JsonQuote(absl::StrCat("quicsim ", actor)),
      ",\"trace\":{\"title\":", JsonQuote(actor),
      ",\"vantage_point\":{\"name\":\"quicsim\",\"type\":\"", self,
      "\"},\"common_fields\":{\"protocol_type\":[\"QUIC\"],"
      "\"time_format\":\"relative\",\"reference_time\":0,\"group_id\":",
      JsonQuote(group_id), ",\"ODCID\":", JsonQuote(group_id), "}}}\n");
  QlogBuilder builder(client, &out);
  for (const sim::TraceEvent& e : events) {
    if (e.actor == actor) builder.Add(e);
  }
  return out;
}

absl::Status WriteQlogs(const std::vector<sim::TraceEvent>& events,
                        const std::string& base,
                        std::vector<std::string>* paths) {
  for (const std::string& actor : ConnectionActors(events)) {
    const std::string path = absl::StrCat(
        base, ".", absl::StrReplaceAll(actor, {{"/", "_"}}), ".sqlog");
    absl::Status s = WriteFileAtomically(path, BuildQlog(events, actor));
    if (!s.ok()) return s;
    if (paths != nullptr) paths->push_back(path);
  }
  return absl::OkStatus();
}

}  // namespace quicsim::exporter
