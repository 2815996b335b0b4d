// Costs of QUIC packet protection per connection and per packet: deriving
// Initial secrets, turning a TLS secret into keys, sealing and opening a
// full-size packet. A handshake pair derives keys about a dozen times and
// protects about a dozen packets.
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "endpoints/packet_protection.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {
namespace {

const uint8_t kDcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};

void BM_DeriveInitialSecrets(benchmark::State& state) {
  const ConnectionId dcid(kDcid);
  for (auto _ : state) {
    benchmark::DoNotOptimize(DeriveInitialSecrets(dcid));
  }
}
BENCHMARK(BM_DeriveInitialSecrets);

void BM_CreateInitialProtector(benchmark::State& state) {
  const ConnectionId dcid(kDcid);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        PacketProtector::CreateInitial(dcid, Perspective::kClient));
  }
}
BENCHMARK(BM_CreateInitialProtector);

void BM_CreateProtectorFromSecret(benchmark::State& state) {
  const std::vector<uint8_t> secret(32, 0x42);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        PacketProtector::Create(CipherSuite::kAes128GcmSha256, secret));
  }
}
BENCHMARK(BM_CreateProtectorFromSecret);

void BM_SealAndOpen1200(benchmark::State& state) {
  const ConnectionId dcid(kDcid);
  auto sealer = PacketProtector::CreateInitial(dcid, Perspective::kClient);
  std::vector<uint8_t> buffer(1300);
  const size_t pn_offset = 18, pn_length = 2, payload = 1200 - 20 - 16;
  for (auto _ : state) {
    buffer[0] = 0xc1;
    absl::StatusOr<size_t> sealed = sealer->SealPacket(
        absl::MakeSpan(buffer), pn_offset, pn_length, 7, payload);
    absl::StatusOr<OpenedPacket> opened = sealer->OpenPacket(
        absl::MakeSpan(buffer.data(), *sealed), pn_offset, std::nullopt);
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_SealAndOpen1200);

}  // namespace
}  // namespace quicsim::endpoints
