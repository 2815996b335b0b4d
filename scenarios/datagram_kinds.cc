#include "scenarios/datagram_kinds.h"

#include "absl/status/statusor.h"
#include "endpoints/packet_header.h"

namespace quicsim::scenarios {

using endpoints::PacketHeader;
using endpoints::PacketType;

DatagramKinds ClassifyDatagram(absl::Span<const uint8_t> payload) {
  DatagramKinds k;
  // Every packet of a datagram carries the same DCID (§12.2), so a 1-RTT
  // packet coalesced behind long headers has the first packet's DCID length.
  absl::StatusOr<PacketHeader> first =
      endpoints::ParsePacketHeader(payload, /*short_header_dcid_length=*/0);
  const size_t dcid_length = first.ok() ? first->dcid.size() : 0;
  for (const PacketHeader& h :
       endpoints::SplitDatagram(payload, dcid_length).packets) {
    PacketType type = h.type;
    if (type == PacketType::kUnsupportedVersion) {
      static constexpr PacketType kByTypeBits[] = {
          PacketType::kInitial, PacketType::kZeroRtt, PacketType::kHandshake,
          PacketType::kRetry};
      type = kByTypeBits[(h.first_byte >> 4) & 0x3];
    }
    switch (type) {
      case PacketType::kInitial:
        k.initial = true;
        break;
      case PacketType::kZeroRtt:
        k.zero_rtt = true;
        break;
      case PacketType::kHandshake:
        k.handshake = true;
        break;
      case PacketType::kRetry:
        k.retry = true;
        break;
      case PacketType::kVersionNegotiation:
        k.version_negotiation = true;
        break;
      case PacketType::kOneRtt:
        k.one_rtt = true;
        break;
      case PacketType::kUnsupportedVersion:
        break;
    }
  }
  return k;
}

}  // namespace quicsim::scenarios
