#include "endpoints/packet_header.h"

#include "endpoints/error_codes.h"
#include "endpoints/quic_data_reader.h"

namespace quicsim::endpoints {
namespace {

constexpr uint8_t kHeaderFormBit = 0x80;
constexpr uint8_t kFixedBit = 0x40;

absl::Status Malformed(absl::string_view what) {
  return QuicErrorStatus(TransportError::kProtocolViolation, what);
}

bool ReadConnectionId(QuicDataReader* reader, ConnectionId* out) {
  absl::Span<const uint8_t> bytes;
  if (!reader->ReadUInt8LengthPrefixed(&bytes)) return false;
  if (bytes.size() > ConnectionId::kMaxLength) return false;
  *out = ConnectionId(bytes);
  return true;
}

}  // namespace

const char* PacketTypeName(PacketType type) {
  switch (type) {
    case PacketType::kInitial:
      return "Initial";
    case PacketType::kZeroRtt:
      return "0-RTT";
    case PacketType::kHandshake:
      return "Handshake";
    case PacketType::kRetry:
      return "Retry";
    case PacketType::kOneRtt:
      return "1-RTT";
    case PacketType::kVersionNegotiation:
      return "VersionNegotiation";
    case PacketType::kUnsupportedVersion:
      return "UnsupportedVersion";
  }
  return "?";
}

EncryptionLevel LevelOfPacketType(PacketType type) {
  switch (type) {
    case PacketType::kInitial:
      return EncryptionLevel::kInitial;
    case PacketType::kZeroRtt:
      return EncryptionLevel::kZeroRtt;
    case PacketType::kHandshake:
      return EncryptionLevel::kHandshake;
    default:
      return EncryptionLevel::kOneRtt;
  }
}

PacketType PacketTypeOfLevel(EncryptionLevel level) {
  switch (level) {
    case EncryptionLevel::kInitial:
      return PacketType::kInitial;
    case EncryptionLevel::kZeroRtt:
      return PacketType::kZeroRtt;
    case EncryptionLevel::kHandshake:
      return PacketType::kHandshake;
    case EncryptionLevel::kOneRtt:
      return PacketType::kOneRtt;
  }
  return PacketType::kOneRtt;
}

absl::StatusOr<PacketHeader> ParsePacketHeader(
    absl::Span<const uint8_t> data, size_t short_header_dcid_length) {
  QuicDataReader reader(data);
  PacketHeader header;
  if (!reader.ReadUInt8(&header.first_byte)) return Malformed("empty packet");

  if ((header.first_byte & kHeaderFormBit) == 0) {
    // Short header (RFC 9000 §17.3.1).
    if ((header.first_byte & kFixedBit) == 0) {
      return Malformed("short header with fixed bit 0");
    }
    absl::Span<const uint8_t> dcid;
    if (short_header_dcid_length > ConnectionId::kMaxLength ||
        !reader.ReadSpan(short_header_dcid_length, &dcid)) {
      return Malformed("short header truncated in DCID");
    }
    header.type = PacketType::kOneRtt;
    header.dcid = ConnectionId(dcid);
    header.pn_offset = reader.offset();
    if (reader.remaining() == 0) return Malformed("short header without PN");
    header.packet = data;
    return header;
  }

  // Long header (RFC 9000 §17.2).
  if (!reader.ReadUInt32(&header.version)) {
    return Malformed("long header truncated in version");
  }
  if (!ReadConnectionId(&reader, &header.dcid) ||
      !ReadConnectionId(&reader, &header.scid)) {
    return Malformed("long header: bad connection ID");
  }
  if (header.version == kVersionNegotiationMarker) {
    header.type = PacketType::kVersionNegotiation;
    header.supported_versions = reader.ReadRemaining();
    if (header.supported_versions.empty() ||
        header.supported_versions.size() % 4 != 0) {
      return Malformed("version negotiation: bad version list");
    }
    header.packet = data;
    return header;
  }
  if (!IsSupportedVersion(header.version)) {
    header.type = PacketType::kUnsupportedVersion;
    header.packet = data;
    return header;
  }
  if ((header.first_byte & kFixedBit) == 0) {
    return Malformed("long header with fixed bit 0");
  }
  switch ((header.first_byte >> 4) & 0x03) {
    case 0:
      header.type = PacketType::kInitial;
      break;
    case 1:
      header.type = PacketType::kZeroRtt;
      break;
    case 2:
      header.type = PacketType::kHandshake;
      break;
    default:
      header.type = PacketType::kRetry;
      break;
  }
  if (header.type == PacketType::kRetry) {
    if (reader.remaining() < kRetryIntegrityTagLength) {
      return Malformed("retry shorter than its integrity tag");
    }
    const size_t token_length = reader.remaining() - kRetryIntegrityTagLength;
    reader.ReadSpan(token_length, &header.token);
    reader.ReadSpan(kRetryIntegrityTagLength, &header.retry_integrity_tag);
    header.packet = data;
    return header;
  }
  if (header.type == PacketType::kInitial &&
      !reader.ReadVarIntLengthPrefixed(&header.token)) {
    return Malformed("initial: bad token");
  }
  if (!reader.ReadVarInt62(&header.length)) {
    return Malformed("long header truncated in Length");
  }
  if (header.length > reader.remaining()) {
    return Malformed("Length exceeds datagram");
  }
  if (header.length == 0) return Malformed("Length too small for PN");
  header.pn_offset = reader.offset();
  header.packet = data.subspan(0, header.pn_offset + header.length);
  return header;
}

DatagramPackets SplitDatagram(absl::Span<const uint8_t> datagram,
                              size_t short_header_dcid_length) {
  DatagramPackets result;
  size_t offset = 0;
  while (offset < datagram.size()) {
    absl::StatusOr<PacketHeader> header =
        ParsePacketHeader(datagram.subspan(offset), short_header_dcid_length);
    if (!header.ok()) {
      result.trailing_error = header.status();
      break;
    }
    if (!result.packets.empty() &&
        header->dcid != result.packets.front().dcid) {
      result.trailing_error =
          Malformed("coalesced packet with a different DCID");
      break;
    }
    offset += header->packet.size();
    result.packets.push_back(*header);
  }
  return result;
}

absl::Status CheckReservedBits(bool long_header,
                               uint8_t unprotected_first_byte) {
  const uint8_t reserved = long_header ? 0x0c : 0x18;
  if ((unprotected_first_byte & reserved) != 0) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           "reserved header bits set");
  }
  return absl::OkStatus();
}

bool WritePacketHeader(const PacketHeader& header, size_t pn_length,
                       uint64_t packet_number, size_t payload_and_tag_length,
                       QuicDataWriter* writer, size_t* pn_offset) {
  if (pn_length < 1 || pn_length > 4) return false;
  const uint64_t truncated =
      packet_number & ((uint64_t{1} << (8 * pn_length)) - 1);
  if (header.type == PacketType::kOneRtt) {
    const uint8_t first = kFixedBit | (header.first_byte & 0x24) |
                          static_cast<uint8_t>(pn_length - 1);
    if (!writer->WriteUInt8(first) || !writer->WriteBytes(header.dcid.span())) {
      return false;
    }
    *pn_offset = writer->length();
    return writer->WriteBytesToUInt64(pn_length, truncated);
  }
  uint8_t type_bits;
  switch (header.type) {
    case PacketType::kInitial:
      type_bits = 0;
      break;
    case PacketType::kZeroRtt:
      type_bits = 1;
      break;
    case PacketType::kHandshake:
      type_bits = 2;
      break;
    default:
      return false;
  }
  const uint64_t length = pn_length + payload_and_tag_length;
  const size_t length_bytes = length < (uint64_t{1} << 14) ? 2 : 4;
  const uint8_t first = kHeaderFormBit | kFixedBit | (type_bits << 4) |
                        static_cast<uint8_t>(pn_length - 1);
  if (!writer->WriteUInt8(first) || !writer->WriteUInt32(header.version) ||
      !writer->WriteUInt8(static_cast<uint8_t>(header.dcid.size())) ||
      !writer->WriteBytes(header.dcid.span()) ||
      !writer->WriteUInt8(static_cast<uint8_t>(header.scid.size())) ||
      !writer->WriteBytes(header.scid.span())) {
    return false;
  }
  if (header.type == PacketType::kInitial &&
      !writer->WriteVarIntLengthPrefixed(header.token)) {
    return false;
  }
  if (!writer->WriteVarInt62WithLength(length, length_bytes)) return false;
  *pn_offset = writer->length();
  return writer->WriteBytesToUInt64(pn_length, truncated);
}

std::vector<uint8_t> BuildVersionNegotiationPacket(
    uint8_t unused_bits, const ConnectionId& dcid, const ConnectionId& scid,
    absl::Span<const uint32_t> versions) {
  std::vector<uint8_t> out(7 + dcid.size() + scid.size() + 4 * versions.size());
  QuicDataWriter writer(absl::MakeSpan(out));
  bool ok = writer.WriteUInt8(kHeaderFormBit | (unused_bits & 0x7f)) &&
            writer.WriteUInt32(kVersionNegotiationMarker) &&
            writer.WriteUInt8(static_cast<uint8_t>(dcid.size())) &&
            writer.WriteBytes(dcid.span()) &&
            writer.WriteUInt8(static_cast<uint8_t>(scid.size())) &&
            writer.WriteBytes(scid.span());
  for (uint32_t v : versions) ok = ok && writer.WriteUInt32(v);
  QUICSIM_CHECK(ok && writer.remaining() == 0);
  return out;
}

std::vector<uint32_t> VersionNegotiationVersions(const PacketHeader& header) {
  std::vector<uint32_t> versions;
  QuicDataReader reader(header.supported_versions);
  uint32_t v;
  while (reader.ReadUInt32(&v)) versions.push_back(v);
  return versions;
}

}  // namespace quicsim::endpoints
