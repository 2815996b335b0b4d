#include "endpoints/transport_parameters.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "endpoints/error_codes.h"
#include "endpoints/quic_data_reader.h"
#include "endpoints/quic_data_writer.h"

namespace quicsim::endpoints {
namespace {

absl::Status ParamError(absl::string_view what) {
  return QuicErrorStatus(TransportError::kTransportParameterError, what);
}

constexpr size_t kPreferredAddressMinLength = 4 + 2 + 16 + 2 + 1 + 16;
constexpr uint64_t kMaxStreamsLimit = uint64_t{1} << 60;

}  // namespace

bool PreferredAddress::operator==(const PreferredAddress& o) const {
  return ipv4_address == o.ipv4_address && ipv4_port == o.ipv4_port &&
         ipv6_address == o.ipv6_address && ipv6_port == o.ipv6_port &&
         connection_id == o.connection_id &&
         stateless_reset_token == o.stateless_reset_token;
}

bool TransportParameters::operator==(const TransportParameters& o) const {
  return original_destination_connection_id ==
             o.original_destination_connection_id &&
         max_idle_timeout_ms == o.max_idle_timeout_ms &&
         stateless_reset_token == o.stateless_reset_token &&
         max_udp_payload_size == o.max_udp_payload_size &&
         initial_max_data == o.initial_max_data &&
         initial_max_stream_data_bidi_local ==
             o.initial_max_stream_data_bidi_local &&
         initial_max_stream_data_bidi_remote ==
             o.initial_max_stream_data_bidi_remote &&
         initial_max_stream_data_uni == o.initial_max_stream_data_uni &&
         initial_max_streams_bidi == o.initial_max_streams_bidi &&
         initial_max_streams_uni == o.initial_max_streams_uni &&
         ack_delay_exponent == o.ack_delay_exponent &&
         max_ack_delay_ms == o.max_ack_delay_ms &&
         disable_active_migration == o.disable_active_migration &&
         preferred_address == o.preferred_address &&
         active_connection_id_limit == o.active_connection_id_limit &&
         initial_source_connection_id == o.initial_source_connection_id &&
         retry_source_connection_id == o.retry_source_connection_id;
}

absl::Status ValidateTransportParameters(const TransportParameters& p,
                                         Perspective sender) {
  if (sender == Perspective::kClient) {
    if (p.original_destination_connection_id.has_value()) {
      return ParamError("client sent original_destination_connection_id");
    }
    if (p.stateless_reset_token.has_value()) {
      return ParamError("client sent stateless_reset_token");
    }
    if (p.preferred_address.has_value()) {
      return ParamError("client sent preferred_address");
    }
    if (p.retry_source_connection_id.has_value()) {
      return ParamError("client sent retry_source_connection_id");
    }
  }
  for (uint64_t v :
       {p.max_idle_timeout_ms, p.max_udp_payload_size, p.initial_max_data,
        p.initial_max_stream_data_bidi_local,
        p.initial_max_stream_data_bidi_remote, p.initial_max_stream_data_uni,
        p.active_connection_id_limit}) {
    if (v > kMaxVarInt62) return ParamError("value exceeds 2^62-1");
  }
  if (p.max_udp_payload_size < 1200) {
    return ParamError("max_udp_payload_size below 1200");
  }
  if (p.ack_delay_exponent > 20) {
    return ParamError("ack_delay_exponent above 20");
  }
  if (p.max_ack_delay_ms >= (uint64_t{1} << 14)) {
    return ParamError("max_ack_delay of 2^14 or more");
  }
  if (p.active_connection_id_limit < 2) {
    return ParamError("active_connection_id_limit below 2");
  }
  if (p.initial_max_streams_bidi > kMaxStreamsLimit ||
      p.initial_max_streams_uni > kMaxStreamsLimit) {
    return ParamError("initial_max_streams above 2^60");
  }
  if (p.preferred_address.has_value() &&
      p.preferred_address->connection_id.empty()) {
    return ParamError("preferred_address with empty connection ID");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>> SerializeTransportParameters(
    const TransportParameters& p, Perspective sender) {
  if (absl::Status s = ValidateTransportParameters(p, sender); !s.ok()) {
    return s;
  }
  // Upper bound: 17 parameters of at most 2 x 8 (id, length) + 8 bytes, plus
  // connection IDs and the preferred address.
  std::vector<uint8_t> out(17 * 24 + 4 * ConnectionId::kMaxLength + 64);
  QuicDataWriter w(absl::MakeSpan(out));
  bool ok = true;
  auto put_int = [&](uint64_t id, uint64_t value, uint64_t default_value) {
    if (value == default_value) return;
    ok = ok && w.WriteVarInt62(id) && w.WriteVarInt62(VarIntLength(value)) &&
         w.WriteVarInt62(value);
  };
  auto put_bytes = [&](uint64_t id, absl::Span<const uint8_t> bytes) {
    ok = ok && w.WriteVarInt62(id) && w.WriteVarIntLengthPrefixed(bytes);
  };
  if (p.original_destination_connection_id) {
    put_bytes(kOriginalDestinationConnectionId,
              p.original_destination_connection_id->span());
  }
  put_int(kMaxIdleTimeout, p.max_idle_timeout_ms, 0);
  if (p.stateless_reset_token) {
    put_bytes(kStatelessResetToken, *p.stateless_reset_token);
  }
  put_int(kMaxUdpPayloadSize, p.max_udp_payload_size, 65527);
  put_int(kInitialMaxData, p.initial_max_data, 0);
  put_int(kInitialMaxStreamDataBidiLocal, p.initial_max_stream_data_bidi_local,
          0);
  put_int(kInitialMaxStreamDataBidiRemote,
          p.initial_max_stream_data_bidi_remote, 0);
  put_int(kInitialMaxStreamDataUni, p.initial_max_stream_data_uni, 0);
  put_int(kInitialMaxStreamsBidi, p.initial_max_streams_bidi, 0);
  put_int(kInitialMaxStreamsUni, p.initial_max_streams_uni, 0);
  put_int(kAckDelayExponent, p.ack_delay_exponent, 3);
  put_int(kMaxAckDelay, p.max_ack_delay_ms, 25);
  if (p.disable_active_migration) {
    ok = ok && w.WriteVarInt62(kDisableActiveMigration) && w.WriteVarInt62(0);
  }
  if (p.preferred_address) {
    const PreferredAddress& a = *p.preferred_address;
    ok = ok && w.WriteVarInt62(kPreferredAddress) &&
         w.WriteVarInt62(kPreferredAddressMinLength + a.connection_id.size()) &&
         w.WriteBytes(a.ipv4_address) && w.WriteUInt16(a.ipv4_port) &&
         w.WriteBytes(a.ipv6_address) && w.WriteUInt16(a.ipv6_port) &&
         w.WriteUInt8(static_cast<uint8_t>(a.connection_id.size())) &&
         w.WriteBytes(a.connection_id.span()) &&
         w.WriteBytes(a.stateless_reset_token);
  }
  put_int(kActiveConnectionIdLimit, p.active_connection_id_limit, 2);
  if (p.initial_source_connection_id) {
    put_bytes(kInitialSourceConnectionId,
              p.initial_source_connection_id->span());
  }
  if (p.retry_source_connection_id) {
    put_bytes(kRetrySourceConnectionId, p.retry_source_connection_id->span());
  }
  QUICSIM_CHECK(ok);
  out.resize(w.length());
  return out;
}

absl::StatusOr<TransportParameters> ParseTransportParameters(
    absl::Span<const uint8_t> data, Perspective sender) {
  TransportParameters p;
  QuicDataReader reader(data);
  uint32_t known_seen = 0;  // bit i: known parameter i seen
  absl::flat_hash_set<uint64_t> unknown_seen;
  while (!reader.empty()) {
    uint64_t id;
    absl::Span<const uint8_t> value;
    if (!reader.ReadVarInt62(&id) || !reader.ReadVarIntLengthPrefixed(&value)) {
      return ParamError("truncated parameter");
    }
    if (id > kRetrySourceConnectionId) {
      if (!unknown_seen.insert(id).second) {
        return ParamError(absl::StrFormat("duplicate parameter 0x%x", id));
      }
      continue;
    }
    if (known_seen & (uint32_t{1} << id)) {
      return ParamError(absl::StrFormat("duplicate parameter 0x%x", id));
    }
    known_seen |= uint32_t{1} << id;
    QuicDataReader v(value);
    auto read_int = [&](uint64_t* out) {
      return v.ReadVarInt62(out) && v.empty();
    };
    auto read_cid = [&](std::optional<ConnectionId>* out) {
      if (value.size() > ConnectionId::kMaxLength) return false;
      *out = ConnectionId(value);
      return true;
    };
    bool ok = true;
    switch (id) {
      case kOriginalDestinationConnectionId:
        ok = read_cid(&p.original_destination_connection_id);
        break;
      case kMaxIdleTimeout:
        ok = read_int(&p.max_idle_timeout_ms);
        break;
      case kStatelessResetToken:
        ok = value.size() == 16;
        if (ok) {
          p.stateless_reset_token.emplace();
          v.ReadBytes(p.stateless_reset_token->data(), 16);
        }
        break;
      case kMaxUdpPayloadSize:
        ok = read_int(&p.max_udp_payload_size);
        break;
      case kInitialMaxData:
        ok = read_int(&p.initial_max_data);
        break;
      case kInitialMaxStreamDataBidiLocal:
        ok = read_int(&p.initial_max_stream_data_bidi_local);
        break;
      case kInitialMaxStreamDataBidiRemote:
        ok = read_int(&p.initial_max_stream_data_bidi_remote);
        break;
      case kInitialMaxStreamDataUni:
        ok = read_int(&p.initial_max_stream_data_uni);
        break;
      case kInitialMaxStreamsBidi:
        ok = read_int(&p.initial_max_streams_bidi);
        break;
      case kInitialMaxStreamsUni:
        ok = read_int(&p.initial_max_streams_uni);
        break;
      case kAckDelayExponent:
        ok = read_int(&p.ack_delay_exponent);
        break;
      case kMaxAckDelay:
        ok = read_int(&p.max_ack_delay_ms);
        break;
      case kDisableActiveMigration:
        ok = value.empty();
        p.disable_active_migration = true;
        break;
      case kPreferredAddress: {
        PreferredAddress a;
        absl::Span<const uint8_t> cid;
        ok = v.ReadBytes(a.ipv4_address.data(), 4) &&
             v.ReadUInt16(&a.ipv4_port) &&
             v.ReadBytes(a.ipv6_address.data(), 16) &&
             v.ReadUInt16(&a.ipv6_port) && v.ReadUInt8LengthPrefixed(&cid) &&
             cid.size() <= ConnectionId::kMaxLength &&
             v.ReadBytes(a.stateless_reset_token.data(), 16) && v.empty();
        if (ok) {
          a.connection_id = ConnectionId(cid);
          p.preferred_address = a;
        }
        break;
      }
      case kActiveConnectionIdLimit:
        ok = read_int(&p.active_connection_id_limit);
        break;
      case kInitialSourceConnectionId:
        ok = read_cid(&p.initial_source_connection_id);
        break;
      case kRetrySourceConnectionId:
        ok = read_cid(&p.retry_source_connection_id);
        break;
    }
    if (!ok) {
      return ParamError(absl::StrFormat("malformed parameter 0x%x", id));
    }
  }
  if (absl::Status s = ValidateTransportParameters(p, sender); !s.ok()) {
    return s;
  }
  return p;
}

absl::Status AuthenticateConnectionIds(const TransportParameters& peer_params,
                                       Perspective peer,
                                       const ConnectionIdsSeen& seen) {
  if (!peer_params.initial_source_connection_id.has_value()) {
    return ParamError("initial_source_connection_id missing");
  }
  if (*peer_params.initial_source_connection_id != seen.peer_initial_scid) {
    return ParamError("initial_source_connection_id mismatch");
  }
  if (peer != Perspective::kServer) return absl::OkStatus();
  if (!peer_params.original_destination_connection_id.has_value()) {
    return ParamError("original_destination_connection_id missing");
  }
  if (*peer_params.original_destination_connection_id != seen.original_dcid) {
    return ParamError("original_destination_connection_id mismatch");
  }
  if (seen.retry_scid.has_value()) {
    if (!peer_params.retry_source_connection_id.has_value()) {
      return ParamError("retry_source_connection_id missing after Retry");
    }
    if (*peer_params.retry_source_connection_id != *seen.retry_scid) {
      return ParamError("retry_source_connection_id mismatch");
    }
  } else if (peer_params.retry_source_connection_id.has_value()) {
    return ParamError("retry_source_connection_id without Retry");
  }
  return absl::OkStatus();
}

}  // namespace quicsim::endpoints
