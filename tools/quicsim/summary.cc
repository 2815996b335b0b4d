#include "tools/quicsim/summary.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace quicsim::tools {

using scenarios::OracleViolation;
using scenarios::PairResult;
using scenarios::SeedResult;
using scenarios::VerdictKind;

sim::Duration NearestRankPercentile(std::vector<sim::Duration> values,
                                    double p) {
  if (values.empty()) return sim::Duration::Zero();
  std::sort(values.begin(), values.end());
  const double exact = p / 100.0 * static_cast<double>(values.size());
  // Guard against 0.9 * 10 = 9.000000000000002 rounding up to 10.
  size_t rank = static_cast<size_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

double ProcessCpuSeconds() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void Summary::AddSeed(const SeedResult& result) {
  ++seeds_;
  for (const PairResult& pair : result.pairs) {
    ++pairs_;
    if (pair.client.kind == VerdictKind::kConfirmed &&
        pair.server.kind == VerdictKind::kConfirmed) {
      ++confirmed_;
      handshake_times_.push_back(
          std::max(pair.client.handshake_time, pair.server.handshake_time));
    } else if (pair.client.kind == VerdictKind::kClosedSent ||
               (pair.client.closed() && !pair.server.closed())) {
      ++error_codes_[pair.client.error_code];
    } else if (pair.server.closed()) {
      ++error_codes_[pair.server.error_code];
    }
    if (!pair.violations.empty()) ++failing_pairs_;
    std::set<std::string> oracles;
    for (const OracleViolation& v : pair.violations) oracles.insert(v.oracle);
    for (const std::string& o : oracles) ++violations_[o];
  }
}

sim::Duration Summary::HandshakeTimePercentile(double p) const {
  return NearestRankPercentile(handshake_times_, p);
}

double Summary::HandshakesPerCpuSecond() const {
  return cpu_seconds_ > 0 ? static_cast<double>(pairs_) / cpu_seconds_ : 0;
}

std::string Summary::Render() const {
  std::string out;
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "seeds", seeds_));
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "pairs", pairs_));
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "confirmed", confirmed_));
  for (const auto& [code, count] : error_codes_) {
    absl::StrAppend(
        &out, absl::StrFormat("%-28s %d\n",
                              absl::StrFormat("closed 0x%x", code), count));
  }
  for (const auto& [oracle, count] : violations_) {
    absl::StrAppend(
        &out, absl::StrFormat("%-28s %d\n", absl::StrCat("VIOLATED ", oracle),
                              count));
  }
  if (!handshake_times_.empty()) {
    absl::StrAppend(&out,
                    absl::StrFormat("%-28s p50 %s  p90 %s  p99 %s  max %s\n",
                                    "handshake time (virtual)",
                                    HandshakeTimePercentile(50).ToString(),
                                    HandshakeTimePercentile(90).ToString(),
                                    HandshakeTimePercentile(99).ToString(),
                                    HandshakeTimePercentile(100).ToString()));
  }
  if (cpu_seconds_ > 0) {
    absl::StrAppend(&out,
                    absl::StrFormat("%-28s %.0f (%.3f CPU s)\n",
                                    "handshakes per CPU second",
                                    HandshakesPerCpuSecond(), cpu_seconds_));
  }
  absl::StrAppend(&out, failing_pairs_ == 0
                            ? "result                       PASS\n"
                            : absl::StrFormat("%-28s FAIL (%d pairs)\n",
                                              "result", failing_pairs_));
  return out;
}

}  // namespace quicsim::tools
