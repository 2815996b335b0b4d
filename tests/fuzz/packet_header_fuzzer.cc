// Fuzzes the packet header parser and the coalesced-packet split: every
// packet found must lie inside the datagram, in order, without overlap.
#include <cstddef>
#include <cstdint>

#include "endpoints/packet_header.h"
#include "tests/fuzz/fuzz_check.h"

using quicsim::endpoints::DatagramPackets;
using quicsim::endpoints::PacketType;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::Span<const uint8_t> datagram(data, size);
  for (size_t dcid_length : {0, 8, 20}) {
    DatagramPackets split =
        quicsim::endpoints::SplitDatagram(datagram, dcid_length);
    const uint8_t* cursor = data;
    for (const auto& h : split.packets) {
      FUZZ_CHECK(h.packet.data() == cursor);
      FUZZ_CHECK(!h.packet.empty());
      FUZZ_CHECK(h.packet.data() + h.packet.size() <= data + size);
      cursor += h.packet.size();
      if (quicsim::endpoints::HasPacketNumber(h.type)) {
        FUZZ_CHECK(h.pn_offset < h.packet.size());
      }
      if (h.type == PacketType::kVersionNegotiation) {
        FUZZ_CHECK(quicsim::endpoints::VersionNegotiationVersions(h).size() *
                       4 ==
                   h.supported_versions.size());
      }
      if (h.type == PacketType::kRetry) {
        FUZZ_CHECK(h.retry_integrity_tag.size() == 16);
      }
    }
    FUZZ_CHECK(split.trailing_error.ok() == (cursor == data + size));
  }
  return 0;
}
