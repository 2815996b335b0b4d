// Test fixture for handshakes between our endpoints (testonly): the pair
// world of endpoints/testing/pair_world.h (a scheduler, a trace recorder, a
// network with links "c2s" and "s2c", 10 ms each way unless told otherwise,
// TLS contexts from the deterministic test PKI) with every HandshakePair on
// it watched by its own PairOracle.
#ifndef QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_
#define QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_

#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/testing/pair_world.h"
#include "scenarios/oracles/pair_oracle.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace quicsim::scenarios::testing {

using endpoints::testing::MakeTlsContexts;
using endpoints::testing::TlsContexts;
using endpoints::testing::TlsOptions;

// One network of pairs; see the file comment.
class PairFixture {
 public:
  using Options = endpoints::testing::PairWorld::Options;
  static sim::LinkConfig DefaultLink() {
    return endpoints::testing::PairWorld::DefaultLink();
  }
  // Pair number `i`'s addresses: 10.0.0.1:40000+i and 10.0.1.1:443+i.
  static sim::Address ClientAddress(int i) {
    return endpoints::testing::PairWorld::ClientAddress(i);
  }
  static sim::Address ServerAddress(int i) {
    return endpoints::testing::PairWorld::ServerAddress(i);
  }

  PairFixture();
  explicit PairFixture(Options options);
  ~PairFixture();
  PairFixture(const PairFixture&) = delete;
  PairFixture& operator=(const PairFixture&) = delete;

  // Adds pair number N (named "pair/N", at ClientAddress(N) and
  // ServerAddress(N)) over c2s/s2c, watched by a new oracle, lets `edit`
  // change its options, and starts it; it stops itself once done. Returns
  // nullptr (with the status in start_status()) when Start() fails.
  endpoints::HandshakePair* AddPair(
      const TlsContexts& contexts,
      absl::AnyInvocable<void(endpoints::HandshakePairOptions&)> edit =
          nullptr);

  // Runs until idle or `limit` of virtual time (5,000,000 events at most).
  sim::RunResult Run(sim::Duration limit = sim::Duration::Seconds(120)) {
    return world_.Run(limit);
  }

  // The oracle watching `pair` (one of this fixture's).
  const oracles::PairOracle& oracle(const endpoints::HandshakePair* pair) const;
  // Pair number `i`.
  endpoints::HandshakePair* pair(int i) { return world_.pair(i); }
  int pair_count() const { return world_.pair_count(); }
  const absl::Status& start_status() const { return world_.start_status(); }

  endpoints::testing::PairWorld& world() { return world_; }
  sim::Scheduler& scheduler() { return world_.scheduler(); }
  sim::TraceRecorder& trace() { return world_.trace(); }
  sim::Network& network() { return world_.network(); }
  sim::Link* c2s() { return world_.c2s(); }
  sim::Link* s2c() { return world_.s2c(); }

 private:
  // oracles_[i] watches pair(i); declared first so that the pairs (in
  // world_) go before the oracles they report to.
  std::vector<std::unique_ptr<oracles::PairOracle>> oracles_;
  endpoints::testing::PairWorld world_;
};

}  // namespace quicsim::scenarios::testing

#endif  // QUICSIM_SCENARIOS_TESTING_PAIR_FIXTURE_H_
