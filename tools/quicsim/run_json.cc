#include "tools/quicsim/run_json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/export/json.h"
#include "tools/export/protocol_names.h"

namespace quicsim::tools {
namespace {

using exporter::JsonQuote;

std::string Strings(const std::vector<std::string>& list) {
  return absl::StrCat("[",
                      absl::StrJoin(list, ",",
                                    [](std::string* out, const std::string& s) {
                                      out->append(JsonQuote(s));
                                    }),
                      "]");
}

// A finite JSON number with three decimals.
std::string Number(double x) {
  if (!(x == x) || x > 1e300 || x < -1e300) return "0";
  return absl::StrFormat("%.3f", x);
}

}  // namespace

std::string RunReportJson(const scenarios::Scenario& scenario,
                          const SuiteOptions& options,
                          const SuiteReport& report,
                          const RunJsonExtras& extras) {
  const Summary& s = report.summary;
  std::string out = absl::StrCat(
      "{\"scenario\":", JsonQuote(scenario.name()),
      ",\"scenario_path\":", JsonQuote(options.scenario_path), ",\"seeds\":");
  if (options.seed_list.has_value()) {
    absl::StrAppend(&out, "{\"filter\":", JsonQuote(extras.seed_filter), "}");
  } else {
    absl::StrAppend(&out, "{\"base\":", options.seed_base,
                    ",\"count\":", options.seed_count, "}");
  }
  absl::StrAppend(&out, ",\"shard\":{\"index\":", options.shard.index,
                  ",\"total\":", options.shard.total,
                  "},\"seeds_run\":", report.seeds_run,
                  ",\"pairs\":", s.pairs(), ",\"confirmed\":", s.confirmed(),
                  ",\"failing_pairs\":", s.failing_pairs(), ",\"closed\":[");
  bool first = true;
  for (const auto& [code, pairs] : s.error_codes()) {
    absl::StrAppend(&out, first ? "" : ",", "{\"code\":", code,
                    ",\"hex\":", JsonQuote(absl::StrFormat("0x%x", code)),
                    ",\"name\":", JsonQuote(exporter::TransportErrorName(code)),
                    ",\"pairs\":", pairs, "}");
    first = false;
  }
  absl::StrAppend(&out, "],\"violations\":{");
  first = true;
  for (const auto& [oracle, pairs] : s.violations()) {
    absl::StrAppend(&out, first ? "" : ",", JsonQuote(oracle), ":", pairs);
    first = false;
  }
  absl::StrAppend(&out, "},\"handshake_time_ms\":");
  if (s.confirmed() > 0) {
    auto ms = [&](double p) {
      return exporter::JsonMillis(s.HandshakeTimePercentile(p).nanos());
    };
    absl::StrAppend(&out, "{\"p50\":", ms(50), ",\"p90\":", ms(90),
                    ",\"p99\":", ms(99), ",\"max\":", ms(100), "}");
  } else {
    absl::StrAppend(&out, "null");
  }
  std::vector<std::string> failing;
  for (uint64_t seed : report.failing_seeds) {
    failing.push_back(absl::StrCat(seed));
  }
  absl::StrAppend(
      &out, ",\"cpu_seconds\":", Number(s.cpu_seconds()),
      ",\"handshakes_per_cpu_second\":", Number(s.HandshakesPerCpuSecond()),
      ",\"result\":", report.ok() ? "\"PASS\"" : "\"FAIL\"",
      ",\"failing_seed_count\":", report.failing_seed_count,
      ",\"failing_seeds\":[", absl::StrJoin(failing, ","),
      "],\"traces\":", Strings(report.trace_files),
      ",\"traces_skipped\":", report.traces_skipped,
      ",\"exported\":", Strings(extras.exported),
      ",\"not_written\":", Strings(extras.not_written),
      ",\"exit_code\":", extras.exit_code, "}");
  return out;
}

}  // namespace quicsim::tools
