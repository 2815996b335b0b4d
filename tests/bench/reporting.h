// Google Benchmark reporting for quicsim's benchmark programs: the output
// the standard flags ask for (--benchmark_format=console|json|csv,
// --benchmark_color), plus the runs kept for the program's own summary
// table, which goes to stdout after console output and to stderr otherwise
// (so that JSON on stdout stays a single valid document for compare.py).
#ifndef QUICSIM_TESTS_BENCH_REPORTING_H_
#define QUICSIM_TESTS_BENCH_REPORTING_H_

#include <cstdio>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"

namespace quicsim::bench {

// Forwards everything to the reporter Google Benchmark's flags select and
// keeps a copy of every run.
class CollectingReporter : public benchmark::BenchmarkReporter {
 public:
  CollectingReporter();

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  // Every run reported so far, in order.
  const std::vector<Run>& runs() const { return runs_; }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  std::vector<Run> runs_;
};

// Where a program's own summary goes given its command line (call before
// benchmark::Initialize): stdout for console output, else stderr.
FILE* SummaryStream(int argc, char** argv);

}  // namespace quicsim::bench

#endif  // QUICSIM_TESTS_BENCH_REPORTING_H_
