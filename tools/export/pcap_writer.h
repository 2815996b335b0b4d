// Classic pcap files of captured datagrams (LINKTYPE_RAW = 101: each record
// is a synthesized IPv4 header, a UDP header and the QUIC datagram), with
// nanosecond timestamps: the virtual time plus a fixed epoch.
//
// Two capture points per run, one file each, so that a reader can tell what
// was sent from what arrived:
//   <base>.sent.pcap       every datagram as it left its sender (entered its
//                          link), dropped ones included, in send order;
//   <base>.delivered.pcap  every arrival at the receiver, in arrival order:
//                          corrupted bytes as delivered, a duplicated
//                          datagram once per copy; nothing for drops.
// The IPv4 identification field carries the low 16 bits of the datagram id
// (Network::Send), the same in both files, to pair a send with its arrivals.
#ifndef QUICSIM_TOOLS_EXPORT_PCAP_WRITER_H_
#define QUICSIM_TOOLS_EXPORT_PCAP_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/capture.h"
#include "sim/time.h"

namespace quicsim::exporter {

// 2024-01-01T00:00:00Z: virtual time zero in the pcap files.
inline constexpr int64_t kPcapEpochSeconds = 1704067200;

// Which capture point a file shows.
enum class CapturePoint { kSent, kDelivered };

// The pcap file (header and records) for `datagrams` at `point`.
std::string BuildPcap(const std::vector<sim::CapturedDatagram>& datagrams,
                      CapturePoint point);

// The 20-byte IPv4 header (checksum filled in) and 8-byte UDP header
// (checksum computed over the pseudo-header) followed by `payload`.
std::string EncapsulateUdp(const sim::Address& src, const sim::Address& dst,
                           uint16_t ip_id, const std::vector<uint8_t>& payload);

// Writes `<base>.sent.pcap` and `<base>.delivered.pcap` atomically.
absl::Status WritePcaps(const sim::Capture& capture, const std::string& base);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_PCAP_WRITER_H_
