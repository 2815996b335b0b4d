#include "endpoints/packet_assembler.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "endpoints/quic_data_writer.h"

namespace quicsim::endpoints {

size_t PacketHeaderLength(EncryptionLevel level, size_t dcid_length,
                          size_t scid_length, size_t token_length) {
  if (level == EncryptionLevel::kOneRtt) {
    return 1 + dcid_length + kPacketNumberLength;
  }
  // First byte, version, both connection IDs with their lengths, a 2-byte
  // Length field and the packet number; Initial packets add the token.
  size_t length =
      1 + 4 + 1 + dcid_length + 1 + scid_length + 2 + kPacketNumberLength;
  if (level == EncryptionLevel::kInitial) {
    length += VarIntLength(token_length) + token_length;
  }
  return length;
}

absl::StatusOr<size_t> PacketAssembler::Append(
    const PacketHeader& header, uint64_t pn, absl::Span<const uint8_t> payload,
    const PacketProtector& protector, size_t budget) {
  absl::Span<uint8_t> room = datagram_.subspan(length_);
  QuicDataWriter writer(room);
  size_t pn_offset = 0;
  if (!WritePacketHeader(header, kPacketNumberLength, pn,
                         payload.size() + kAeadTagLength, &writer,
                         &pn_offset) ||
      !writer.WriteBytes(payload)) {
    return absl::InternalError(
        absl::StrCat("no room for a ", PacketTypeName(header.type),
                     " packet of ", payload.size(), " payload bytes"));
  }
  absl::StatusOr<size_t> sealed = protector.SealPacket(
      room, pn_offset, kPacketNumberLength, pn, payload.size());
  if (!sealed.ok()) return sealed.status();
  if (length_ + *sealed > budget) return 0;
  length_ += *sealed;
  return *sealed;
}

}  // namespace quicsim::endpoints
