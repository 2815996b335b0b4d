// Prefix sharing in exhaustive search, measured: schedules per CPU second
// (this process and its children) with fork() at decision points against
// re-running every schedule from the start, on the same schedule trees.
// The two strategies alternate round by round (the machines' speed wanders)
// and the figure is the median of the per-round ratios, with their spread.
// With resumption the fault window starts at the resumed handshake, so every
// schedule shares the priming handshake as its prefix.
//
//   bazel run //tests/bench/explore:explore_bench -- [ROUNDS]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
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
  std::printf("%-32s %10s %12s %12s %8s %16s\n", "search", "schedules",
              "fork sch/s", "rerun sch/s", "ratio", "[min, max]");
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
    std::vector<double> ratios, fork_rates, rerun_rates;
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
      }
      fork_rates.push_back(rate[0]);
      rerun_rates.push_back(rate[1]);
      ratios.push_back(rate[0] / rate[1]);
    }
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    std::printf("%-32s %10lld %12.0f %12.0f %7.2fx   [%.2f, %.2f]\n", c.name,
                static_cast<long long>(schedules), median(fork_rates),
                median(rerun_rates), median(ratios),
                *std::min_element(ratios.begin(), ratios.end()),
                *std::max_element(ratios.begin(), ratios.end()));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace quicsim::tools

int main(int argc, char** argv) { return quicsim::tools::Main(argc, argv); }
