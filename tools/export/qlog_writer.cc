#include "tools/export/qlog_writer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/export/file_io.h"
#include "tools/export/json.h"
#include "tools/export/protocol_names.h"
#include "tools/export/trace_details.h"

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

// qlog key level for the endpoint's LevelName.
std::string QlogKeyLevel(const std::string& level) {
  if (level == "0rtt") return "0rtt";
  if (level == "1rtt" || level == "application") return "1rtt";
  return level;  // initial, handshake
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

// The QUIC error code in trace text ("CRYPTO_ERROR(0x178)", "0xa"), or -1.
int64_t CodeOf(const std::string& text) {
  const size_t hex = text.find("0x");
  if (hex == std::string::npos) return -1;
  size_t end = hex + 2;
  while (end < text.size() &&
         absl::ascii_isxdigit(static_cast<unsigned char>(text[end]))) {
    ++end;
  }
  uint64_t code = 0;
  if (end == hex + 2 || end - hex > 17 ||
      !absl::SimpleHexAtoi(
          absl::string_view(text.data() + hex + 2, end - hex - 2), &code)) {
    return -1;
  }
  return static_cast<int64_t>(code);
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

// qlog's packet_number_space for the endpoint's SpaceName.
std::string QlogSpace(const std::string& space) {
  return space == "application" ? "application_data" : space;
}

// The packet type a space's lost packet had, unless the trace says.
std::string LostPacketType(const Details& d) {
  if (d.Has("type")) return QlogPacketType(d.Get("type"));
  const std::string space = d.Get("space");
  if (space == "initial" || space == "handshake") return space;
  return "1RTT";
}

std::string Header(const Details& d) {
  std::string h = absl::StrCat("{\"packet_type\":",
                               JsonQuote(QlogPacketType(d.Get("type", "?"))));
  if (d.GetInt("pn") >= 0)
    absl::StrAppend(&h, ",\"packet_number\":", d.GetInt("pn"));
  return absl::StrCat(h, "}");
}

std::string Raw(const Details& d) {
  return d.GetInt("size") >= 0
             ? absl::StrCat(",\"raw\":{\"length\":", d.GetInt("size"), "}")
             : "";
}

std::string FrameJson(const SentFrame& f) {
  if (f.type == "crypto") {
    const size_t plus = f.args.find('+');
    if (plus != std::string::npos) {
      return absl::StrCat(
          "{\"frame_type\":\"crypto\",\"offset\":", f.args.substr(0, plus),
          ",\"length\":", f.args.substr(plus + 1), "}");
    }
  }
  if (f.type == "connection_close") {
    const int64_t code = CodeOf(f.args);
    return absl::StrCat(
        "{\"frame_type\":\"connection_close\",\"error_space\":\"transport\","
        "\"error_code\":",
        QlogErrorCode(code), ",\"raw_error_code\":", code < 0 ? 0 : code, "}");
  }
  return absl::StrCat("{\"frame_type\":", JsonQuote(f.type), "}");
}

std::string Event(const sim::TraceEvent& e, std::string_view name,
                  const std::string& data) {
  return absl::StrCat(std::string(1, kRs), "{\"time\":",
                      JsonMillis((e.time - sim::Time::Zero()).nanos()),
                      ",\"name\":", JsonQuote(name), ",\"data\":", data, "}\n");
}

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
  const char* peer = client ? "server" : "client";
  std::string group_id;
  for (const sim::TraceEvent& e : events) {
    if (e.actor == actor && e.kind == "start") {
      Details d(e.details);
      group_id = client ? d.Get("dcid") : d.Get("scid");
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
  bool closed = false;
  for (const sim::TraceEvent& e : events) {
    if (e.actor != actor) continue;
    const Details d(e.details);
    if (e.kind == "start") {
      std::string data = "{\"owner\":\"local\"";
      if (!d.Get("scid").empty()) {
        absl::StrAppend(&data, ",\"initial_source_connection_id\":",
                        JsonQuote(d.Get("scid")));
      }
      if (client && !d.Get("dcid").empty()) {
        absl::StrAppend(&data, ",\"original_destination_connection_id\":",
                        JsonQuote(d.Get("dcid")));
      }
      absl::StrAppend(&data, "}");
      out += Event(e, "transport:parameters_set", data);
    } else if (e.kind == "transport_parameters") {
      // Every value the endpoint traced, under qlog's parameter names.
      std::string data = absl::StrCat("{\"owner\":", JsonQuote(d.Get("owner")));
      for (const auto& [key, value] : d.fields()) {
        if (key == "owner") continue;
        if (absl::EndsWith(key, "connection_id")) {
          absl::StrAppend(&data, ",", JsonQuote(key), ":", JsonQuote(value));
        } else if (key == "disable_active_migration") {
          absl::StrAppend(&data, ",", JsonQuote(key), ":",
                          value == "1" ? "true" : "false");
        } else {
          absl::StrAppend(&data, ",", JsonQuote(key), ":", d.GetInt(key, 0));
        }
      }
      absl::StrAppend(&data, "}");
      out += Event(e, "transport:parameters_set", data);
    } else if (e.kind == "metrics_updated") {
      // RTTs in milliseconds (qlog 0.3), window and flight in bytes.
      auto ms = [&](const char* key) {
        return JsonMillis(d.GetInt(key, 0) * 1000);
      };
      out += Event(e, "recovery:metrics_updated",
                   absl::StrCat("{\"min_rtt\":", ms("min_rtt_us"),
                                ",\"smoothed_rtt\":", ms("smoothed_rtt_us"),
                                ",\"latest_rtt\":", ms("latest_rtt_us"),
                                ",\"rtt_variance\":", ms("rtt_variance_us"),
                                ",\"congestion_window\":", d.GetInt("cwnd", 0),
                                ",\"bytes_in_flight\":",
                                d.GetInt("bytes_in_flight", 0), "}"));
    } else if (e.kind == "packet_sent") {
      std::vector<std::string> frames;
      for (const SentFrame& f : FramesOf(d)) frames.push_back(FrameJson(f));
      out +=
          Event(e, "transport:packet_sent",
                absl::StrCat("{\"header\":", Header(d), Raw(d), ",\"frames\":[",
                             absl::StrJoin(frames, ","), "]}"));
      if (d.Has("connection_close") && !closed) {
        closed = true;
        out +=
            Event(e, "connectivity:connection_closed",
                  absl::StrCat("{\"owner\":\"local\",\"connection_code\":",
                               QlogErrorCode(CodeOf(d.Get("connection_close"))),
                               ",\"trigger\":\"error\"}"));
      }
    } else if (e.kind == "packet_received") {
      std::vector<std::string> frames;
      for (const SentFrame& f : FramesOf(d)) frames.push_back(FrameJson(f));
      out +=
          Event(e, "transport:packet_received",
                absl::StrCat("{\"header\":", Header(d), Raw(d), ",\"frames\":[",
                             absl::StrJoin(frames, ","), "]}"));
    } else if (e.kind == "retry_received") {
      out += Event(e, "transport:packet_received",
                   "{\"header\":{\"packet_type\":\"retry\"}}");
    } else if (e.kind == "packet_dropped" || e.kind == "datagram_dropped" ||
               e.kind == "datagram_trailing_dropped") {
      std::string data = "{";
      if (d.Has("type")) absl::StrAppend(&data, "\"header\":", Header(d), ",");
      if (d.GetInt("size") >= 0) {
        absl::StrAppend(&data, "\"raw\":{\"length\":", d.GetInt("size"), "},");
      }
      absl::StrAppend(
          &data, "\"trigger\":", JsonQuote(DropTrigger(d.Get("reason"))),
          ",\"details\":{\"reason\":", JsonQuote(d.Get("reason")), "}}");
      out += Event(e, "transport:packet_dropped", data);
    } else if (e.kind == "keys_installed") {
      const bool write = d.Get("direction") == "write";
      const char* owner = write == client ? "client" : "server";
      out +=
          Event(e, "security:key_updated",
                absl::StrCat(
                    "{\"key_type\":",
                    JsonQuote(absl::StrCat(
                        owner, "_", QlogKeyLevel(d.Get("level")), "_secret")),
                    ",\"trigger\":\"tls\"}"));
    } else if (e.kind == "keys_discarded") {
      for (const char* owner : {self, peer}) {
        out +=
            Event(e, "security:key_discarded",
                  absl::StrCat(
                      "{\"key_type\":",
                      JsonQuote(absl::StrCat(
                          owner, "_", QlogKeyLevel(d.Get("level")), "_secret")),
                      ",\"trigger\":\"tls\"}"));
      }
    } else if (e.kind == "pto") {
      out +=
          Event(e, "recovery:metrics_updated",
                absl::StrCat("{\"pto_count\":", d.GetInt("pto_count", 0), "}"));
    } else if (e.kind == "connection_close_received") {
      if (!closed) {
        closed = true;
        out += Event(e, "connectivity:connection_closed",
                     absl::StrCat("{\"owner\":\"remote\",\"connection_code\":",
                                  QlogErrorCode(CodeOf(d.Get("code"))),
                                  ",\"trigger\":\"error\",\"reason\":",
                                  JsonQuote(d.Get("reason")), "}"));
      }
    } else if (e.kind == "idle_timeout") {
      if (!closed) {
        closed = true;
        out += Event(e, "connectivity:connection_closed",
                     "{\"owner\":\"local\",\"trigger\":\"idle_timeout\"}");
      }
    } else if (e.kind == "handshake_complete" ||
               e.kind == "handshake_confirmed") {
      out += Event(e, "connectivity:connection_state_updated",
                   absl::StrCat("{\"new\":", JsonQuote(e.kind), "}"));
    } else if (e.kind == "closing_period_ended") {
      out += Event(e, "connectivity:connection_state_updated",
                   "{\"new\":\"closed\"}");
    } else if (e.kind == "packet_lost") {
      std::string h =
          absl::StrCat("{\"packet_type\":", JsonQuote(LostPacketType(d)),
                       ",\"packet_number\":", d.GetInt("pn", 0), "}");
      out += Event(
          e, "recovery:packet_lost",
          absl::StrCat("{\"header\":", h, Raw(d), ",\"trigger\":",
                       JsonQuote(d.Get("trigger", "time_threshold")), "}"));
    } else if (e.kind == "loss_timer") {
      const std::string type = d.Get("event");
      std::string data = absl::StrCat("{\"event_type\":", JsonQuote(type));
      if (type != "cancelled") {
        absl::StrAppend(
            &data, ",\"timer_type\":", JsonQuote(d.Get("type")),
            ",\"packet_number_space\":", JsonQuote(QlogSpace(d.Get("space"))));
      }
      if (type == "set") {
        absl::StrAppend(
            &data, ",\"delta\":",
            JsonMillis(std::max<int64_t>(d.GetInt("delta_ns", 0), 0)));
      }
      out += Event(e, "recovery:loss_timer_updated", absl::StrCat(data, "}"));
    } else if (e.kind == "retry_sent") {
      out += Event(e, "transport:packet_sent",
                   "{\"header\":{\"packet_type\":\"retry\"}}");
    } else if (e.kind == "version_negotiation") {
      out += Event(e, "transport:packet_received",
                   "{\"header\":{\"packet_type\":\"version_negotiation\"}}");
    } else {
      // Everything else the trace records (TLS events and messages, ACK
      // summaries, verdicts) as qlog's generic informational event.
      out += Event(
          e, "generic:info",
          absl::StrCat("{\"message\":",
                       JsonQuote(absl::StrCat(e.kind, " ", e.details)), "}"));
    }
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
