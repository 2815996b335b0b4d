// Time ratios that survive a noisy machine. This VM's CPU speed wanders by
// up to 40% within a minute and other builds share its two cores, so timing
// A and then B in separate runs turns the wander into fake ratios. Here A
// and B alternate in batches of a few handshakes within one process (ABBA
// order, so neither always runs second); every round gives one ratio B/A
// of wall time and one of this thread's CPU time, and the figure is the
// median of those per-round ratios with its interquartile range.
//
//   bazel run --config=opt //tests/bench:interleaved_bench
//   ... -- --benchmark_format=json     (counters: cpu_ratio, cpu_q1, ...)
//
// Each comparison is one Google Benchmark; --benchmark_filter,
// --benchmark_min_time, --benchmark_format and --benchmark_color work as
// usual. A summary table ends the output (on stderr for json/csv).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "tests/bench/reporting.h"
#include "tests/bench/subjects.h"

namespace quicsim::bench {
namespace {

struct Comparison {
  const char* subject;   // B
  const char* baseline;  // A
  int batch;             // handshakes per batch
};

const Comparison kComparisons[] = {
    {"floor_verify", "floor", 4},       {"engine", "floor", 4},
    {"engine_verify", "floor", 4},      {"sim_pair", "floor", 4},
    {"run_pair", "floor", 4},           {"sim_pair_trace", "sim_pair", 4},
    {"sim_pair_loss", "sim_pair", 4},   {"sim_pair_nomemo", "floor_verify", 4},
    {"sim_pair_ngtcp2", "sim_pair", 2},
};

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
}

double WallSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Spent {
  double wall = 0;
  double cpu = 0;
};

Spent RunBatch(const Subject& subject, int n, bool* ok) {
  const double w0 = WallSeconds(), c0 = ThreadCpuSeconds();
  for (int i = 0; i < n; ++i) *ok = subject() && *ok;
  return {WallSeconds() - w0, ThreadCpuSeconds() - c0};
}

// The q-quantile (0..1) of `v`, linear between order statistics.
double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

void BM_Interleaved(benchmark::State& state, Comparison c) {
  Subject a = MakeSubject(c.baseline);
  Subject b = MakeSubject(c.subject);
  bool ok = true;
  // Warm-up: contexts, caches, the allocator's free lists.
  RunBatch(a, c.batch, &ok);
  RunBatch(b, c.batch, &ok);
  std::vector<double> wall, cpu;
  bool a_first = true;
  for (auto _ : state) {
    Spent sa, sb;
    if (a_first) {
      sa = RunBatch(a, c.batch, &ok);
      sb = RunBatch(b, c.batch, &ok);
    } else {
      sb = RunBatch(b, c.batch, &ok);
      sa = RunBatch(a, c.batch, &ok);
    }
    a_first = !a_first;
    if (sa.wall > 0 && sa.cpu > 0) {
      wall.push_back(sb.wall / sa.wall);
      cpu.push_back(sb.cpu / sa.cpu);
    }
  }
  // A lossy subject may fail a handshake by design; the others may not.
  if (!ok && std::string(c.subject) != "sim_pair_loss") {
    state.SkipWithError("a handshake failed");
  }
  state.counters["cpu_ratio"] = Quantile(cpu, 0.5);
  state.counters["cpu_q1"] = Quantile(cpu, 0.25);
  state.counters["cpu_q3"] = Quantile(cpu, 0.75);
  state.counters["wall_ratio"] = Quantile(wall, 0.5);
  state.counters["wall_q1"] = Quantile(wall, 0.25);
  state.counters["wall_q3"] = Quantile(wall, 0.75);
  state.counters["rounds"] = static_cast<double>(cpu.size());
  state.counters["batch"] = c.batch;
}

void PrintSummary(FILE* out, const CollectingReporter& reporter) {
  std::cout.flush();
  std::fprintf(out,
               "\n== interleaved A/B time ratios (median of per-round B/A, "
               "[q1, q3]; rounds of `batch` handshakes each)\n");
  std::fprintf(out, "%-34s %-22s %-22s %7s\n", "B/A", "cpu", "wall", "rounds");
  for (const auto& run : reporter.runs()) {
    if (run.error_occurred ||
        run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration) {
      continue;
    }
    auto get = [&](const char* k) {
      auto it = run.counters.find(k);
      return it == run.counters.end() ? 0.0 : it->second.value;
    };
    std::string name = run.benchmark_name();
    name = name.substr(name.find('/') + 1);
    name = name.substr(0, name.find('/'));
    std::fprintf(out, "%-34s %-22s %-22s %7.0f\n", name.c_str(),
                 absl::StrFormat("%.3f [%.3f, %.3f]", get("cpu_ratio"),
                                 get("cpu_q1"), get("cpu_q3"))
                     .c_str(),
                 absl::StrFormat("%.3f [%.3f, %.3f]", get("wall_ratio"),
                                 get("wall_q1"), get("wall_q3"))
                     .c_str(),
                 get("rounds"));
  }
}

}  // namespace
}  // namespace quicsim::bench

int main(int argc, char** argv) {
  using quicsim::bench::Comparison;
  FILE* summary = quicsim::bench::SummaryStream(argc, argv);
  for (const Comparison& c : quicsim::bench::kComparisons) {
    benchmark::RegisterBenchmark(
        absl::StrFormat("BM_Interleaved/%s:%s", c.subject, c.baseline).c_str(),
        quicsim::bench::BM_Interleaved, c)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  quicsim::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  quicsim::bench::PrintSummary(summary, reporter);
  benchmark::Shutdown();
  return 0;
}
