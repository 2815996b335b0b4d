// Test helper for pairs of our endpoints (testonly): a scheduler, a trace
// recorder, a network with one link per direction ("c2s", "s2c", 10 ms each
// way unless told otherwise), TLS contexts from the deterministic test PKI,
// the options of pair number N at fixed addresses, and HandshakePairs built
// from them. It is the one place tests, fuzzers and the scenarios' pair
// fixture (scenarios/testing/pair_fixture.h, which adds an oracle per pair)
// set up pairs; it lives here so that endpoints' own tests can use it.
#ifndef QUICSIM_ENDPOINTS_TESTING_PAIR_WORLD_H_
#define QUICSIM_ENDPOINTS_TESTING_PAIR_WORLD_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "endpoints/handshake_pair.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/config.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::endpoints::testing {

// What the two TLS contexts of a pair are made of.
struct TlsOptions {
  int chain_length = 2;
  // Pads the leaf certificate to about this size (0: natural size).
  size_t cert_size = 0;
  bool enable_0rtt = false;
  tls::FaultInjection client_faults;
  tls::FaultInjection server_faults;
};

// A client and a server context (the client trusts the server's chain; the
// client answers session events itself), and the chain they use (for a
// foreign side of the pair).
struct TlsContexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
  const tls::TestChain* chain = nullptr;  // cached, lives forever
};

// The test PKI's chain of that shape (cached); dies on a PKI error, which
// only a broken build can cause.
const tls::TestChain& TestChainOf(int chain_length = 2, size_t cert_size = 0);

// Builds contexts from the test PKI; dies on a context error.
TlsContexts MakeTlsContexts(const TlsOptions& options = {});

// One network for pairs; see the file comment.
class PairWorld {
 public:
  struct Options {
    uint64_t seed = 1;
    // Both links' configuration (default: 10 ms delay).
    sim::LinkConfig link = DefaultLink();
    // Keep every trace event (trace().events()).
    bool keep_events = true;
    // Record a trace at all; false gives the network no trace sink (what a
    // fuzzer wants: nothing to render per event).
    bool record_trace = true;
  };
  static sim::LinkConfig DefaultLink();
  // Pair number `i`'s addresses: 10.0.0.1:40000+i and 10.0.1.1:443+i.
  static sim::Address ClientAddress(int i);
  static sim::Address ServerAddress(int i);

  PairWorld();
  explicit PairWorld(Options options);
  ~PairWorld();
  PairWorld(const PairWorld&) = delete;
  PairWorld& operator=(const PairWorld&) = delete;

  // The options of pair number `i`: `contexts`, each side's perspective,
  // ClientAddress(i) and ServerAddress(i) (as local and peer) and the c2s
  // and s2c links; no observer.
  HandshakePairOptions PairOptions(const TlsContexts& contexts, int i);
  // The routes `options` needs between its two addresses over its links
  // (what HandshakePair adds itself), for tests that build the endpoints
  // without a HandshakePair.
  void AddRoutes(const HandshakePairOptions& options);

  // Builds pair number N = pair_count() (named "pair/N", on this world's
  // seed) from `options`, makes it stop itself once done and starts it.
  // Returns nullptr (with the status in start_status()) when Start() fails.
  HandshakePair* AddPair(HandshakePairOptions options);

  // Runs until idle or `limit` of virtual time (5,000,000 events at most).
  sim::RunResult Run(sim::Duration limit = sim::Duration::Seconds(120));

  HandshakePair* pair(int i) { return pairs_[i].get(); }
  const HandshakePair* pair(int i) const { return pairs_[i].get(); }
  int pair_count() const { return static_cast<int>(pairs_.size()); }
  const absl::Status& start_status() const { return start_status_; }
  uint64_t seed() const { return seed_; }

  sim::Scheduler& scheduler() { return scheduler_; }
  sim::TraceRecorder& trace() { return trace_; }
  sim::Network& network() { return network_; }
  sim::Link* c2s() { return c2s_; }
  sim::Link* s2c() { return s2c_; }

 private:
  uint64_t seed_;
  bool record_trace_;
  sim::Scheduler scheduler_;
  sim::TraceRecorder trace_;
  sim::Network network_;
  sim::Link* c2s_;
  sim::Link* s2c_;
  std::vector<std::unique_ptr<HandshakePair>> pairs_;
  absl::Status start_status_;
};

}  // namespace quicsim::endpoints::testing

#endif  // QUICSIM_ENDPOINTS_TESTING_PAIR_WORLD_H_
