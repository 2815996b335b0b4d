#include "endpoints/endpoint.h"

#include <openssl/hmac.h>
#include <openssl/mem.h>

#include "absl/strings/str_format.h"
#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"

namespace quicsim::endpoints {
namespace {

constexpr size_t kMinInitialDatagramSize = 1200;
constexpr size_t kTokenTagLength = 16;
constexpr uint8_t kTokenKey[32] = {'q', 'u', 'i', 'c', 's', 'i', 'm',
                                   '-', 'r', 'e', 't', 'r', 'y', '-',
                                   'k', 'e', 'y', '-', 'v', '1'};

}  // namespace

ClientEndpoint::ClientEndpoint(ConnectionOptions options,
                               sim::Scheduler* scheduler, sim::Network* network,
                               uint64_t rng_seed, std::string actor,
                               sim::TraceSink* trace,
                               ConnectionObserver* observer)
    : network_(network),
      address_(options.local),
      connection_(std::move(options), scheduler, network, rng_seed,
                  std::move(actor), trace, observer) {}

ClientEndpoint::~ClientEndpoint() {
  if (registered_) network_->Unregister(address_);
}

absl::Status ClientEndpoint::Start() {
  absl::Status status = network_->Register(address_, this);
  if (!status.ok()) return status;
  registered_ = true;
  connection_.Start();
  return absl::OkStatus();
}

void ClientEndpoint::OnDatagram(sim::Datagram datagram) {
  connection_.OnDatagram(std::move(datagram));
}

ServerEndpoint::ServerEndpoint(ServerEndpointOptions options,
                               sim::Scheduler* scheduler, sim::Network* network,
                               uint64_t rng_seed, std::string actor,
                               sim::TraceSink* trace,
                               ConnectionObserver* observer)
    : options_(std::move(options)),
      scheduler_(scheduler),
      network_(network),
      rng_seed_(rng_seed),
      actor_(std::move(actor)),
      trace_(trace),
      tracer_(trace, actor_),
      observer_(observer),
      rng_(sim::Rng::ForStream(rng_seed, "endpoint")) {}

ServerEndpoint::~ServerEndpoint() {
  if (registered_) network_->Unregister(options_.connection.local);
}

absl::Status ServerEndpoint::Start() {
  absl::Status status = network_->Register(options_.connection.local, this);
  if (!status.ok()) return status;
  registered_ = true;
  return absl::OkStatus();
}

void ServerEndpoint::Drop(const char* reason, size_t size) {
  if (tracer_.enabled()) {
    tracer_.Record(scheduler_->Now(), events::DatagramDropped{reason, size});
  }
}

void ServerEndpoint::Send(const sim::Address& to, std::vector<uint8_t> payload,
                          const char* what) {
  if (tracer_.enabled()) {
    tracer_.Record(scheduler_->Now(),
                   events::StatelessPacketSent{what, payload.size()});
  }
  if (observer_ != nullptr) {
    observer_->OnDatagramSent(Perspective::kServer, payload.size(), 0, false);
  }
  sim::Datagram d;
  d.src = options_.connection.local;
  d.dst = to;
  d.payload = std::move(payload);
  network_->Send(std::move(d));
}

std::vector<uint8_t> ServerEndpoint::MakeToken(
    const ConnectionId& original_dcid, const ConnectionId& retry_scid,
    const sim::Address& client) const {
  // 'R' | len | original DCID | len | Retry SCID | client IPv4 | port |
  // HMAC-SHA256 tag (16). The server keeps no per-Retry state: everything it
  // needs to accept the client's next Initial is in the token.
  std::vector<uint8_t> token;
  token.push_back('R');
  token.push_back(static_cast<uint8_t>(original_dcid.size()));
  token.insert(token.end(), original_dcid.data(),
               original_dcid.data() + original_dcid.size());
  token.push_back(static_cast<uint8_t>(retry_scid.size()));
  token.insert(token.end(), retry_scid.data(),
               retry_scid.data() + retry_scid.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    token.push_back(static_cast<uint8_t>(client.ipv4 >> shift));
  }
  token.push_back(static_cast<uint8_t>(client.port >> 8));
  token.push_back(static_cast<uint8_t>(client.port));
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned mac_len = 0;
  HMAC(EVP_sha256(), kTokenKey, sizeof(kTokenKey), token.data(), token.size(),
       mac, &mac_len);
  token.insert(token.end(), mac, mac + kTokenTagLength);
  return token;
}

std::optional<ServerEndpoint::TokenContents> ServerEndpoint::ValidateToken(
    absl::Span<const uint8_t> token, const sim::Address& client) const {
  if (token.size() < 3 + kTokenTagLength || token[0] != 'R') {
    return std::nullopt;
  }
  const size_t odcid_len = token[1];
  if (odcid_len > ConnectionId::kMaxLength || token.size() < 3 + odcid_len) {
    return std::nullopt;
  }
  const size_t scid_len = token[2 + odcid_len];
  if (scid_len > ConnectionId::kMaxLength ||
      token.size() != 3 + odcid_len + scid_len + 6 + kTokenTagLength) {
    return std::nullopt;
  }
  TokenContents contents;
  contents.original_dcid = ConnectionId(token.subspan(2, odcid_len));
  contents.retry_scid = ConnectionId(token.subspan(3 + odcid_len, scid_len));
  std::vector<uint8_t> expected =
      MakeToken(contents.original_dcid, contents.retry_scid, client);
  if (expected.size() != token.size() ||
      CRYPTO_memcmp(expected.data(), token.data(), token.size()) != 0) {
    return std::nullopt;
  }
  return contents;
}

void ServerEndpoint::OnDatagram(sim::Datagram datagram) {
  if (connection_ != nullptr) {
    connection_->OnDatagram(std::move(datagram));
    return;
  }
  const size_t size = datagram.payload.size();
  if (observer_ != nullptr) {
    observer_->OnDatagramReceived(Perspective::kServer, size);
  }
  absl::StatusOr<PacketHeader> header = ParsePacketHeader(
      datagram.payload, options_.connection.connection_id_length);
  if (!header.ok()) return Drop("unparseable", size);
  if (header->type == PacketType::kUnsupportedVersion) {
    // RFC 9000 §6.1: Version Negotiation, only for datagrams that could
    // carry a first Initial.
    if (size < kMinInitialDatagramSize)
      return Drop("small_unknown_version", size);
    const uint32_t versions[] = {kQuicVersion1, 0x5a6a7a8a};
    ++vn_sent_;
    Send(datagram.src,
         BuildVersionNegotiationPacket(
             static_cast<uint8_t>(rng_.Next64() & 0x7f), header->scid,
             header->dcid, versions),
         "VersionNegotiation");
    return;
  }
  if (header->type != PacketType::kInitial) return Drop("no_connection", size);
  if (size < kMinInitialDatagramSize) return Drop("initial_too_small", size);
  if (header->dcid.size() < 8) return Drop("short_dcid", size);

  ConnectionOptions conn = options_.connection;
  conn.peer = datagram.src;
  conn.client_initial_dcid = header->dcid;
  conn.original_dcid = header->dcid;
  if (options_.retry) {
    if (header->token.empty()) {
      uint8_t cid[ConnectionId::kMaxLength];
      rng_.Fill(cid, conn.connection_id_length);
      const ConnectionId retry_scid({cid, conn.connection_id_length});
      ++retries_sent_;
      Send(datagram.src,
           BuildRetryPacket(header->scid, retry_scid,
                            MakeToken(header->dcid, retry_scid, datagram.src),
                            header->dcid),
           "Retry");
      return;
    }
    std::optional<TokenContents> token =
        ValidateToken(header->token, datagram.src);
    if (!token.has_value() || header->dcid != token->retry_scid) {
      return Drop("invalid_token", size);
    }
    conn.original_dcid = token->original_dcid;
    conn.retry_scid = token->retry_scid;
  }
  connection_ =
      std::make_unique<Connection>(std::move(conn), scheduler_, network_,
                                   rng_seed_, actor_, trace_, observer_);
  if (on_connection_) on_connection_(connection_.get());
  connection_->Start();
  if (options_.retry) connection_->MarkAddressValidated();
  connection_->OnDatagram(std::move(datagram), /*observed=*/true);
  if (connection_->stats().packets_received == 0 &&
      !connection_->verdict().final()) {
    // The Initial did not decrypt (e.g. a corrupted connection ID derived
    // the wrong keys): keep no state for it, as if it never arrived.
    if (tracer_.enabled()) {
      tracer_.Record(scheduler_->Now(), events::ConnectionDiscarded{
                                            "first_initial_undecryptable"});
    }
    connection_->Stop();
    connection_.reset();
  }
}

}  // namespace quicsim::endpoints
