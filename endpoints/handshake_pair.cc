#include "endpoints/handshake_pair.h"

#include "absl/strings/str_format.h"
#include "base/check.h"

namespace quicsim::endpoints {
namespace {

int Side(Perspective p) { return p == Perspective::kClient ? 0 : 1; }
const char* SideName(Perspective p) {
  return p == Perspective::kClient ? "client" : "server";
}
const char* LevelName(int level) {
  static const char* kNames[] = {"initial", "0rtt", "handshake", "1rtt"};
  return kNames[level];
}

// Stands in for a released endpoint whose connection is stopped: such a
// connection returns from OnDatagram() before counting, observing or
// tracing anything, and so does this.
class SilentReceiver : public sim::DatagramReceiver {
 public:
  void OnDatagram(sim::Datagram) override {}
};
SilentReceiver kSilent;

}  // namespace

void PairOracle::Violate(std::string oracle, std::string detail) {
  violations_.push_back({std::move(oracle), std::move(detail)});
}

void PairOracle::OnDatagramSent(Perspective self, size_t bytes, uint8_t levels,
                                bool has_connection_close) {
  if (ended_[Side(self)]) {
    Violate(
        "sent_after_close",
        absl::StrFormat("%s sent %d bytes after its closing/draining period",
                        SideName(self), bytes));
  }
  if (self != Perspective::kServer || server_validated_) return;
  server_sent_ += bytes;
  ++datagrams_checked_;
  if (server_sent_ > 3 * server_received_) {
    Violate("amplification",
            absl::StrFormat("server sent %d bytes having received %d before "
                            "address validation",
                            server_sent_, server_received_));
  }
}

void PairOracle::OnDatagramReceived(Perspective self, size_t bytes) {
  if (self == Perspective::kServer && !server_validated_) {
    server_received_ += bytes;
  }
}

void PairOracle::OnAddressValidated(Perspective self) {
  if (self == Perspective::kServer) server_validated_ = true;
}

void PairOracle::OnKeysDiscarded(Perspective self, EncryptionLevel level) {
  discarded_[Side(self)][static_cast<int>(level)] = true;
}

void PairOracle::OnPacketSent(Perspective self, EncryptionLevel level) {
  if (discarded_[Side(self)][static_cast<int>(level)]) {
    Violate(
        "keys_discarded",
        absl::StrFormat("%s sent a %s packet after discarding its keys",
                        SideName(self), LevelName(static_cast<int>(level))));
  }
}

void PairOracle::OnClosingPeriodEnded(Perspective self) {
  ended_[Side(self)] = true;
}

void PairOracle::OnLossTimer(Perspective self, bool armed, bool required) {
  if (!required || armed || deadlock_reported_) return;
  // Reported as a stall: nothing would make either side send again unless
  // the peer happened to retransmit.
  deadlock_reported_ = true;
  Violate("no_stall",
          absl::StrFormat("%s has no loss-detection timer armed before the "
                          "handshake is confirmed and before its peer "
                          "completed address validation (RFC 9002 §6.2.2.1: "
                          "a deadlock if the peer waits too)",
                          SideName(self)));
}

HandshakePair::HandshakePair(HandshakePairOptions options,
                             sim::Scheduler* scheduler, sim::Network* network,
                             uint64_t seed, std::string name,
                             sim::TraceSink* trace)
    : name_(std::move(name)), network_(network) {
  options.client.perspective = Perspective::kClient;
  options.server.connection.perspective = Perspective::kServer;
  options.client.peer = options.server.connection.local;
  options.server.connection.peer = options.client.local;
  client_address_ = options.client.local;
  server_address_ = options.server.connection.local;
  network->AddRoute(options.client.local, options.server.connection.local,
                    options.client_to_server);
  network->AddRoute(options.server.connection.local, options.client.local,
                    options.server_to_client);
  const uint64_t client_seed = sim::Rng::StreamSeed(seed, name_ + "/client");
  const uint64_t server_seed = sim::Rng::StreamSeed(seed, name_ + "/server");
  if (options.foreign_client) {
    foreign_client_ =
        options.foreign_client(client_seed, name_ + "/client", &oracle_);
    foreign_client_->set_on_done([this] { CheckDone(); });
  } else {
    client_ = std::make_unique<ClientEndpoint>(
        std::move(options.client), scheduler, network, client_seed,
        name_ + "/client", trace, &oracle_);
    client_->connection().set_on_done([this] { CheckDone(); });
  }
  if (options.foreign_server) {
    foreign_server_ =
        options.foreign_server(server_seed, name_ + "/server", &oracle_);
    foreign_server_->set_on_done([this] { CheckDone(); });
  } else {
    server_ = std::make_unique<ServerEndpoint>(
        std::move(options.server), scheduler, network, server_seed,
        name_ + "/server", trace, &oracle_);
    server_->set_on_connection(
        [this](Connection* c) { c->set_on_done([this] { CheckDone(); }); });
  }
}

HandshakePair::~HandshakePair() = default;

absl::Status HandshakePair::Start() {
  absl::Status status =
      foreign_server_ ? foreign_server_->Start() : server_->Start();
  if (!status.ok()) return status;
  return foreign_client_ ? foreign_client_->Start() : client_->Start();
}

bool HandshakePair::done() const {
  if (done_reported_ && stopped_) return true;
  const bool client_done =
      foreign_client_ ? foreign_client_->done() : client_->connection().done();
  if (!client_done) return false;
  const Verdict& c = client_verdict();
  const Verdict& s = server_verdict();
  bool server_done;
  if (foreign_server_) {
    server_done = foreign_server_->done();
  } else if (server_->connection() == nullptr) {
    // A client that failed before sending, or never reached the server,
    // ends the pair alone.
    return true;
  } else {
    server_done = server_->connection()->done();
  }
  if (server_done) return true;
  // The client is confirmed and finished: the server has nothing left that
  // changes its verdict once it is confirmed too.
  return c.kind == Verdict::Kind::kConfirmed &&
         s.kind == Verdict::Kind::kConfirmed;
}

void HandshakePair::CheckDone() {
  if (done_reported_ || !done()) return;
  done_reported_ = true;
  if (on_done_) on_done_();
}

void HandshakePair::Stop() {
  stopped_ = true;
  if (foreign_client_) {
    foreign_client_->Stop();
  } else if (client_ != nullptr) {
    client_->connection().Stop();
  }
  if (foreign_server_) {
    foreign_server_->Stop();
  } else if (server_ != nullptr && server_->connection() != nullptr) {
    server_->connection()->Stop();
  }
}

void HandshakePair::ReleaseState() {
  if (!stopped_ || !done_reported_) return;
  if (client_ != nullptr) {
    released_client_ =
        std::make_unique<Verdict>(client_->connection().verdict());
    const bool registered = client_->registered();
    client_.reset();  // unregisters the address
    if (registered) {
      QUICSIM_CHECK(network_->Register(client_address_, &kSilent).ok());
    }
  }
  // A server without a connection still answers Initials: it stays.
  if (server_ != nullptr && server_->connection() != nullptr) {
    released_server_ =
        std::make_unique<Verdict>(server_->connection()->verdict());
    const bool registered = server_->registered();
    server_.reset();
    if (registered) {
      QUICSIM_CHECK(network_->Register(server_address_, &kSilent).ok());
    }
  }
}

const Verdict& HandshakePair::client_verdict() const {
  if (released_client_ != nullptr) return *released_client_;
  return foreign_client_ ? foreign_client_->verdict()
                         : client_->connection().verdict();
}

const Verdict& HandshakePair::server_verdict() const {
  if (released_server_ != nullptr) return *released_server_;
  if (foreign_server_) return foreign_server_->verdict();
  return server_->connection() != nullptr ? server_->connection()->verdict()
                                          : none_;
}

}  // namespace quicsim::endpoints
