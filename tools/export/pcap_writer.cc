#include "tools/export/pcap_writer.h"

#include <algorithm>
#include <utility>

#include "tools/export/file_io.h"

namespace quicsim::exporter {
namespace {

void Le16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v));
  out->push_back(static_cast<char>(v >> 8));
}
void Le32(std::string* out, uint32_t v) {
  Le16(out, static_cast<uint16_t>(v));
  Le16(out, static_cast<uint16_t>(v >> 16));
}
void Be16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}
void Be32(std::string* out, uint32_t v) {
  Be16(out, static_cast<uint16_t>(v >> 16));
  Be16(out, static_cast<uint16_t>(v));
}

// One's-complement sum of big-endian 16-bit words (odd length padded).
uint32_t Sum16(const uint8_t* data, size_t len, uint32_t sum) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (len % 2 == 1) sum += data[len - 1] << 8;
  return sum;
}
uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void AddRecord(std::string* out, sim::Time time, const std::string& packet) {
  const int64_t ns = (time - sim::Time::Zero()).nanos();
  Le32(out, static_cast<uint32_t>(kPcapEpochSeconds + ns / 1000000000));
  Le32(out, static_cast<uint32_t>(ns % 1000000000));
  Le32(out, static_cast<uint32_t>(packet.size()));
  Le32(out, static_cast<uint32_t>(packet.size()));
  out->append(packet);
}

}  // namespace

std::string EncapsulateUdp(const sim::Address& src, const sim::Address& dst,
                           uint16_t ip_id,
                           const std::vector<uint8_t>& payload) {
  // Datagrams larger than IPv4 allows are cut (the simulator's MTU keeps
  // real ones far below).
  const size_t len = std::min<size_t>(payload.size(), 65535 - 28);
  std::string p;
  p.reserve(28 + len);
  p.push_back(0x45);  // IPv4, 20-byte header
  p.push_back(0);     // DSCP/ECN
  Be16(&p, static_cast<uint16_t>(28 + len));
  Be16(&p, ip_id);
  Be16(&p, 0x4000);  // don't fragment
  p.push_back(64);   // TTL
  p.push_back(17);   // UDP
  Be16(&p, 0);       // checksum, below
  Be32(&p, src.ipv4);
  Be32(&p, dst.ipv4);
  const uint16_t ip_sum =
      Fold(Sum16(reinterpret_cast<const uint8_t*>(p.data()), 20, 0));
  p[10] = static_cast<char>(ip_sum >> 8);
  p[11] = static_cast<char>(ip_sum);
  Be16(&p, src.port);
  Be16(&p, dst.port);
  Be16(&p, static_cast<uint16_t>(8 + len));
  Be16(&p, 0);  // checksum, below
  p.append(reinterpret_cast<const char*>(payload.data()), len);
  // Pseudo-header: addresses, protocol, UDP length; then header and data.
  uint32_t sum = 0;
  sum = Sum16(reinterpret_cast<const uint8_t*>(p.data()) + 12, 8, sum);
  sum += 17 + 8 + len;
  sum = Sum16(reinterpret_cast<const uint8_t*>(p.data()) + 20, 8 + len, sum);
  uint16_t udp_sum = Fold(sum);
  if (udp_sum == 0) udp_sum = 0xffff;
  p[26] = static_cast<char>(udp_sum >> 8);
  p[27] = static_cast<char>(udp_sum);
  return p;
}

std::string BuildPcap(const std::vector<sim::CapturedDatagram>& datagrams,
                      CapturePoint point) {
  std::string out;
  Le32(&out, 0xa1b23c4d);  // nanosecond-resolution pcap
  Le16(&out, 2);
  Le16(&out, 4);
  Le32(&out, 0);  // thiszone
  Le32(&out, 0);  // sigfigs
  Le32(&out, 65535);
  Le32(&out, 101);  // LINKTYPE_RAW
  if (point == CapturePoint::kSent) {
    for (const sim::CapturedDatagram& d : datagrams) {
      AddRecord(
          &out, d.sent,
          EncapsulateUdp(d.src, d.dst, static_cast<uint16_t>(d.id), d.payload));
    }
    return out;
  }
  struct Arrival {
    sim::Time time;
    const sim::CapturedDatagram* datagram;
  };
  std::vector<Arrival> arrivals;
  for (const sim::CapturedDatagram& d : datagrams) {
    for (const sim::CapturedDelivery& delivery : d.deliveries) {
      arrivals.push_back({delivery.time, &d});
    }
  }
  std::stable_sort(
      arrivals.begin(), arrivals.end(),
      [](const Arrival& a, const Arrival& b) { return a.time < b.time; });
  for (const Arrival& a : arrivals) {
    AddRecord(&out, a.time,
              EncapsulateUdp(a.datagram->src, a.datagram->dst,
                             static_cast<uint16_t>(a.datagram->id),
                             a.datagram->arrived_payload()));
  }
  return out;
}

absl::Status WritePcaps(const sim::Capture& capture, const std::string& base) {
  absl::Status s = WriteFileAtomically(
      base + ".sent.pcap", BuildPcap(capture.datagrams(), CapturePoint::kSent));
  if (!s.ok()) return s;
  return WriteFileAtomically(
      base + ".delivered.pcap",
      BuildPcap(capture.datagrams(), CapturePoint::kDelivered));
}

}  // namespace quicsim::exporter
