#include "tests/fuzz/endpoint_frames_harness.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"
#include "endpoints/quic_data_writer.h"
#include "endpoints/testing/pair_world.h"
#include "endpoints/types.h"
#include "scenarios/oracles/pair_oracle.h"
#include "sim/capture.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "tests/fuzz/fuzz_check.h"

namespace quicsim::fuzz {
namespace {

using quicsim::endpoints::CipherSuite;
using quicsim::endpoints::ConnectionId;
using quicsim::endpoints::EncryptionLevel;
using quicsim::endpoints::HandshakePair;
using quicsim::endpoints::HandshakePairOptions;
using quicsim::endpoints::PacketHeader;
using quicsim::endpoints::PacketProtector;
using quicsim::endpoints::PacketType;
using quicsim::endpoints::Perspective;
using quicsim::endpoints::testing::MakeTlsContexts;
using quicsim::endpoints::testing::PairWorld;
using quicsim::endpoints::testing::TlsContexts;
using quicsim::sim::Address;
using quicsim::sim::Duration;
using quicsim::sim::Time;

constexpr size_t kCidLength = 8;  // ConnectionOptions' default
constexpr uint64_t kMaxEvents = 200000;
// The judged pair's addresses and its priming handshake's.
const Address kClientAddr = PairWorld::ClientAddress(0);
const Address kServerAddr = PairWorld::ServerAddress(0);

// Both sides allow 0-RTT so that a resumed handshake has 0-RTT keys.
const TlsContexts& Contexts() {
  static const TlsContexts* contexts = [] {
    quicsim::endpoints::testing::TlsOptions options;
    options.enable_0rtt = true;
    return new TlsContexts(MakeTlsContexts(options));
  }();
  return *contexts;
}

// One simulated world (endpoints/testing/pair_world.h): scheduler, two
// links without MTU limit, no trace; a capture that shows the fuzzer what
// each side sent, and the secrets both TLS engines derive (SSLKEYLOGFILE
// lines, label -> secret).
struct World {
  explicit World(Duration delay) : pairs(WorldOptions(delay)) {
    pairs.scheduler().set_limits(quicsim::sim::Limits{
        .max_events = kMaxEvents,
        .max_time = Time::Zero() + Duration::Seconds(120)});
    pairs.network().set_capture(&capture);
  }

  static PairWorld::Options WorldOptions(Duration delay) {
    PairWorld::Options options;
    options.link.delay = delay;
    options.link.mtu = 0;  // the fuzzer's packets may be large
    options.record_trace = false;
    return options;
  }

  // Pair `i`'s options (0: the judged pair, 1: the priming handshake).
  HandshakePairOptions PairOptions(int i) {
    HandshakePairOptions o = pairs.PairOptions(Contexts(), i);
    o.client.idle_timeout = Duration::Seconds(2);
    o.server.connection.idle_timeout = Duration::Seconds(2);
    auto sink = [this](std::string_view line) {
      std::vector<absl::string_view> parts =
          absl::StrSplit(absl::string_view(line.data(), line.size()), ' ');
      if (parts.size() == 3) {
        secrets[std::string(parts[0])] = absl::HexStringToBytes(parts[2]);
      }
    };
    o.client.keylog_sink = sink;
    o.server.connection.keylog_sink = sink;
    return o;
  }

  quicsim::sim::Scheduler& scheduler() { return pairs.scheduler(); }
  quicsim::sim::Network& network() { return pairs.network(); }

  PairWorld pairs;
  quicsim::sim::Capture capture;
  std::map<std::string, std::string> secrets;
};

// What the fuzzer learns from the peer's datagrams on the wire.
struct PeerView {
  size_t scanned = 0;
  // From the peer's newest datagram to the target: the target's CID.
  std::optional<ConnectionId> dcid;
  // From the peer's newest long header: its own CID.
  std::optional<ConnectionId> scid;
  // The DCID the Initial keys derive from: the client's first Initial's,
  // or after a Retry the client's next one's.
  std::optional<ConnectionId> initial_dcid;
  bool retry_seen = false;
};

void Scan(const quicsim::sim::Capture& capture, bool peer_is_client,
          PeerView* view) {
  const auto& datagrams = capture.datagrams();
  for (; view->scanned < datagrams.size(); ++view->scanned) {
    const quicsim::sim::CapturedDatagram& d = datagrams[view->scanned];
    const bool from_client = d.src == kClientAddr;
    absl::StatusOr<PacketHeader> h =
        quicsim::endpoints::ParsePacketHeader(d.payload, kCidLength);
    if (!h.ok()) continue;
    if (from_client && h->type == PacketType::kInitial &&
        (!view->initial_dcid.has_value() || view->retry_seen)) {
      view->initial_dcid = h->dcid;
      view->retry_seen = false;
    }
    if (!from_client && h->type == PacketType::kRetry) view->retry_seen = true;
    if (from_client != peer_is_client) continue;
    if (h->type == PacketType::kRetry ||
        h->type == PacketType::kVersionNegotiation) {
      continue;
    }
    view->dcid = h->dcid;
    if (h->type != PacketType::kOneRtt) view->scid = h->scid;
  }
}

// The keylog label of the secret the peer seals `level` with.
const char* SecretLabel(EncryptionLevel level, bool peer_is_client) {
  switch (level) {
    case EncryptionLevel::kZeroRtt:
      return "CLIENT_EARLY_TRAFFIC_SECRET";
    case EncryptionLevel::kHandshake:
      return peer_is_client ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
                            : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    default:
      return peer_is_client ? "CLIENT_TRAFFIC_SECRET_0"
                            : "SERVER_TRAFFIC_SECRET_0";
  }
}

// The peer's sealing keys for `level`, once known.
std::unique_ptr<PacketProtector> PeerKeys(
    const World& world, const quicsim::endpoints::Connection& client,
    const PeerView& view, EncryptionLevel level, bool peer_is_client) {
  if (level == EncryptionLevel::kInitial) {
    if (!view.initial_dcid.has_value()) return nullptr;
    return PacketProtector::CreateInitial(
        *view.initial_dcid,
        peer_is_client ? Perspective::kClient : Perspective::kServer);
  }
  auto it = world.secrets.find(SecretLabel(level, peer_is_client));
  if (it == world.secrets.end()) return nullptr;
  uint16_t suite_id = client.engine() != nullptr
                          ? client.engine()->ConnectionState().cipher_suite
                          : 0;
  absl::StatusOr<CipherSuite> suite =
      quicsim::endpoints::CipherSuiteFromId(suite_id);
  // The client knows the suite from ServerHello; 0-RTT keys come earlier,
  // from the resumed session, whose suite is the default one.
  const CipherSuite cipher =
      suite.ok() ? *suite : CipherSuite::kAes128GcmSha256;
  const std::string& secret = it->second;
  absl::StatusOr<std::unique_ptr<PacketProtector>> keys =
      PacketProtector::Create(
          cipher,
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(secret.data()),
                              secret.size()));
  if (!keys.ok()) return nullptr;
  return std::move(*keys);
}

// Seals `plaintext` as one packet from the peer at `level`.
std::optional<std::vector<uint8_t>> SealPacket(const PacketProtector& keys,
                                               const PeerView& view,
                                               EncryptionLevel level,
                                               uint64_t packet_number,
                                               std::vector<uint8_t> plaintext) {
  constexpr size_t kPnLength = 2;
  // Header protection samples 16 bytes from 4 after the packet number.
  if (plaintext.size() < 4 - kPnLength) plaintext.resize(4 - kPnLength, 0);
  PacketHeader header;
  header.type = quicsim::endpoints::PacketTypeOfLevel(level);
  header.version = quicsim::endpoints::kQuicVersion1;
  header.dcid = *view.dcid;
  if (view.scid.has_value()) header.scid = *view.scid;
  std::vector<uint8_t> packet(64 + plaintext.size() +
                              quicsim::endpoints::kAeadTagLength);
  quicsim::endpoints::QuicDataWriter writer(absl::MakeSpan(packet));
  size_t pn_offset = 0;
  if (!quicsim::endpoints::WritePacketHeader(
          header, kPnLength, packet_number,
          plaintext.size() + quicsim::endpoints::kAeadTagLength, &writer,
          &pn_offset)) {
    return std::nullopt;
  }
  const size_t header_length = pn_offset + kPnLength;
  std::copy(plaintext.begin(), plaintext.end(), packet.begin() + header_length);
  absl::StatusOr<size_t> sealed =
      keys.SealPacket(absl::MakeSpan(packet), pn_offset, kPnLength,
                      packet_number, plaintext.size());
  if (!sealed.ok()) return std::nullopt;
  packet.resize(*sealed);
  return packet;
}

}  // namespace

InjectionOutcome RunInjection(absl::Span<const uint8_t> input) {
  InjectionOutcome outcome;
  if (input.size() < 2) return outcome;
  outcome.ran = true;
  const uint8_t* data = input.data();
  const size_t size = input.size();
  const bool target_is_server = data[0] & 1;
  const bool peer_is_client = target_is_server;
  const auto level = static_cast<EncryptionLevel>((data[0] >> 1) & 3);
  const bool retry = data[0] & 0x08;
  const bool pad = data[0] & 0x10;
  const bool resume = (data[0] & 0x20) || level == EncryptionLevel::kZeroRtt;
  const bool twice = data[0] & 0x40;
  const Duration delay = Duration::Millis((data[0] & 0x80) ? 25 : 5);
  const uint64_t point = data[1] & 7;
  const uint64_t packet_number = 1000 + (data[1] >> 3);
  std::vector<uint8_t> plaintext(data + 2, data + size);

  World world(delay);
  quicsim::tls::Session session;
  std::unique_ptr<HandshakePair> prime;
  if (resume) {
    // A first handshake on the same network for the session ticket.
    HandshakePairOptions o = world.PairOptions(1);
    o.client.wait_for_session_ticket = true;
    o.client.keylog_sink = nullptr;
    o.server.connection.keylog_sink = nullptr;
    prime =
        std::make_unique<HandshakePair>(std::move(o), &world.scheduler(),
                                        &world.network(), 7, "prime", nullptr);
    FUZZ_CHECK(prime->Start().ok());
    world.scheduler().RunUntilIdle();
    session = prime->client().received_session();
    world.capture.Clear();
  }

  HandshakePairOptions o = world.PairOptions(0);
  o.server.retry = retry;
  if (session.valid()) {
    o.client.resume_session = session;
    static const std::vector<uint8_t> kRequest = {'G', 'E', 'T', ' ', '/'};
    o.client.request = kRequest;
    o.server.connection.expect_request_bytes = kRequest.size();
  }
  // The endpoints themselves (not a HandshakePair) so that the injected
  // datagram arrives now, ahead of whatever the links hold.
  quicsim::scenarios::oracles::PairOracle oracle;
  world.pairs.AddRoutes(o);
  quicsim::endpoints::ServerEndpoint server(o.server, &world.scheduler(),
                                            &world.network(), 3, "server",
                                            nullptr, &oracle);
  quicsim::endpoints::ClientEndpoint client(o.client, &world.scheduler(),
                                            &world.network(), 4, "client",
                                            nullptr, &oracle);
  FUZZ_CHECK(server.Start().ok());
  FUZZ_CHECK(client.Start().ok());

  // Run to the chosen point.
  PeerView view;
  std::unique_ptr<PacketProtector> keys;
  for (;;) {
    Scan(world.capture, peer_is_client, &view);
    const quicsim::endpoints::Connection* target =
        target_is_server ? server.connection() : &client.connection();
    const uint64_t received =
        target == nullptr ? 0 : target->stats().datagrams_received;
    if (received >= point && view.dcid.has_value()) {
      keys = PeerKeys(world, client.connection(), view, level, peer_is_client);
      if (keys != nullptr) break;
    }
    if (!world.scheduler().Step()) break;
  }

  if (keys != nullptr) {
    if (pad && peer_is_client && level == EncryptionLevel::kInitial &&
        plaintext.size() < 1200) {
      plaintext.resize(1200, 0);  // PADDING frames
    }
    for (int copy = 0; copy < (twice ? 2 : 1); ++copy) {
      std::optional<std::vector<uint8_t>> packet =
          SealPacket(*keys, view, level, packet_number + copy, plaintext);
      if (!packet.has_value()) break;
      quicsim::sim::Datagram d;
      d.src = peer_is_client ? kClientAddr : kServerAddr;
      d.dst = peer_is_client ? kServerAddr : kClientAddr;
      d.payload = std::move(*packet);
      outcome.injected = true;
      if (target_is_server) {
        server.OnDatagram(std::move(d));
      } else {
        client.OnDatagram(std::move(d));
      }
    }
  }

  // Every connection must still end, within the event budget, in a verdict.
  world.scheduler().RunUntilIdle();
  outcome.stalled = world.scheduler().stalled();
  outcome.events = world.scheduler().events_run();
  outcome.client = client.connection().verdict();
  if (server.connection() != nullptr) {
    outcome.server = server.connection()->verdict();
  }
  outcome.violations = oracle.violations();
  return outcome;
}

}  // namespace quicsim::fuzz
