// Cost of one QUIC-TLS handshake pair (client + server, in memory) through
// tls::Engine, against the floor: BoringSSL driven directly with two SSL
// objects in QUIC mode. Same Ed25519 certificates, X25519, reused contexts;
// with and without client chain verification. Prints engine/floor ratios
// (target: at most 1.05x).
#include <openssl/err.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "tests/bench/floor.h"
#include "tls/context.h"
#include "tls/engine.h"
#include "tls/test_pki.h"

namespace quicsim::tls {
namespace {

using bench::Chain;
using bench::MakeRaw;
using bench::RawContexts;
using bench::RawHandshake;

const std::vector<uint8_t> kClientParams(24, 1);
const std::vector<uint8_t> kServerParams(40, 2);

// ---- Engine ----

struct EngineContexts {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

EngineContexts MakeEngine(bool verify) {
  Config cc;
  cc.role = Role::kClient;
  cc.trust_anchors = {Chain().root};
  cc.verify_peer = verify;
  Config sc;
  sc.role = Role::kServer;
  sc.certificate_chain = Chain().chain;
  sc.private_key = Chain().private_key;
  return {*Context::Create(cc), *Context::Create(sc)};
}

// Pumps a's events into b; returns true if any event was seen.
bool Pump(Engine& a, Engine& b, int& done) {
  bool any = false;
  for (Event ev = a.NextEvent(); ev.kind != EventKind::kNone;
       ev = a.NextEvent()) {
    any = true;
    if (ev.kind == EventKind::kWriteData) {
      if (!b.HandleData(ev.level, ev.data).ok()) return false;
    } else if (ev.kind == EventKind::kTransportParametersRequired) {
      if (!a.SetTransportParameters(kServerParams).ok()) return false;
    } else if (ev.kind == EventKind::kHandshakeDone) {
      ++done;
    }
  }
  return any;
}

bool EngineHandshake(const EngineContexts& e, ChaChaRandom& cr,
                     ChaChaRandom& sr) {
  const Clock clock = [] { return VirtualEpoch(); };
  std::unique_ptr<Engine> c = Engine::Create(e.client.get(), &cr, clock);
  std::unique_ptr<Engine> s = Engine::Create(e.server.get(), &sr, clock);
  if (!c->SetTransportParameters(kClientParams).ok() || !s->Start().ok() ||
      !c->Start().ok()) {
    return false;
  }
  int done = 0;
  bool progress = true;
  while (progress) progress = Pump(*c, *s, done) | Pump(*s, *c, done);
  return done == 2;
}

void BM_Floor(benchmark::State& state) {
  const RawContexts r = MakeRaw(state.range(0) != 0);
  for (auto _ : state) {
    if (!RawHandshake(r)) state.SkipWithError("raw handshake failed");
  }
}

void BM_Engine(benchmark::State& state) {
  const EngineContexts e = MakeEngine(state.range(0) != 0);
  ChaChaRandom cr("bench/client"), sr("bench/server");
  for (auto _ : state) {
    if (!EngineHandshake(e, cr, sr)) state.SkipWithError("handshake failed");
  }
  if (state.range(0) != 0) {
    state.counters["verify_cache_hits"] =
        static_cast<double>(e.client->verification_cache_hits());
  }
}

BENCHMARK(BM_Floor)->ArgName("verify")->Arg(0)->Arg(1);
BENCHMARK(BM_Engine)->ArgName("verify")->Arg(0)->Arg(1);

// Records each benchmark's CPU time per iteration, then prints ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        cpu_ns_[run.benchmark_name()] = run.GetAdjustedCPUTime();
      }
    }
  }
  void PrintRatios() const {
    for (const char* arg : {"0", "1"}) {
      const std::string floor = std::string("BM_Floor/verify:") + arg;
      const std::string engine = std::string("BM_Engine/verify:") + arg;
      auto f = cpu_ns_.find(floor);
      auto e = cpu_ns_.find(engine);
      if (f == cpu_ns_.end() || e == cpu_ns_.end()) continue;
      std::printf(
          "client verification %-3s: engine %.1f us, BoringSSL floor %.1f "
          "us, ratio %.3fx (target <= 1.05x)\n",
          arg[0] == '1' ? "on" : "off", e->second / 1e3, f->second / 1e3,
          e->second / f->second);
    }
  }

 private:
  std::map<std::string, double> cpu_ns_;
};

}  // namespace
}  // namespace quicsim::tls

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  quicsim::tls::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
