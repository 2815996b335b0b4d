// Prefix sharing in exhaustive search, measured: schedules per CPU second
// (this process and its children) with fork() at decision points against
// re-running every schedule from the start, on the same schedule trees.
// The two strategies alternate round by round (the machines' speed wanders)
// and the figure is the median of the per-round ratios, with their spread.
// With resumption the fault window starts at the resumed handshake, so every
// schedule shares the priming handshake as its prefix.
// It ends with the price of fork() itself in this process: a bare
// fork+_exit+waitpid, and one whose child and parent each write 100 heap
// pages (a child's copy-on-write faults), against the CPU cost of one
// re-run schedule. No schedule can cost less than a fork, so re-run cost /
// fork cost bounds what prefix sharing by fork() can gain here.
// The "ideal" column bounds any prefix sharing, a free snapshot of the world
// included: the re-run search's CPU over the part of it that no sharing can
// avoid, each schedule's run from its last fault on (and the fault-free
// schedule's whole run).
//
//   bazel run //tests/bench/explore:explore_bench -- [ROUNDS]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "tools/quicsim/explore.h"

namespace quicsim::tools {
namespace {

struct Case {
  const char* name;
  const char* extra;  // appended to a clean base
  int k;
  int n;
};

// CPU seconds (this process and its children) per fork()+_exit()+waitpid()
// of this process, with `pages` heap pages written by the child and then by
// the parent (copy-on-write faults on both sides).
double ForkCostMicros(int forks, int pages) {
  std::vector<char> heap(static_cast<size_t>(pages + 1) * 4096, 1);
  const double start = CpuSecondsWithChildren();
  for (int i = 0; i < forks; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      for (int p = 0; p < pages; ++p) heap[static_cast<size_t>(p) * 4096] = 2;
      _exit(0);
    }
    if (pid < 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    for (int p = 0; p < pages; ++p) heap[static_cast<size_t>(p) * 4096] = 3;
  }
  return (CpuSecondsWithChildren() - start) / forks * 1e6;
}

int MappedRegions() {
  std::ifstream maps("/proc/self/maps");
  int n = 0;
  for (std::string line; std::getline(maps, line);) ++n;
  return n;
}

int Main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const Case cases[] = {
      {"clean K=2 N=8", "", 2, 8},
      {"clean K=3 N=8", "", 3, 8},
      {"retry K=2 N=8", "server { retry: true }", 2, 8},
      {"0-RTT K=2 N=8",
       "client { resumption { enabled: true zero_rtt: true } } "
       "server { resumption { enabled: true zero_rtt: true } }",
       2, 8},
      {"0-RTT K=3 N=8",
       "client { resumption { enabled: true zero_rtt: true } } "
       "server { resumption { enabled: true zero_rtt: true } }",
       3, 8},
      {"P-256, 4 certs, Retry K=2 N=8",
       "server { retry: true certificate { key_type: P256 chain_length: 4 } "
       "}",
       2, 8},
  };
  std::unique_ptr<scenarios::SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  double rerun_micros = 0;  // one re-run schedule of the first case
  std::printf("%-32s %10s %12s %12s %8s %16s %8s\n", "search", "schedules",
              "fork sch/s", "rerun sch/s", "ratio", "[min, max]", "ideal");
  for (const Case& c : cases) {
    absl::StatusOr<scenarios::Scenario> s = scenarios::ParseScenario(
        absl::StrCat("name: \"bench\" network { client_to_server { delay: "
                     "\"10ms\" } server_to_client { delay: \"10ms\" } } "
                     "population { pairs: 1 } seeds { count: 1 base: 1 } "
                     "expect { outcome: CONFIRMED } ",
                     c.extra),
        "explore_bench");
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
      return 2;
    }
    std::vector<double> ratios, fork_rates, rerun_rates, ideal;
    int64_t schedules = 0;
    for (int r = 0; r < rounds; ++r) {
      double rate[2];
      for (int strategy = 0; strategy < 2; ++strategy) {
        ExhaustiveOptions o;
        o.max_faults = c.k;
        o.first_datagrams = c.n;
        o.prefix_sharing = strategy == 0;
        o.skip_priming = s->client().resumption().enabled();
        absl::StatusOr<ExhaustiveReport> report =
            ExploreExhaustive(*runner, *s, 1, o);
        if (!report.ok()) return 2;
        schedules = report->schedules;
        rate[strategy] = report->schedules / report->cpu_seconds;
        if (strategy == 1 && report->suffix_cpu_seconds > 0) {
          ideal.push_back(report->cpu_seconds / report->suffix_cpu_seconds);
        }
      }
      fork_rates.push_back(rate[0]);
      rerun_rates.push_back(rate[1]);
      ratios.push_back(rate[0] / rate[1]);
    }
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    std::printf("%-32s %10lld %12.0f %12.0f %7.2fx   [%.2f, %.2f] %7.2fx\n",
                c.name, static_cast<long long>(schedules), median(fork_rates),
                median(rerun_rates), median(ratios),
                *std::min_element(ratios.begin(), ratios.end()),
                *std::max_element(ratios.begin(), ratios.end()),
                ideal.empty() ? 0.0 : median(ideal));
    std::fflush(stdout);
    if (rerun_micros == 0) rerun_micros = 1e6 / median(rerun_rates);
  }
  std::vector<double> bare, written;
  for (int r = 0; r < rounds; ++r) {
    bare.push_back(ForkCostMicros(200, 0));
    written.push_back(ForkCostMicros(200, 100));
  }
  std::sort(bare.begin(), bare.end());
  std::sort(written.begin(), written.end());
  const double fork_micros = bare[bare.size() / 2];
  std::printf(
      "fork+exit+wait of this process (%d mapped regions): %.0f us CPU; "
      "with 100 pages written on each side: %.0f us\n",
      MappedRegions(), fork_micros, written[written.size() / 2]);
  const double written_micros = written[written.size() / 2];
  std::printf(
      "one re-run schedule (%s): %.0f us CPU; a fork search of it is at most "
      "%.2fx faster with a bare fork and a free suffix, %.2fx with 100 pages "
      "written (a child of that search writes about 130)\n",
      cases[0].name, rerun_micros, rerun_micros / fork_micros,
      rerun_micros / written_micros);
  return 0;
}

}  // namespace
}  // namespace quicsim::tools

int main(int argc, char** argv) { return quicsim::tools::Main(argc, argv); }
