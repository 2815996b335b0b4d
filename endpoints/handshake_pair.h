// One simulated client/server handshake: both endpoints on a shared network,
// reporting what they do on the wire to one observer (the scenarios layer's
// oracles, scenarios/oracles/pair_oracle.h), and the pair's combined result.
// Scenario runners build thousands of these on one scheduler.
#ifndef QUICSIM_ENDPOINTS_HANDSHAKE_PAIR_H_
#define QUICSIM_ENDPOINTS_HANDSHAKE_PAIR_H_

#include <memory>
#include <string>
#include <vector>

#include "endpoints/connection.h"
#include "endpoints/endpoint.h"
#include "sim/network.h"

namespace quicsim::endpoints {

// One side of a pair run by another QUIC stack (an adapter such as
// Ngtcp2Endpoint), seen through what the pair needs of it.
class ForeignEndpoint {
 public:
  virtual ~ForeignEndpoint() = default;
  // Registers the address (and, for a client, starts the handshake).
  virtual absl::Status Start() = 0;
  // Stops every timer (end of run).
  virtual void Stop() = 0;
  virtual const Verdict& verdict() const = 0;
  virtual bool done() const = 0;
  // A server: whether it holds a connection object. False before it
  // accepted an Initial, after a stateless Retry or Version Negotiation, and
  // after it discarded a connection its stack asked it to drop. Such a
  // server, like our server without a connection, ends the pair with the
  // client.
  virtual bool holds_connection() const { return true; }
  virtual void set_on_done(absl::AnyInvocable<void()> on_done) = 0;
};

// Builds a foreign side that reports to `observer` (the pair's), with
// `rng_seed` and `actor` chosen by the pair.
using ForeignEndpointFactory =
    absl::AnyInvocable<std::unique_ptr<ForeignEndpoint>(
        uint64_t rng_seed, const std::string& actor,
        ConnectionObserver* observer)>;

// Configuration of one pair.
struct HandshakePairOptions {
  ConnectionOptions client;
  ServerEndpointOptions server;
  // Links for each direction (owned by the network, maybe shared).
  sim::Link* client_to_server = nullptr;
  sim::Link* server_to_client = nullptr;
  // When set, that side is another stack (client/server options of our own
  // endpoints are then used only for their addresses).
  ForeignEndpointFactory foreign_client;
  ForeignEndpointFactory foreign_server;
  // Receives both sides' observations (the oracles); not owned, must outlive
  // the pair. nullptr: nobody watches.
  ConnectionObserver* observer = nullptr;
};

// One client/server pair; see the file comment.
class HandshakePair {
 public:
  // `options.client.local/peer` and `options.server.connection.local` name
  // the addresses; routes over the given links are added here.
  HandshakePair(HandshakePairOptions options, sim::Scheduler* scheduler,
                sim::Network* network, uint64_t seed, std::string name,
                sim::TraceSink* trace);
  ~HandshakePair();

  // Registers both endpoints and starts the client.
  absl::Status Start();
  // True when both sides are done (see Connection::done()).
  bool done() const;
  // Stops both sides' timers (end of run).
  void Stop();
  // After Stop(), from an event of its own (not from on_done): frees what a
  // finished pair no longer needs. Each of our sides whose connection is
  // stopped ignores every datagram without a trace, so its endpoint is
  // replaced by a receiver that does exactly that and destroyed; verdicts,
  // done() and what the observer saw stay. client(), server() and
  // server_endpoint() must not be used afterwards.
  void ReleaseState();

  const Verdict& client_verdict() const;
  // The server's verdict (kNone when no connection was created).
  const Verdict& server_verdict() const;
  // Our own endpoints' details (only when that side is not foreign).
  bool has_quicsim_client() const { return client_ != nullptr; }
  const Connection& client() const { return client_->connection(); }
  const Connection* server() const { return server_->connection(); }
  const ServerEndpoint& server_endpoint() const { return *server_; }
  // The other stack's side (nullptr when that side is ours), e.g. an
  // Ngtcp2Endpoint for its counters.
  const ForeignEndpoint* foreign_client() const {
    return foreign_client_.get();
  }
  const ForeignEndpoint* foreign_server() const {
    return foreign_server_.get();
  }
  const std::string& name() const { return name_; }
  // Called once when done() becomes true.
  void set_on_done(absl::AnyInvocable<void()> on_done) {
    on_done_ = std::move(on_done);
  }

 private:
  void CheckDone();

  std::string name_;
  // options.observer, or unwatched_ when none was given.
  ConnectionObserver unwatched_;
  ConnectionObserver* observer_;
  std::unique_ptr<ClientEndpoint> client_;
  std::unique_ptr<ServerEndpoint> server_;
  std::unique_ptr<ForeignEndpoint> foreign_client_;
  std::unique_ptr<ForeignEndpoint> foreign_server_;
  absl::AnyInvocable<void()> on_done_;
  bool done_reported_ = false;
  bool stopped_ = false;
  Verdict none_;
  // After ReleaseState(): the network, and the final verdicts of the sides
  // whose endpoints were released.
  sim::Network* network_;
  sim::Address client_address_;
  sim::Address server_address_;
  std::unique_ptr<Verdict> released_client_;
  std::unique_ptr<Verdict> released_server_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_HANDSHAKE_PAIR_H_
