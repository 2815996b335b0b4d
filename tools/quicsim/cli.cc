// quicsim: run scenario suites, replay and shrink failing traces.
//
//   quicsim run --scenario=FILE [--seeds=N] [--seed_base=S] [--pairs=M]
//               [--trace_dir=DIR] [--check_determinism]
//   quicsim replay TRACE
//   quicsim shrink TRACE [--output=PATH]
//   quicsim export [--pcap=BASE --keylog=FILE --qlog=BASE --html=FILE |
//                   --out=BASE] TRACE
//   quicsim trace print TRACE
//   quicsim explore --mode=exhaustive|swarm --scenario=FILE ...
//     (tools/quicsim/explore_command.cc)
//   quicsim --help | COMMAND --help | --version
//
// Exit status: 0 all good, 1 a violation (or a replay that diverges),
// 2 bad input (one line on stderr), including bad and unknown flags.
#include "tools/quicsim/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gflags/gflags.h"
#include "google/protobuf/stubs/logging.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "sim/capture.h"
#include "tools/export/keylog.h"
#include "tools/export/ladder_html.h"
#include "tools/export/pcap_writer.h"
#include "tools/export/qlog_writer.h"
#include "tools/quicsim/explore_command.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/run_json.h"
#include "tools/quicsim/seed_filter.h"
#include "tools/quicsim/sharding.h"
#include "tools/quicsim/shrink.h"
#include "tools/quicsim/staged_files.h"
#include "tools/quicsim/suite.h"
#include "tools/quicsim/trace_io.h"
#include "tools/quicsim/trace_validate.h"

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
DEFINE_string(format, "text",
              "run: the summary as \"text\" (a table) or \"json\" (one "
              "object, for scripts)");

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

constexpr int kExitOk = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;

// Prints `message` as exactly one line on stderr (a file name or value with
// a line break in it is escaped) and returns the bad-input exit code.
int BadInput(absl::string_view message) {
  const std::string line =
      absl::StrReplaceAll(message, {{"\n", "\\n"}, {"\r", "\\r"}});
  std::fprintf(stderr, "quicsim: %s\n", line.c_str());
  return kExitBadInput;
}

// The binary's runner factory, set by RunCli.
const RunnerFactory* runner_factory = nullptr;

std::unique_ptr<SeedRunner> MakeRunner() { return (*runner_factory)(); }

const char* GetEnv(const char* name) { return std::getenv(name); }

// The trace at `path`, read and validated (its embedded scenario exactly
// like a scenario file) before any command uses it.
absl::StatusOr<trace::Trace> LoadTrace(const std::string& path) {
  return ReadValidTraceFile(path);
}

// quicsim export: re-runs a trace's scenario and seed (with its script, if
// shrunk) with a capture attached and writes what the flags ask for; with
// no output flag, everything under --out (default: the trace's path without
// ".trace"). All or nothing: every output is staged under a temporary name
// and renamed into place only when all have been written. Returns the exit
// code; on failure the one-line reason is in *error. The files written are
// printed ("wrote PATH"), or appended to *written when it is not null.
int ExportTrace(const std::string& path, std::string base, std::string* error,
                std::vector<std::string>* written_out = nullptr) {
  absl::StatusOr<trace::Trace> t = LoadTrace(path);
  if (!t.ok()) {
    *error = std::string(t.status().message());
    return kExitBadInput;
  }
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
  if (!result.ok()) {
    *error = absl::StrCat(path, ": ", result.status().message());
    return kExitBadInput;
  }
  StagedFiles staged;
  absl::Status s;
  const std::string pcap = all ? base : FLAGS_pcap;
  if (s.ok() && !pcap.empty()) {
    s = staged.Add(pcap + ".sent.pcap",
                   exporter::BuildPcap(capture.datagrams(),
                                       exporter::CapturePoint::kSent));
    if (s.ok()) {
      s = staged.Add(pcap + ".delivered.pcap",
                     exporter::BuildPcap(capture.datagrams(),
                                         exporter::CapturePoint::kDelivered));
    }
  }
  const std::string keys = all ? base + ".keys" : FLAGS_keylog;
  if (s.ok() && !keys.empty()) {
    s = staged.Add(keys, exporter::BuildKeylog(keylog));
  }
  const std::string qlog = all ? base : FLAGS_qlog;
  if (s.ok() && !qlog.empty()) {
    for (const std::string& actor : exporter::ConnectionActors(events)) {
      s = staged.Add(
          absl::StrCat(qlog, ".", absl::StrReplaceAll(actor, {{"/", "_"}}),
                       ".sqlog"),
          exporter::BuildQlog(events, actor));
      if (!s.ok()) break;
    }
  }
  const std::string html = all ? base + ".html" : FLAGS_html;
  if (s.ok() && !html.empty()) {
    const std::string title =
        absl::StrCat(t->scenario().name(), " seed ", t->seed());
    s = staged.Add(html, exporter::BuildLadderHtml(capture, events, title,
                                                   t->pair_index()));
  }
  const std::vector<std::string> written = staged.paths();
  if (s.ok()) s = staged.Commit();
  if (!s.ok()) {
    *error = absl::StrCat("export of ", path,
                          " failed, nothing written: ", s.message());
    return kExitBadInput;
  }
  if (result->events_digest != t->digests().events() &&
      !t->digests().events().empty()) {
    std::fprintf(written_out != nullptr ? stderr : stdout,
                 "warning: this run's events digest differs from the "
                 "trace's; run quicsim replay to find where\n");
  }
  if (written_out != nullptr) {
    written_out->insert(written_out->end(), written.begin(), written.end());
    return kExitOk;
  }
  for (const std::string& w : written) std::printf("wrote %s\n", w.c_str());
  return kExitOk;
}

int Export(const std::string& path) {
  std::string error;
  const int code = ExportTrace(path, FLAGS_out, &error);
  if (code != kExitOk) return BadInput(error);
  return code;
}

// The end of `quicsim run --format=json`: exports (when asked), then the
// report as one JSON object on stdout (run_json.h).
int RunJson(const scenarios::Scenario& scenario, const SuiteOptions& options,
            const SuiteReport& report, std::vector<std::string> write_errors) {
  RunJsonExtras extras;
  if (const char* f = GetEnv("TESTBRIDGE_TEST_ONLY"); f != nullptr) {
    extras.seed_filter = f;
  }
  for (const std::string& path : report.trace_files) {
    if (!FLAGS_export) break;
    const std::string base = path.substr(0, path.size() - 6);  // ".trace"
    std::string error;
    if (ExportTrace(path, base, &error, &extras.exported) != kExitOk) {
      write_errors.push_back(error);
    }
  }
  extras.not_written = write_errors;
  extras.exit_code = !write_errors.empty() ? kExitBadInput
                     : report.ok()         ? kExitOk
                                           : kExitViolation;
  std::printf("%s\n", RunReportJson(scenario, options, report, extras).c_str());
  std::fflush(stdout);
  if (!write_errors.empty()) {
    std::fprintf(stderr,
                 "quicsim: %zu output(s) could not be written, the first: "
                 "%s\n",
                 write_errors.size(), write_errors.front().c_str());
  }
  return extras.exit_code;
}

// Checks run's flags and loads its scenario, with --pairs applied.
absl::StatusOr<scenarios::Scenario> LoadRunScenario() {
  if (FLAGS_scenario.empty()) {
    return absl::InvalidArgumentError("run needs --scenario=FILE");
  }
  if (FLAGS_format != "text" && FLAGS_format != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format=", FLAGS_format, ": want text or json"));
  }
  if (FLAGS_pairs > scenarios::kMaxPairsPerSeed) {
    return absl::InvalidArgumentError(
        absl::StrCat("--pairs: ", FLAGS_pairs, " exceeds the limit of ",
                     scenarios::kMaxPairsPerSeed, " pairs per seed"));
  }
  if (FLAGS_seeds > scenarios::kMaxSeedsPerRun) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seeds: ", FLAGS_seeds, " exceeds the limit of ",
                     scenarios::kMaxSeedsPerRun, " seeds per run"));
  }
  absl::StatusOr<scenarios::Scenario> scenario =
      scenarios::LoadScenarioFile(FLAGS_scenario);
  if (!scenario.ok()) return scenario.status();
  if (FLAGS_pairs != 0) {
    // The scenario with the flag's pair count must pass the same rules
    // (start_spacing x pairs, ...).
    scenario->mutable_population()->set_pairs(FLAGS_pairs);
    absl::Status s = scenarios::ValidateScenario(
        *scenario, absl::StrCat(FLAGS_scenario, " with --pairs=", FLAGS_pairs));
    if (!s.ok()) return s;
  }
  return scenario;
}

// run's suite options, from its flags and the environment (seed base,
// shard, seed filter, output directory, JUnit XML).
absl::StatusOr<SuiteOptions> RunOptions(const scenarios::Scenario& scenario) {
  SuiteOptions options;
  options.scenario_path = FLAGS_scenario;
  options.seed_count =
      FLAGS_seeds != 0 ? FLAGS_seeds : scenario.seeds().count();
  if (!gflags::GetCommandLineFlagInfoOrDie("seed_base").is_default) {
    options.seed_base = FLAGS_seed_base;
  } else {
    absl::StatusOr<uint64_t> base =
        SeedBaseFromEnv(GetEnv, scenario.seeds().base());
    if (!base.ok()) return base.status();
    options.seed_base = *base;
  }
  // The last seed is base + count - 1; it must fit in 64 bits.
  if (options.seed_count - 1 > UINT64_MAX - options.seed_base) {
    return absl::InvalidArgumentError(
        absl::StrCat("seed base ", options.seed_base, " + seed count ",
                     options.seed_count, " - 1 exceeds 2^64 - 1"));
  }
  absl::StatusOr<ShardSpec> shard = ShardSpecFromEnv(GetEnv);
  if (!shard.ok()) return shard.status();
  options.shard = *shard;
  absl::StatusOr<std::optional<std::vector<uint64_t>>> filter =
      SeedFilterFromEnv(GetEnv);
  if (!filter.ok()) return filter.status();
  options.seed_list = *std::move(filter);
  options.trace_dir = FLAGS_trace_dir;
  if (options.trace_dir.empty()) {
    if (const char* d = GetEnv("TEST_UNDECLARED_OUTPUTS_DIR"); d != nullptr) {
      options.trace_dir = d;
    }
  }
  options.check_determinism = FLAGS_check_determinism;
  // Per-seed records only for JUnit XML, so plain runs stay in constant
  // memory however many seeds they cover.
  options.keep_records = GetEnv("XML_OUTPUT_FILE") != nullptr;
  if (FLAGS_progress) {
    options.progress = stderr;
    options.progress_tty = isatty(fileno(stderr)) != 0;
  }
  return options;
}

// The end of `quicsim run --format=text`: the report on stdout, with the
// traces written and exported (when asked), then what could not be written.
int RunText(const scenarios::Scenario& scenario, const SuiteOptions& options,
            const SuiteReport& report, std::vector<std::string> write_errors) {
  if (options.seed_list.has_value()) {
    std::printf("scenario %s: seeds %s (TESTBRIDGE_TEST_ONLY)",
                scenario.name().c_str(), std::getenv("TESTBRIDGE_TEST_ONLY"));
  } else {
    std::printf("scenario %s: seeds %llu..%llu", scenario.name().c_str(),
                static_cast<unsigned long long>(options.seed_base),
                static_cast<unsigned long long>(options.seed_base +
                                                options.seed_count - 1));
  }
  if (options.shard.total > 1) {
    std::printf(", shard %llu of %llu",
                static_cast<unsigned long long>(options.shard.index),
                static_cast<unsigned long long>(options.shard.total));
  }
  std::printf("\n%s", report.summary.Render().c_str());
  if (report.variants.has_value() && !report.variants->empty()) {
    std::printf("\nper variant:\n%s", report.variants->Render().c_str());
  }
  for (uint64_t seed : report.failing_seeds) {
    std::printf("failing seed %llu\n", static_cast<unsigned long long>(seed));
  }
  if (report.failing_seed_count > report.failing_seeds.size()) {
    std::printf("(%llu more failing seeds not listed)\n",
                static_cast<unsigned long long>(report.failing_seed_count -
                                                report.failing_seeds.size()));
  }
  for (const std::string& path : report.trace_files) {
    std::printf("trace written: %s\n", path.c_str());
    if (FLAGS_export) {
      const std::string base = path.substr(0, path.size() - 6);  // ".trace"
      std::string error;
      if (ExportTrace(path, base, &error) != kExitOk) {
        write_errors.push_back(error);
      }
    }
  }
  for (const std::string& e : write_errors) {
    std::printf("NOT WRITTEN: %s\n", e.c_str());
  }
  if (report.traces_skipped > 0) {
    std::printf(
        "(%llu failing seeds without a trace: at most %zu traces per "
        "run)\n",
        static_cast<unsigned long long>(report.traces_skipped),
        kMaxTracesPerRun);
  }
  if (!report.ok() && report.trace_files.empty() && write_errors.empty()) {
    std::printf("(pass --trace_dir=DIR to keep traces of failing seeds)\n");
  }
  std::fflush(stdout);
  if (!write_errors.empty()) {
    return BadInput(absl::StrCat(
        write_errors.size(),
        " output(s) could not be written, the first: ", write_errors.front()));
  }
  return report.ok() ? kExitOk : kExitViolation;
}

int Run() {
  absl::StatusOr<scenarios::Scenario> scenario = LoadRunScenario();
  if (!scenario.ok()) return BadInput(scenario.status().message());
  absl::StatusOr<SuiteOptions> options = RunOptions(*scenario);
  if (!options.ok()) return BadInput(options.status().message());
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<SuiteReport> report = RunSuite(*runner, *scenario, *options);
  if (!report.ok()) return BadInput(report.status().message());
  // Write failures do not stop the run: every trace, export and report
  // that could not be written is named, and the run exits 2 after its full
  // report.
  std::vector<std::string> write_errors = report->trace_errors;
  if (absl::Status s = WriteJUnitFromEnv(GetEnv, *scenario, *options, *report);
      !s.ok()) {
    write_errors.push_back(std::string(s.message()));
  }
  if (FLAGS_format == "json") {
    return RunJson(*scenario, *options, *report, std::move(write_errors));
  }
  return RunText(*scenario, *options, *report, std::move(write_errors));
}

int Replay(const std::string& path) {
  absl::StatusOr<trace::Trace> t = LoadTrace(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<ReplayReport> report = ReplayTrace(*runner, *t);
  if (!report.ok()) {
    return BadInput(absl::StrCat(path, ": ", report.status().message()));
  }
  std::printf("%s", report->text.c_str());
  return report->reproduced ? kExitOk : kExitViolation;
}

// Whether `a` and `b` name the same file (or the same path, if neither
// exists yet).
bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  return a == b;
}

int Shrink(const std::string& path) {
  if (FLAGS_max_shrink_runs < 0) {
    return BadInput(absl::StrCat("--max_shrink_runs=", FLAGS_max_shrink_runs,
                                 ": must not be negative"));
  }
  std::string output = FLAGS_output;
  if (output.empty()) {
    output = absl::EndsWith(path, ".trace")
                 ? absl::StrCat(path.substr(0, path.size() - 6), ".min.trace")
                 : absl::StrCat(path, ".min");
  }
  if (SameFile(output, path)) {
    return BadInput(absl::StrCat("--output=", output,
                                 " is the input trace; shrink never "
                                 "overwrites its input"));
  }
  absl::StatusOr<trace::Trace> t = LoadTrace(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::unique_ptr<SeedRunner> runner = MakeRunner();
  absl::StatusOr<ShrinkReport> report =
      ShrinkTrace(*runner, *t, FLAGS_max_shrink_runs);
  if (!report.ok()) {
    return BadInput(absl::StrCat(path, ": ", report.status().message()));
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
  absl::StatusOr<trace::Trace> t = LoadTrace(path);
  if (!t.ok()) return BadInput(t.status().message());
  std::printf("%s", RenderTrace(*t).c_str());
  return kExitOk;
}

// quicsim's own flags, by command. Only these are accepted; gflags' own
// (--flagfile, --helpfull, ...) are not.
struct FlagDoc {
  const char* name;
  // "run", "shrink", "export", "explore", or several separated by spaces;
  // null: hidden.
  const char* command;
};
constexpr FlagDoc kFlags[] = {
    {"scenario", "run explore"},
    {"seeds", "run"},
    {"seed_base", "run"},
    {"pairs", "run explore"},
    {"trace_dir", "run explore"},
    {"check_determinism", "run"},
    {"progress", "run explore"},
    {"export", "run"},
    {"format", "run"},
    {"mode", "explore"},
    {"max_faults", "explore"},
    {"first_datagrams", "explore"},
    {"faults", "explore"},
    {"seed", "explore"},
    {"prefix_sharing", "explore"},
    {"keep_handshake_time", "explore"},
    {"fault_priming", "explore"},
    {"burst", "explore"},
    {"reorder_fallback", "explore"},
    {"budget", "explore"},
    {"runs", "explore"},
    {"output", "shrink"},
    {"max_shrink_runs", "shrink"},
    {"pcap", "export"},
    {"keylog", "export"},
    {"qlog", "export"},
    {"html", "export"},
    {"out", "export"},
};

// Whether `f` is a flag of `command`.
bool FlagOf(const FlagDoc& f, absl::string_view command) {
  if (f.command == nullptr) return false;
  for (absl::string_view c : absl::StrSplit(f.command, ' ')) {
    if (c == command) return true;
  }
  return false;
}

const FlagDoc* FindFlag(absl::string_view name) {
  for (const FlagDoc& f : kFlags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string HelpText(absl::string_view only_command) {
  std::string out =
      "usage: quicsim COMMAND [flags] [ARGS]\n"
      "  run --scenario=FILE     run every seed of a scenario, judge every "
      "pair\n"
      "  replay TRACE            re-run a trace and compare it event by "
      "event\n"
      "  shrink TRACE            reduce a failing trace's network "
      "decisions\n"
      "  export TRACE            write pcap, keylog, qlog and ladder "
      "diagram\n"
      "  trace print TRACE       print a trace\n"
      "  explore --scenario=FILE search fault schedules "
      "(--mode=exhaustive|swarm)\n"
      "  --help, --version\n"
      "exit status: 0 all good; 1 a violation or a diverging replay; 2 bad "
      "input (one line on stderr)\n";
  for (const char* command : {"run", "shrink", "export", "explore"}) {
    if (!only_command.empty() && only_command != command) continue;
    absl::StrAppend(&out, "\n", command, " flags:\n");
    for (const FlagDoc& f : kFlags) {
      if (!FlagOf(f, command)) continue;
      gflags::CommandLineFlagInfo info;
      gflags::GetCommandLineFlagInfo(f.name, &info);
      absl::StrAppend(&out, "  --", f.name, " (", info.type, ", default \"",
                      info.default_value, "\")\n      ", info.description,
                      "\n");
    }
  }
  return out;
}

std::string VersionText() {
  const trace::BuildIdentity id = MakeRunner()->Identity();
  return absl::StrCat("quicsim ", id.version(), " (BoringSSL API ",
                      id.boringssl_api_version(), ", runner ", id.runner(),
                      ")\n");
}

// Parses argv: flags (--name=value, --name value, --bool, --nobool, one or
// two dashes, anywhere; "--" ends them) into gflags' variables, the rest
// into `args`. A flag that is not quicsim's, or a value that does not parse,
// is bad input. Returns an exit code, or -1 to go on.
int ParseArgs(int argc, char** argv, std::vector<std::string>* args, bool* help,
              bool* version) {
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      args->push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string name = body, value;
    const size_t eq = body.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    if (name == "help" || name == "version") {
      if (has_value) {
        return BadInput(absl::StrCat("--", name, " takes no value"));
      }
      (name == "help" ? *help : *version) = true;
      continue;
    }
    const FlagDoc* doc = FindFlag(name);
    bool negated = false;
    if (doc == nullptr && !has_value && absl::StartsWith(name, "no")) {
      doc = FindFlag(name.substr(2));
      negated = doc != nullptr;
      if (negated) name = name.substr(2);
    }
    if (doc == nullptr) {
      return BadInput(absl::StrCat("unknown flag ", arg,
                                   " (quicsim --help lists the flags)"));
    }
    gflags::CommandLineFlagInfo info;
    gflags::GetCommandLineFlagInfo(name.c_str(), &info);
    const bool is_bool = info.type == "bool";
    if (negated && !is_bool) {
      return BadInput(absl::StrCat("unknown flag ", arg,
                                   " (quicsim --help lists the flags)"));
    }
    if (!has_value) {
      if (is_bool) {
        value = negated ? "false" : "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return BadInput(absl::StrCat("flag --", name, " needs a value"));
      }
    }
    // gflags accepts "-1" for unsigned flags by wrapping; refuse it.
    if ((info.type == "uint32" || info.type == "uint64") &&
        absl::StartsWith(absl::StripLeadingAsciiWhitespace(value), "-")) {
      return BadInput(
          absl::StrCat("--", name, "=", value, ": must not be negative"));
    }
    if (gflags::SetCommandLineOption(name.c_str(), value.c_str()).empty()) {
      return BadInput(absl::StrCat("--", name, "=", value, ": not a valid ",
                                   info.type, " value"));
    }
  }
  return -1;
}

int Main(int argc, char** argv) {
  // Library log lines would break the one-line error contract.
  google::protobuf::SetLogHandler(nullptr);
  std::vector<std::string> args;
  bool help = false, version = false;
  if (int code = ParseArgs(argc, argv, &args, &help, &version); code >= 0) {
    return code;
  }
  if (help) {
    std::printf("%s", HelpText(args.empty() ? "" : args[0]).c_str());
    return kExitOk;
  }
  if (version) {
    std::printf("%s", VersionText().c_str());
    return kExitOk;
  }
  if (args.empty()) {
    return BadInput(
        "missing command (run, replay, shrink, export, trace print; "
        "quicsim --help)");
  }
  const std::string& command = args[0];
  // A flag of another command is a mistake, not something to ignore.
  for (const FlagDoc& f : kFlags) {
    if (f.command == nullptr || FlagOf(f, command)) continue;
    if (!gflags::GetCommandLineFlagInfoOrDie(f.name).is_default) {
      return BadInput(absl::StrCat("--", f.name, " is a flag of ", f.command,
                                   ", not of ", command));
    }
  }
  if (command == "run" && args.size() == 1) return Run();
  if (command == "replay" && args.size() == 2) return Replay(args[1]);
  if (command == "shrink" && args.size() == 2) return Shrink(args[1]);
  if (command == "export" && args.size() == 2) return Export(args[1]);
  if (command == "explore" && args.size() == 1) {
    return ExploreCommand(MakeRunner());
  }
  if (command == "trace" && args.size() == 3 && args[1] == "print") {
    return PrintTrace(args[2]);
  }
  return BadInput(absl::StrCat("unknown or malformed command \"", command,
                               "\" (run, replay TRACE, shrink TRACE, export "
                               "TRACE, trace print TRACE)"));
}

}  // namespace

int RunCli(int argc, char** argv, const RunnerFactory& factory) {
  runner_factory = &factory;
  return Main(argc, argv);
}

}  // namespace quicsim::tools
