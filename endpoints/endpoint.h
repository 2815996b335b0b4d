// The network-facing side of a simulated QUIC endpoint: a ClientEndpoint owns
// one client Connection at its address; a ServerEndpoint answers what needs
// no connection state (Version Negotiation, Retry with an address-validation
// token, RFC 9000 §8.1.2) and creates its server Connection on the first
// acceptable Initial.
#ifndef QUICSIM_ENDPOINTS_ENDPOINT_H_
#define QUICSIM_ENDPOINTS_ENDPOINT_H_

#include <memory>
#include <string>

#include "endpoints/connection.h"
#include "endpoints/trace_text.h"
#include "sim/network.h"

namespace quicsim::endpoints {

// A client endpoint: receives datagrams at options.local for its connection.
class ClientEndpoint : public sim::DatagramReceiver {
 public:
  ClientEndpoint(ConnectionOptions options, sim::Scheduler* scheduler,
                 sim::Network* network, uint64_t rng_seed, std::string actor,
                 sim::TraceSink* trace, ConnectionObserver* observer);
  ~ClientEndpoint() override;

  // Registers the address and starts the handshake.
  absl::Status Start();
  void OnDatagram(sim::Datagram datagram) override;
  Connection& connection() { return connection_; }
  const Connection& connection() const { return connection_; }
  // True while the address is registered with the network.
  bool registered() const { return registered_; }

 private:
  sim::Network* network_;
  sim::Address address_;
  Connection connection_;
  bool registered_ = false;
};

// Server-side options beyond the connection's.
struct ServerEndpointOptions {
  ConnectionOptions connection;
  // Require an address-validation token: answer a token-less Initial with a
  // Retry (RFC 9000 §8.1.2).
  bool retry = false;
};

// A server endpoint serving one connection; see the file comment.
class ServerEndpoint : public sim::DatagramReceiver {
 public:
  ServerEndpoint(ServerEndpointOptions options, sim::Scheduler* scheduler,
                 sim::Network* network, uint64_t rng_seed, std::string actor,
                 sim::TraceSink* trace, ConnectionObserver* observer);
  ~ServerEndpoint() override;

  // Registers the address.
  absl::Status Start();
  void OnDatagram(sim::Datagram datagram) override;
  // The connection, once created (null before the first valid Initial).
  Connection* connection() { return connection_.get(); }
  const Connection* connection() const { return connection_.get(); }
  // True while the address is registered with the network.
  bool registered() const { return registered_; }
  // Called when the connection is created (e.g. to hook its on_done).
  void set_on_connection(absl::AnyInvocable<void(Connection*)> cb) {
    on_connection_ = std::move(cb);
  }
  uint64_t retries_sent() const { return retries_sent_; }
  uint64_t version_negotiations_sent() const { return vn_sent_; }

 private:
  // What a Retry token carries.
  struct TokenContents {
    ConnectionId original_dcid;  // the client's first DCID
    ConnectionId retry_scid;     // the SCID of the Retry that carried it
  };
  std::vector<uint8_t> MakeToken(const ConnectionId& original_dcid,
                                 const ConnectionId& retry_scid,
                                 const sim::Address& client) const;
  // The token's contents, if it is authentic and was issued to `client`.
  std::optional<TokenContents> ValidateToken(absl::Span<const uint8_t> token,
                                             const sim::Address& client) const;
  void Drop(const char* reason, size_t size);
  void Send(const sim::Address& to, std::vector<uint8_t> payload,
            const char* what);

  ServerEndpointOptions options_;
  sim::Scheduler* scheduler_;
  sim::Network* network_;
  uint64_t rng_seed_;
  std::string actor_;
  sim::TraceSink* trace_;
  // The endpoint's own events (drops, stateless packets), under `actor_`.
  TextTracer tracer_;
  ConnectionObserver* observer_;
  sim::Rng rng_;
  std::unique_ptr<Connection> connection_;
  absl::AnyInvocable<void(Connection*)> on_connection_;
  bool registered_ = false;
  uint64_t retries_sent_ = 0;
  uint64_t vn_sent_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_ENDPOINT_H_
