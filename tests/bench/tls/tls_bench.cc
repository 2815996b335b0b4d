// Cost of one QUIC-TLS handshake pair (client + server, in memory) through
// tls::Engine, against the floor: BoringSSL driven directly with two SSL
// objects in QUIC mode. Same Ed25519 certificates, X25519, reused contexts;
// with and without client chain verification (memoized by the engine).
// Prints engine/floor ratios from separate runs (noisy; see
// tests/bench:interleaved_bench for interleaved ratios), on stderr when
// --benchmark_format is json or csv.
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "benchmark/benchmark.h"
#include "tests/bench/reporting.h"
#include "tests/bench/subjects.h"

namespace quicsim::bench {
namespace {

void BM_Floor(benchmark::State& state) {
  Subject floor = MakeSubject(state.range(0) != 0 ? "floor_verify" : "floor");
  for (auto _ : state) {
    if (!floor()) state.SkipWithError("raw handshake failed");
  }
}

void BM_Engine(benchmark::State& state) {
  Subject engine =
      MakeSubject(state.range(0) != 0 ? "engine_verify" : "engine");
  for (auto _ : state) {
    if (!engine()) state.SkipWithError("handshake failed");
  }
}

BENCHMARK(BM_Floor)->ArgName("verify")->Arg(0)->Arg(1);
BENCHMARK(BM_Engine)->ArgName("verify")->Arg(0)->Arg(1);

void PrintRatios(FILE* out, const CollectingReporter& reporter) {
  std::map<std::string, double> cpu_ns;
  for (const auto& run : reporter.runs()) {
    if (run.run_type == benchmark::BenchmarkReporter::Run::RT_Iteration &&
        !run.error_occurred) {
      cpu_ns[run.benchmark_name()] = run.GetAdjustedCPUTime();
    }
  }
  std::cout.flush();
  for (const char* arg : {"0", "1"}) {
    auto f = cpu_ns.find(std::string("BM_Floor/verify:") + arg);
    auto e = cpu_ns.find(std::string("BM_Engine/verify:") + arg);
    if (f == cpu_ns.end() || e == cpu_ns.end()) continue;
    std::fprintf(out,
                 "client verification %-3s: engine %.1f us, BoringSSL floor "
                 "%.1f us, ratio %.3fx (target <= 1.02x)\n",
                 arg[0] == '1' ? "on" : "off", e->second / 1e3, f->second / 1e3,
                 e->second / f->second);
  }
}

}  // namespace
}  // namespace quicsim::bench

int main(int argc, char** argv) {
  FILE* summary = quicsim::bench::SummaryStream(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  quicsim::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  quicsim::bench::PrintRatios(summary, reporter);
  benchmark::Shutdown();
  return 0;
}
