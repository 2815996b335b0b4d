// The handshake pairs quicsim's benchmarks measure, as plain callables so
// that Google Benchmark loops, the interleaved A/B timer and the
// instruction-count driver all run exactly the same code:
//   floor          BoringSSL alone, no chain verification (the floor)
//   floor_verify   the floor with client chain verification
//   engine         a pair through tls::Engine, no chain verification
//   engine_verify  the same with chain verification (memoized per context)
//   sim_pair       a complete simulated pair on a clean 10 ms link (chain
//                  verification memoized, trace off)
//   sim_pair_trace the same with trace recording on (digest only)
//   sim_pair_loss  the same under 30% Bernoulli loss each way
//   sim_pair_nomemo  the chain verified in full on every handshake
//   sim_pair_ngtcp2  our client against an ngtcp2 + GnuTLS server
//   run_pair       one seed of a one-pair clean scenario through the
//                  scenario runner, as `quicsim run` runs it (oracles,
//                  verdicts, trace digest on)
#ifndef QUICSIM_TESTS_BENCH_SUBJECTS_H_
#define QUICSIM_TESTS_BENCH_SUBJECTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "endpoints/handshake_pair.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/context.h"

namespace quicsim::bench {

// Client and server contexts shared by every simulated pair.
struct SimContexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
};

// Contexts with chain verification on; `memoize`: the chain's verdict is
// cached per context (else verified in full every time). Built once.
const SimContexts& GetSimContexts(bool memoize = true);

// One simulated world: a scheduler, a network with one link per direction
// (shared by every pair) and the pairs on it.
class BenchWorld {
 public:
  BenchWorld(uint64_t seed, const sim::LinkConfig& link, bool trace,
             const SimContexts& contexts = GetSimContexts());

  // Bernoulli loss `p` on both links.
  void AddLoss(double p);
  // Creates pair number `i` (distinct addresses for up to 2^24 pairs);
  // `ngtcp2_server`: the server side is ngtcp2 + GnuTLS.
  endpoints::HandshakePair* AddPair(uint32_t i, bool ngtcp2_server = false);
  // Runs until idle (10^9 events or 600 virtual seconds at most).
  sim::RunResult Run();
  // Pairs whose both sides confirmed the handshake.
  size_t Confirmed() const;

  sim::Scheduler& scheduler() { return scheduler_; }
  size_t done() const { return done_; }
  uint64_t trace_count() const { return trace_.count(); }

 private:
  uint64_t seed_;
  const SimContexts& contexts_;
  sim::Scheduler scheduler_;
  sim::TraceRecorder trace_;
  sim::Network network_;
  sim::Link* c2s_;
  sim::Link* s2c_;
  size_t done_ = 0;
  std::vector<std::unique_ptr<endpoints::HandshakePair>> pairs_;
};

// A 10 ms link with no impairment.
sim::LinkConfig CleanLink();

// Runs one handshake pair per call; true when both sides confirmed.
using Subject = std::function<bool()>;

// The subject named `name` (see the file comment), or an empty function.
Subject MakeSubject(const std::string& name);

// Every name MakeSubject knows.
const std::vector<std::string>& SubjectNames();

}  // namespace quicsim::bench

#endif  // QUICSIM_TESTS_BENCH_SUBJECTS_H_
