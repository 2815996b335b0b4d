// Fuzzes header-protection removal and AEAD open of Initial packets:
//  1. The input as a datagram: each Initial in it is opened with the client
//     and server Initial keys of its own DCID (the RFC 9001 sample keys for
//     the sample DCID); frames of packets that open are decoded.
//  2. The input as a payload: sealed into an Initial with the RFC sample
//     keys, then parsed and opened again; the round trip must be exact.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "endpoints/frames.h"
#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"
#include "tests/fuzz/fuzz_check.h"

namespace ep = quicsim::endpoints;

namespace {

const ep::ConnectionId& SampleDcid() {
  static const uint8_t kDcid[] = {0x83, 0x94, 0xc8, 0xf0,
                                  0x3e, 0x51, 0x57, 0x08};
  static const ep::ConnectionId dcid{absl::MakeConstSpan(kDcid)};
  return dcid;
}

const ep::PacketProtector& SampleKeys(ep::Perspective sender) {
  static const auto* client =
      ep::PacketProtector::CreateInitial(SampleDcid(), ep::Perspective::kClient)
          .release();
  static const auto* server =
      ep::PacketProtector::CreateInitial(SampleDcid(), ep::Perspective::kServer)
          .release();
  return sender == ep::Perspective::kClient ? *client : *server;
}

void OpenDatagram(const uint8_t* data, size_t size) {
  ep::DatagramPackets split =
      ep::SplitDatagram(absl::MakeConstSpan(data, size), 8);
  for (const ep::PacketHeader& h : split.packets) {
    if (h.type != ep::PacketType::kInitial) continue;
    for (ep::Perspective sender :
         {ep::Perspective::kClient, ep::Perspective::kServer}) {
      std::unique_ptr<ep::PacketProtector> own;
      const ep::PacketProtector* keys = &SampleKeys(sender);
      if (h.dcid != SampleDcid()) {
        own = ep::PacketProtector::CreateInitial(h.dcid, sender);
        keys = own.get();
      }
      std::vector<uint8_t> copy(h.packet.begin(), h.packet.end());
      absl::StatusOr<ep::OpenedPacket> opened =
          keys->OpenPacket(absl::MakeSpan(copy), h.pn_offset, std::nullopt);
      if (!opened.ok()) continue;
      FUZZ_CHECK(opened->payload.data() + opened->payload.size() <=
                 copy.data() + copy.size());
      (void)ep::CheckReservedBits(true, opened->first_byte);
      (void)ep::ParseFrames(opened->payload, ep::EncryptionLevel::kInitial);
    }
  }
}

void SealRoundTrip(const uint8_t* data, size_t size) {
  const size_t payload_length = std::min<size_t>(size, 1100);
  const size_t pn_length = 1 + (size % 4);
  const uint64_t pn = size * 2654435761u % 100000;
  ep::PacketHeader header;
  header.type = ep::PacketType::kInitial;
  header.version = ep::kQuicVersion1;
  header.dcid = SampleDcid();
  std::vector<uint8_t> buf(64 + payload_length + 4 + ep::kAeadTagLength);
  ep::QuicDataWriter w(absl::MakeSpan(buf));
  // Pad so the header-protection sample exists.
  const size_t padded = std::max<size_t>(payload_length, 4);
  size_t pn_offset;
  FUZZ_CHECK(ep::WritePacketHeader(
      header, pn_length, pn, padded + ep::kAeadTagLength, &w, &pn_offset));
  FUZZ_CHECK(w.WriteBytes(absl::MakeConstSpan(data, payload_length)));
  FUZZ_CHECK(w.WriteZeros(padded - payload_length));
  const auto& keys = SampleKeys(ep::Perspective::kClient);
  absl::StatusOr<size_t> sealed =
      keys.SealPacket(absl::MakeSpan(buf), pn_offset, pn_length, pn, padded);
  FUZZ_CHECK(sealed.ok());
  buf.resize(*sealed);
  absl::StatusOr<ep::PacketHeader> parsed = ep::ParsePacketHeader(buf, 8);
  FUZZ_CHECK(parsed.ok());
  FUZZ_CHECK(parsed->packet.size() == buf.size());
  absl::StatusOr<ep::OpenedPacket> opened =
      keys.OpenPacket(absl::MakeSpan(buf), parsed->pn_offset,
                      pn == 0 ? std::nullopt : std::optional<uint64_t>(pn - 1));
  FUZZ_CHECK(opened.ok());
  FUZZ_CHECK(opened->packet_number == pn);
  FUZZ_CHECK(opened->payload.size() == padded);
  FUZZ_CHECK(payload_length == 0 ||
             std::memcmp(opened->payload.data(), data, payload_length) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  OpenDatagram(data, size);
  SealRoundTrip(data, size);
  return 0;
}
