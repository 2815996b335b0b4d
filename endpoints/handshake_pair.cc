#include "endpoints/handshake_pair.h"

#include "base/check.h"

namespace quicsim::endpoints {
namespace {

// Stands in for a released endpoint whose connection is stopped: such a
// connection returns from OnDatagram() before counting, observing or
// tracing anything, and so does this.
class SilentReceiver : public sim::DatagramReceiver {
 public:
  void OnDatagram(sim::Datagram) override {}
};
SilentReceiver kSilent;

}  // namespace

HandshakePair::HandshakePair(HandshakePairOptions options,
                             sim::Scheduler* scheduler, sim::Network* network,
                             uint64_t seed, std::string name,
                             sim::TraceSink* trace)
    : name_(std::move(name)),
      observer_(options.observer != nullptr ? options.observer : &unwatched_),
      network_(network) {
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
        options.foreign_client(client_seed, name_ + "/client", observer_);
    foreign_client_->set_on_done([this] { CheckDone(); });
  } else {
    client_ = std::make_unique<ClientEndpoint>(
        std::move(options.client), scheduler, network, client_seed,
        name_ + "/client", trace, observer_);
    client_->connection().set_on_done([this] { CheckDone(); });
  }
  if (options.foreign_server) {
    foreign_server_ =
        options.foreign_server(server_seed, name_ + "/server", observer_);
    foreign_server_->set_on_done([this] { CheckDone(); });
  } else {
    server_ = std::make_unique<ServerEndpoint>(
        std::move(options.server), scheduler, network, server_seed,
        name_ + "/server", trace, observer_);
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
    // As below: a server that holds no connection ends with the client.
    if (!foreign_server_->holds_connection()) return true;
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
