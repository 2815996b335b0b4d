// Test fixture for handshakes between our endpoints (testonly): a scheduler,
// a trace recorder, a network with one link per direction ("c2s", "s2c",
// 10 ms each way unless told otherwise) and any number of HandshakePairs on
// it, each watched by its own PairOracle, with TLS contexts from the
// deterministic test PKI. It replaces the pair set-ups tests, the exporters'
// scenarios and benchmarks used to write by hand.
#ifndef QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_
#define QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "endpoints/handshake_pair.h"
#include "scenarios/oracles/pair_oracle.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/config.h"
#include "tls/context.h"

namespace quicsim::scenarios::testing {

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
// client answers session events itself).
struct TlsContexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
};

// Builds contexts from the test PKI (chains cached per shape); dies on a
// PKI or context error, which only a broken build can cause.
TlsContexts MakeTlsContexts(const TlsOptions& options = {});

// One network of pairs; see the file comment.
class PairFixture {
 public:
  struct Options {
    uint64_t seed = 1;
    // Both links' configuration (default: 10 ms delay).
    sim::LinkConfig link = DefaultLink();
    // Keep every trace event (trace().events()).
    bool keep_events = true;
  };
  static sim::LinkConfig DefaultLink();
  // Pair number `i`'s addresses: 10.0.0.1:40000+i and 10.0.1.1:443+i.
  static sim::Address ClientAddress(int i);
  static sim::Address ServerAddress(int i);

  PairFixture();
  explicit PairFixture(Options options);
  ~PairFixture();
  PairFixture(const PairFixture&) = delete;
  PairFixture& operator=(const PairFixture&) = delete;

  // Adds pair number N (named "pair/N", at ClientAddress(N) and
  // ServerAddress(N)) over c2s/s2c, lets `edit` change its options, and starts
  // it; it stops itself once done. Returns nullptr (with the status in
  // start_status()) when Start() fails.
  endpoints::HandshakePair* AddPair(
      const TlsContexts& contexts,
      absl::AnyInvocable<void(endpoints::HandshakePairOptions&)> edit =
          nullptr);

  // Runs until idle or `limit` of virtual time (5,000,000 events at most).
  sim::RunResult Run(sim::Duration limit = sim::Duration::Seconds(120));

  // The oracle watching `pair` (one of this fixture's).
  const oracles::PairOracle& oracle(const endpoints::HandshakePair* pair) const;
  // Pair number `i`.
  endpoints::HandshakePair* pair(int i) { return pairs_[i].pair.get(); }
  int pair_count() const { return static_cast<int>(pairs_.size()); }
  const absl::Status& start_status() const { return start_status_; }

  sim::Scheduler& scheduler() { return scheduler_; }
  sim::TraceRecorder& trace() { return trace_; }
  sim::Network& network() { return network_; }
  sim::Link* c2s() { return c2s_; }
  sim::Link* s2c() { return s2c_; }

 private:
  struct Slot {
    std::unique_ptr<oracles::PairOracle> oracle;
    std::unique_ptr<endpoints::HandshakePair> pair;
  };

  uint64_t seed_;
  sim::Scheduler scheduler_;
  sim::TraceRecorder trace_;
  sim::Network network_;
  sim::Link* c2s_;
  sim::Link* s2c_;
  std::vector<Slot> pairs_;
  absl::Status start_status_;
};

}  // namespace quicsim::scenarios::testing

#endif  // QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_
