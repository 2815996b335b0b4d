// quicsim: run scenario suites, replay and shrink failing traces.
//
//   quicsim run --scenario=FILE [--seeds=N] [--seed_base=S] [--pairs=M]
//               [--trace_dir=DIR] [--check_determinism]
//   quicsim replay TRACE
//   quicsim shrink TRACE [--output=PATH]
//   quicsim trace print TRACE
//
// Exit status: 0 all good, 1 a violation (or a replay that diverges),
// 2 bad input (one line on stderr).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gflags/gflags.h"
#include "scenarios/scenario_loader.h"
#include "sim/capture.h"
#include "tools/export/keylog.h"
#include "tools/export/ladder_html.h"
#include "tools/export/pcap_writer.h"
#include "tools/export/qlog_writer.h"
#include "tools/quicsim/fake_seed_runner.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/seed_filter.h"
#include "tools/quicsim/seed_runner.h"
#include "tools/quicsim/sharding.h"
#include "tools/quicsim/shrink.h"
#include "tools/quicsim/suite.h"
#include "tools/quicsim/trace_io.h"

DEFINE_string(scenario, "", "run: the scenario file (.textproto)");
DEFINE_uint64(seeds, 0, "run: number of seeds (0: the scenario's count)");
DEFINE_uint64(seed_base, 0,
              "run: first seed (default: $QUICSIM_SEED_BASE, else the "
              "scenario's base)");
DEFINE_uint32(pairs, 0, "run: pairs per seed (0: the scenario's count)");
DEFINE_string(pcap, "", "export: write BASE.sent.pcap and BASE.delivered.pcap");
DEFINE_string(keylog, "", "export: write the TLS secrets (SSLKEYLOGFILE)");
DEFINE_string(qlog, "", "export: write BASE.<connection>.sqlog (qlog 0.3)");
DEFINE_string(html, "", "export: write the ladder diagram");
DEFINE_bool(export, false,
            "run: also export pcap, keylog, qlog and ladder diagram next to "
            "each failing seed's trace");
DEFINE_string(out, "",
              "export with no other output flag: BASE for every output");
DEFINE_string(trace_dir, "",
              "run: directory for failing traces (default: "
              "$TEST_UNDECLARED_OUTPUTS_DIR under bazel test)");
DEFINE_bool(check_determinism, false,
            "run: run every seed twice and compare digests");
DEFINE_string(output, "",
              "shrink: where to write the minimal trace "
              "(default: TRACE with .min.trace)");
DEFINE_int32(max_shrink_runs, 2000, "shrink: at most this many seed runs");
DEFINE_bool(progress, true, "run: show progress on stderr");
// For tests of this binary only: simulate with FakeSeedRunner.
DEFINE_bool(testonly_fake_runner, false, "(testing) use the fake runner");

namespace quicsim::tools {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;

int BadInput(absl::string_view message) {
  std::fprintf(stderr, "quicsim: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return kExitBadInput;
}

std::unique_ptr<SeedRunner> MakeRunner() {
  if (FLAGS_testonly_fake_runner) return std::make_unique<FakeSeedRunner>();
  return MakeDefaultSeedRunner();
}

const char* GetEnv(const char* name) { return std::getenv(name); }

// quicsim export: re-runs a trace's scenario and seed (with its script, if
// shrunk) with a capture attached and writes what the flags ask for; with
// no output flag, everything under --out (default: the trace's path without
// ".trace").
int Export(const std::string& path, std::string base = FLAGS_out) {
  absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
  if (!t.ok()) return BadInput(t.status().message());
  if (base.empty()) {
    base = absl::EndsWith(path, ".trace")
               ? path.substr(0, path.size() - std::string(".trace").size())
               : path;
  }
  const bool all = FLAGS_pcap.empty() && FLAGS_keylog.empty() &&
                   FLAGS_qlog.empty() && FLAGS_html.empty();
  sim::Capture capture;
  std::vector<std::string> keylog;
  std::vector<sim::TraceEvent> events;
  RunSeedOptions options;
  options.capture = &capture;
  options.keylog = &keylog;
  options.events = &events;
  if (t->scripted()) {
    options.scripted_decisions.emplace(t->script().begin(), t->script().end());
  }
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<SeedResult> result =
      runner->RunSeed(t->scenario(), t->seed(), options);
  if (!result.ok()) return BadInput(result.status().message());
  std::vector<std::string> written;
  auto check = [&](const absl::Status& status) {
    if (!status.ok()) {
      std::fprintf(stderr, "quicsim: %s\n",
                   std::string(status.message()).c_str());
      return false;
    }
    return true;
  };
  const std::string pcap = all ? base : FLAGS_pcap;
  if (!pcap.empty()) {
    if (!check(exporter::WritePcaps(capture, pcap))) return kExitBadInput;
    written.push_back(pcap + ".sent.pcap");
    written.push_back(pcap + ".delivered.pcap");
  }
  const std::string keys = all ? base + ".keys" : FLAGS_keylog;
  if (!keys.empty()) {
    if (!check(exporter::WriteKeylog(keylog, keys))) return kExitBadInput;
    written.push_back(keys);
  }
  const std::string qlog = all ? base : FLAGS_qlog;
  if (!qlog.empty()) {
    std::vector<std::string> paths;
    if (!check(exporter::WriteQlogs(events, qlog, &paths))) {
      return kExitBadInput;
    }
    written.insert(written.end(), paths.begin(), paths.end());
  }
  const std::string html = all ? base + ".html" : FLAGS_html;
  if (!html.empty()) {
    const std::string title =
        absl::StrCat(t->scenario().name(), " seed ", t->seed());
    if (!check(exporter::WriteLadderHtml(capture, events, title, html))) {
      return kExitBadInput;
    }
    written.push_back(html);
  }
  if (result->events_digest != t->digests().events() &&
      !t->digests().events().empty()) {
    std::printf(
        "warning: this run's events digest differs from the "
        "trace's; run quicsim replay to find where\n");
  }
  for (const std::string& w : written) std::printf("wrote %s\n", w.c_str());
  return kExitOk;
}

int Run() {
  if (FLAGS_scenario.empty()) return BadInput("run needs --scenario=FILE");
  absl::StatusOr<scenarios::Scenario> scenario =
      scenarios::LoadScenarioFile(FLAGS_scenario);
  if (!scenario.ok()) return BadInput(scenario.status().message());
  if (FLAGS_pairs != 0) scenario->mutable_population()->set_pairs(FLAGS_pairs);
  SuiteOptions options;
  options.scenario_path = FLAGS_scenario;
  options.seed_count =
      FLAGS_seeds != 0 ? FLAGS_seeds : scenario->seeds().count();
  if (!gflags::GetCommandLineFlagInfoOrDie("seed_base").is_default) {
    options.seed_base = FLAGS_seed_base;
  } else {
    absl::StatusOr<uint64_t> base =
        SeedBaseFromEnv(GetEnv, scenario->seeds().base());
    if (!base.ok()) return BadInput(base.status().message());
    options.seed_base = *base;
  }
  if (options.seed_base + options.seed_count < options.seed_base) {
    return BadInput("seed base + seed count overflows 64 bits");
  }
  absl::StatusOr<ShardSpec> shard = ShardSpecFromEnv(GetEnv);
  if (!shard.ok()) return BadInput(shard.status().message());
  options.shard = *shard;
  absl::StatusOr<std::optional<std::vector<uint64_t>>> filter =
      SeedFilterFromEnv(GetEnv);
  if (!filter.ok()) return BadInput(filter.status().message());
  options.seed_list = *std::move(filter);
  options.trace_dir = FLAGS_trace_dir;
  if (options.trace_dir.empty()) {
    if (const char* d = GetEnv("TEST_UNDECLARED_OUTPUTS_DIR"); d != nullptr) {
      options.trace_dir = d;
    }
  }
  options.check_determinism = FLAGS_check_determinism;
  if (FLAGS_progress) {
    options.progress = stderr;
    options.progress_tty = isatty(fileno(stderr)) != 0;
  }
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<SuiteReport> report = RunSuite(*runner, *scenario, options);
  if (!report.ok()) return BadInput(report.status().message());
  if (absl::Status s = WriteJUnitFromEnv(GetEnv, *scenario, options, *report);
      !s.ok()) {
    return BadInput(s.message());
  }
  if (options.seed_list.has_value()) {
    std::printf("scenario %s: seeds %s (TESTBRIDGE_TEST_ONLY)",
                scenario->name().c_str(), std::getenv("TESTBRIDGE_TEST_ONLY"));
  } else {
    std::printf("scenario %s: seeds %llu..%llu", scenario->name().c_str(),
                static_cast<unsigned long long>(options.seed_base),
                static_cast<unsigned long long>(options.seed_base +
                                                options.seed_count - 1));
  }
  if (options.shard.total > 1) {
    std::printf(", shard %llu of %llu",
                static_cast<unsigned long long>(options.shard.index),
                static_cast<unsigned long long>(options.shard.total));
  }
  std::printf("\n%s", report->summary.Render().c_str());
  for (uint64_t seed : report->failing_seeds) {
    std::printf("failing seed %llu\n", static_cast<unsigned long long>(seed));
  }
  for (const std::string& path : report->trace_files) {
    std::printf("trace written: %s\n", path.c_str());
    if (FLAGS_export) {
      const std::string base = path.substr(0, path.size() - 6);  // ".trace"
      if (Export(path, base) != kExitOk) return kExitBadInput;
    }
  }
  if (!report->ok() && report->trace_files.empty()) {
    std::printf("(pass --trace_dir=DIR to keep traces of failing seeds)\n");
  }
  return report->ok() ? kExitOk : kExitViolation;
}

int Replay(const std::string& path) {
  absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<ReplayReport> report = ReplayTrace(*runner, *t);
  if (!report.ok()) return BadInput(report.status().message());
  std::printf("%s", report->text.c_str());
  return report->reproduced ? kExitOk : kExitViolation;
}

int Shrink(const std::string& path) {
  absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<ShrinkReport> report =
      ShrinkTrace(*runner, *t, FLAGS_max_shrink_runs);
  if (!report.ok()) return BadInput(report.status().message());
  std::string output = FLAGS_output;
  if (output.empty()) {
    output = absl::EndsWith(path, ".trace")
                 ? absl::StrCat(path.substr(0, path.size() - 6), ".min.trace")
                 : absl::StrCat(path, ".min");
  }
  if (absl::Status s = WriteTraceFile(output, report->minimal); !s.ok()) {
    return BadInput(s.message());
  }
  std::printf(
      "failure: %s\nnetwork decisions: %zu -> %zu (%d runs%s)\n"
      "minimal trace written: %s\n",
      report->signature.c_str(), report->original_decisions,
      report->minimal_decisions, report->runs,
      report->budget_exhausted ? ", run budget exhausted" : "", output.c_str());
  for (const trace::NetworkDecision& d : report->minimal.script()) {
    std::printf("  %s %s#%llu (%s)\n",
                trace::NetworkDecision::Action_Name(d.action()).c_str(),
                d.link().c_str(), static_cast<unsigned long long>(d.index()),
                d.reason().c_str());
  }
  return kExitOk;
}

int PrintTrace(const std::string& path) {
  absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::printf("%s", RenderTrace(*t).c_str());
  return kExitOk;
}

int Main(int argc, char** argv) {
  gflags::SetUsageMessage(
      "quicsim run --scenario=FILE | replay TRACE | shrink TRACE | export "
      "[--pcap=BASE --keylog=FILE --qlog=BASE --html=FILE | --out=BASE] "
      "TRACE | trace print TRACE");
  gflags::ParseCommandLineFlags(&argc, &argv, /*remove_flags=*/true);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    return BadInput("missing subcommand (run, replay, shrink, trace print)");
  const std::string& command = args[0];
  if (command == "run" && args.size() == 1) return Run();
  if (command == "replay" && args.size() == 2) return Replay(args[1]);
  if (command == "shrink" && args.size() == 2) return Shrink(args[1]);
  if (command == "export" && args.size() == 2) return Export(args[1]);
  if (command == "trace" && args.size() == 3 && args[1] == "print") {
    return PrintTrace(args[2]);
  }
  return BadInput(absl::StrCat("unknown or malformed command \"", command,
                               "\" (run, replay TRACE, shrink TRACE, export "
                               "TRACE, trace print TRACE)"));
}

}  // namespace
}  // namespace quicsim::tools

int main(int argc, char** argv) { return quicsim::tools::Main(argc, argv); }
