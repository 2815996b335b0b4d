// The run summary: pairs, confirmed, pairs per error code, each violated
// oracle, handshake-time percentiles and handshakes per CPU second.
#ifndef QUICSIM_TOOLS_QUICSIM_SUMMARY_H_
#define QUICSIM_TOOLS_QUICSIM_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scenarios/runner/seed_result.h"
#include "sim/time.h"

namespace quicsim::tools {

// Nearest-rank percentile (p in (0, 100]): the smallest value with at least
// p% of the values at or below it. Zero for no values.
sim::Duration NearestRankPercentile(std::vector<sim::Duration> values,
                                    double p);

// User + system CPU seconds this process has used (getrusage).
double ProcessCpuSeconds();

// Accumulates judged seed results.
class Summary {
 public:
  // Adds every pair of a judged seed.
  void AddSeed(const scenarios::SeedResult& result);
  void set_cpu_seconds(double seconds) { cpu_seconds_ = seconds; }
  double cpu_seconds() const { return cpu_seconds_; }

  int64_t seeds() const { return seeds_; }
  int64_t pairs() const { return pairs_; }
  // Pairs where both sides confirmed.
  int64_t confirmed() const { return confirmed_; }
  // Pairs with at least one violation.
  int64_t failing_pairs() const { return failing_pairs_; }
  // Closed pairs by error code (the closing side's code).
  const std::map<uint64_t, int64_t>& error_codes() const {
    return error_codes_;
  }
  // Pairs violating each oracle.
  const std::map<std::string, int64_t>& violations() const {
    return violations_;
  }
  // Percentile of the handshake time of confirmed pairs (the later side).
  sim::Duration HandshakeTimePercentile(double p) const;
  // Pairs run per CPU second (0 when no CPU time was recorded).
  double HandshakesPerCpuSecond() const;

  // The table printed at the end of `quicsim run`.
  std::string Render() const;

 private:
  int64_t seeds_ = 0;
  int64_t pairs_ = 0;
  int64_t confirmed_ = 0;
  int64_t failing_pairs_ = 0;
  std::map<uint64_t, int64_t> error_codes_;
  std::map<std::string, int64_t> violations_;
  std::vector<sim::Duration> handshake_times_;
  double cpu_seconds_ = 0;
};

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SUMMARY_H_
