#include "tools/quicsim/explore.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sim/decision_hook.h"
#include "sim/random.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::OracleViolation;
using scenarios::PairResult;
using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
using scenarios::VerdictKindName;
namespace {

using Action = trace::NetworkDecision::Action;

// A fault's identity: enough to rebuild both its forms.
struct FaultKey {
  std::string link;
  uint64_t index = 0;  // 0-based, as links count
  Action action = trace::NetworkDecision::DROP;
  uint32_t bit = 0;  // CORRUPT only
  // DROP only: the burst's length (this datagram and the link's next
  // burst - 1); 0 or 1: a single drop.
  uint32_t burst = 0;
};

// The fault kinds of a search: the actions asked for, then a burst drop.
std::vector<FaultKey> Kinds(const ExhaustiveOptions& options) {
  std::vector<FaultKey> kinds;
  for (Action a : options.faults) {
    FaultKey k;
    k.action = a;
    kinds.push_back(k);
  }
  if (options.burst > 1) {
    FaultKey k;
    k.action = trace::NetworkDecision::DROP;
    k.burst = static_cast<uint32_t>(options.burst);
    kinds.push_back(k);
  }
  return kinds;
}

trace::NetworkDecision ToProto(const FaultKey& k,
                               const ExhaustiveOptions& options) {
  trace::NetworkDecision p;
  p.set_link(k.link);
  p.set_index(k.index + 1);
  p.set_action(k.action);
  p.set_reason("explore");
  switch (k.action) {
    case trace::NetworkDecision::DUPLICATE:
      p.mutable_params()->set_copies(1);
      break;
    case trace::NetworkDecision::REORDER:
      p.mutable_params()->set_extra_delay_ns(options.reorder_fallback.nanos());
      p.mutable_params()->set_until_next(true);
      break;
    case trace::NetworkDecision::CORRUPT:
      p.mutable_params()->add_bit_positions(k.bit);
      break;
    default:
      break;
  }
  return p;
}

// A fault as script entries: one, or a burst's drops on consecutive
// datagrams of its link.
void AppendProtos(const FaultKey& k, const ExhaustiveOptions& options,
                  std::vector<trace::NetworkDecision>* out) {
  out->push_back(ToProto(k, options));
  for (uint32_t i = 1; i < k.burst; ++i) {
    trace::NetworkDecision d = out->back();
    d.set_index(d.index() + 1);
    d.set_reason("explore/burst");
    out->push_back(std::move(d));
  }
}

// The same decision as the link applies it from a script (world.cc's
// DecisionFromProto), so a forked run and its scripted replay agree.
sim::Decision ToDecision(const FaultKey& k, const ExhaustiveOptions& options) {
  sim::Decision d;
  d.reason = "explore";
  switch (k.action) {
    case trace::NetworkDecision::DUPLICATE:
      d.action = sim::Action::kDuplicate;
      d.copies = 1;
      break;
    case trace::NetworkDecision::REORDER:
      d.action = sim::Action::kReorder;
      d.delay = options.reorder_fallback;
      d.until_next = true;
      break;
    case trace::NetworkDecision::CORRUPT:
      d.action = sim::Action::kCorrupt;
      d.bits = {k.bit};
      break;
    default:
      d.action = sim::Action::kDrop;
      break;
  }
  return d;
}

// The bit a CORRUPT fault flips: drawn from the run's seed, per datagram,
// within the first kCorruptWindow bytes (a long header's flags, version,
// connection IDs, token and length). A flipped bit further on only makes
// the AEAD fail, which a DROP already covers; one in the header can derive
// the wrong keys, change the version or misroute the packet.
constexpr size_t kCorruptWindow = 24;
uint32_t CorruptBit(uint64_t seed, const std::string& link, uint64_t index,
                    size_t payload_size) {
  if (payload_size == 0) return 0;
  sim::Rng rng = sim::Rng::ForStream(
      seed, absl::StrCat("explore/corrupt/", link, "/", index));
  return static_cast<uint32_t>(
      rng.Uniform(std::min(payload_size, kCorruptWindow) * 8));
}

std::string OutcomeOf(const SeedResult& result) {
  std::vector<std::string> pairs;
  for (const PairResult& p : result.pairs) {
    std::set<std::string> oracles;
    for (const OracleViolation& v : p.violations) oracles.insert(v.oracle);
    std::string s =
        absl::StrFormat("pair%d %s/0x%x %s/0x%x", p.pair_index,
                        VerdictKindName(p.client.kind), p.client.error_code,
                        VerdictKindName(p.server.kind), p.server.error_code);
    if (!oracles.empty())
      absl::StrAppend(&s, " !", absl::StrJoin(oracles, ","));
    pairs.push_back(std::move(s));
  }
  return absl::StrJoin(pairs, "; ");
}

// Result records: one line per schedule, appended to a file all processes
// of the search share (only one of them runs at a time).
//   link|index|action|bit;...<TAB>outcome<TAB>signature<NL>
std::string EncodeRecord(const std::vector<FaultKey>& faults,
                         const std::string& outcome,
                         const std::string& signature) {
  std::vector<std::string> parts;
  for (const FaultKey& k : faults) {
    parts.push_back(absl::StrCat(k.link, "|", k.index, "|",
                                 static_cast<int>(k.action), "|", k.bit, "|",
                                 k.burst));
  }
  return absl::StrCat(absl::StrJoin(parts, ";"), "\t", outcome, "\t", signature,
                      "\n");
}

bool DecodeRecord(absl::string_view line, std::vector<FaultKey>* faults,
                  std::string* outcome, std::string* signature) {
  std::vector<std::string> fields = absl::StrSplit(line, '\t');
  if (fields.size() != 3) return false;
  faults->clear();
  if (!fields[0].empty()) {
    for (absl::string_view f : absl::StrSplit(fields[0], ';')) {
      std::vector<std::string> p = absl::StrSplit(f, '|');
      FaultKey k;
      int action = 0;
      if (p.size() != 5 || !absl::SimpleAtoi(p[1], &k.index) ||
          !absl::SimpleAtoi(p[2], &action) || !absl::SimpleAtoi(p[3], &k.bit) ||
          !absl::SimpleAtoi(p[4], &k.burst)) {
        return false;
      }
      k.link = p[0];
      k.action = static_cast<Action>(action);
      faults->push_back(std::move(k));
    }
  }
  *outcome = fields[1];
  *signature = fields[2];
  return true;
}

void WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Progress shared by every process of the search (one runs at a time).
class Progress {
 public:
  explicit Progress(FILE* out) : out_(out) {
    void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shared_ = p == MAP_FAILED ? &local_ : static_cast<Shared*>(p);
  }
  ~Progress() {
    if (shared_ != &local_) munmap(shared_, sizeof(Shared));
  }
  // Counts one schedule; prints at most once a second.
  void Count() {
    ++shared_->schedules;
    if (out_ == nullptr) return;
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    if (now - shared_->last_ms < 1000) return;
    shared_->last_ms = now;
    std::fprintf(out_, "explore: %lld schedules\n",
                 static_cast<long long>(shared_->schedules));
  }

 private:
  struct Shared {
    int64_t schedules = 0;
    int64_t last_ms = 0;
  };
  FILE* out_;
  Shared local_;
  Shared* shared_;
};

// This thread's CPU time.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// The decision hook of both strategies.
class ExploreHook : public sim::DecisionHook {
 public:
  ExploreHook(const ExhaustiveOptions& options, uint64_t seed, int results_fd,
              Progress* progress)
      : options_(options),
        seed_(seed),
        results_fd_(results_fd),
        progress_(progress) {}

  // Appends one schedule's record.
  void Record(const std::vector<FaultKey>& faults, const std::string& outcome,
              const std::string& signature) {
    WriteAll(results_fd_, EncodeRecord(faults, outcome, signature));
    progress_->Count();
  }

  // Re-run strategy: apply `planned` (in send order), then list the
  // candidates that follow the last of them.
  void Plan(std::vector<FaultKey> planned) {
    fork_ = false;
    suffix_start_ = planned.empty() ? ThreadCpuSeconds() : -1;
    windows_.clear();
    burst_left_.clear();
    planned_ = std::move(planned);
    next_planned_ = 0;
    candidates_.clear();
  }
  // Fork strategy.
  void ForkMode() {
    fork_ = true;
    windows_.clear();
    burst_left_.clear();
    planned_.clear();
  }

  void OnDatagram(const std::string& link, uint64_t index,
                  const sim::Datagram& d,
                  std::vector<sim::Decision>* out) override {
    // Every datagram moves the window, planned or not.
    const bool in_window = InWindow(link, index, d);
    if (uint32_t& left = burst_left_[link]; left > 0) {
      // Inside a burst: dropped, and not a candidate of its own.
      --left;
      sim::Decision drop;
      drop.action = sim::Action::kDrop;
      drop.reason = "explore/burst";
      out->push_back(std::move(drop));
      return;
    }
    if (!fork_) {
      if (next_planned_ < planned_.size()) {
        const FaultKey& k = planned_[next_planned_];
        if (k.link == link && k.index == index) {
          out->push_back(ToDecision(k, options_));
          if (k.burst > 1) burst_left_[link] = k.burst - 1;
          if (++next_planned_ == planned_.size()) {
            suffix_start_ = ThreadCpuSeconds();
          }
        }
        return;
      }
      if (in_window &&
          planned_.size() < static_cast<size_t>(options_.max_faults)) {
        FaultKey k;
        k.link = link;
        k.index = index;
        k.bit = CorruptBit(seed_, link, index, d.payload.size());
        candidates_.push_back(std::move(k));
      }
      return;
    }
    if (!in_window ||
        faults_.size() >= static_cast<size_t>(options_.max_faults) ||
        fork_failed_) {
      return;
    }
    FaultKey k;
    k.link = link;
    k.index = index;
    k.bit = CorruptBit(seed_, link, index, d.payload.size());
    for (const FaultKey& kind : Kinds(options_)) {
      k.action = kind.action;
      k.burst = kind.burst;
      if (faults_.empty() &&
          first_ordinal_++ % options_.shard_total != options_.shard_index) {
        continue;
      }
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0) {
        fork_failed_ = true;
        return;
      }
      if (pid == 0) {
        child_ = true;
        faults_.push_back(k);
        out->push_back(ToDecision(k, options_));
        if (k.burst > 1) burst_left_[link] = k.burst - 1;
        return;
      }
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // The child died inside the simulator (a CHECK or a crash): that is
        // a failing schedule in its own right.
        std::vector<FaultKey> faults = faults_;
        faults.push_back(k);
        const std::string what =
            WIFSIGNALED(status)
                ? absl::StrCat("crash (signal ", WTERMSIG(status), ")")
                : absl::StrCat("crash (exit ", WEXITSTATUS(status), ")");
        Record(faults, what, "crash");
      }
    }
  }

  bool child() const { return child_; }
  bool fork_failed() const { return fork_failed_; }
  const std::vector<FaultKey>& faults() const { return faults_; }
  const std::vector<FaultKey>& candidates() const { return candidates_; }
  // Re-run strategy: this thread's CPU clock when the planned schedule's
  // last fault was applied (at Plan for the fault-free one); -1 if the run
  // never reached it.
  double suffix_start() const { return suffix_start_; }

 private:
  // Whether the datagram is among the first N of its link's fault window:
  // the whole link, or with skip_priming, from the link's first datagram
  // whose source differs from its first one (the resumed handshake's
  // endpoints use their own ports).
  bool InWindow(const std::string& link, uint64_t index,
                const sim::Datagram& d) {
    Window& w = windows_[link];
    if (!w.seen) {
      w.seen = true;
      w.first_src = d.src;
      w.started = !options_.skip_priming;
    }
    if (!w.started && d.src != w.first_src) {
      w.started = true;
      w.start = index;
    }
    return w.started && index >= w.start &&
           index - w.start < static_cast<uint64_t>(options_.first_datagrams);
  }
  struct Window {
    bool seen = false;
    bool started = false;
    sim::Address first_src;
    uint64_t start = 0;
  };

  const ExhaustiveOptions& options_;
  uint64_t seed_;
  int results_fd_;
  Progress* progress_;
  bool fork_ = true;
  // Fork strategy: the faults this process applied; whether it is a child.
  std::vector<FaultKey> faults_;
  bool child_ = false;
  bool fork_failed_ = false;
  uint64_t first_ordinal_ = 0;
  // Re-run strategy.
  std::vector<FaultKey> planned_;
  size_t next_planned_ = 0;
  std::vector<FaultKey> candidates_;
  double suffix_start_ = -1;
  absl::flat_hash_map<std::string, Window> windows_;
  absl::flat_hash_map<std::string, uint32_t> burst_left_;
};

}  // namespace

double CpuSecondsWithChildren() {
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  double total = 0;
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    total += seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  if (getrusage(RUSAGE_CHILDREN, &usage) == 0) {
    total += seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  return total;
}

std::string FaultName(const trace::NetworkDecision& fault) {
  std::string s =
      absl::StrCat(trace::NetworkDecision::Action_Name(fault.action()), " ",
                   fault.link(), "#", fault.index());
  if (fault.action() == trace::NetworkDecision::CORRUPT &&
      fault.params().bit_positions_size() > 0) {
    absl::StrAppend(&s, " bit=", fault.params().bit_positions(0));
  }
  return s;
}

std::string ExhaustiveReport::Render() const {
  std::string out;
  const double rate = cpu_seconds > 0 ? schedules / cpu_seconds : 0;
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "schedules", schedules));
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "distinct outcomes",
                                        outcomes.size()));
  absl::StrAppend(&out,
                  absl::StrFormat("%-28s %d\n", "failing", failures.size()));
  absl::StrAppend(&out, absl::StrFormat("%-28s %.0f (%.3f CPU s, %.3f s)\n",
                                        "schedules per CPU second", rate,
                                        cpu_seconds, wall_seconds));
  int shown = 0;
  for (const auto& [outcome, count] : outcomes) {
    if (++shown > 20) {
      absl::StrAppend(&out, absl::StrFormat("%-28s %d more\n", "outcome",
                                            outcomes.size() - 20));
      break;
    }
    absl::StrAppend(
        &out, absl::StrFormat("%-28s %d: %s\n", "outcome", count, outcome));
  }
  shown = 0;
  for (const ScheduleResult& f : failures) {
    if (++shown > 20) {
      absl::StrAppend(&out,
                      absl::StrFormat("%-28s %d more\n", "failing schedule",
                                      failures.size() - 20));
      break;
    }
    std::vector<std::string> names;
    for (const trace::NetworkDecision& d : f.faults) {
      names.push_back(FaultName(d));
    }
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%-28s [%s] %s\n", "failing schedule",
                  names.empty() ? "no faults" : absl::StrJoin(names, ", "),
                  f.signature));
  }
  if (not_reproduced > 0) {
    absl::StrAppend(
        &out, absl::StrFormat("%-28s %d\n", "NOT REPRODUCED", not_reproduced));
  }
  absl::StrAppend(&out, failures.empty()
                            ? "result                       PASS\n"
                            : absl::StrFormat("%-28s FAIL (%d schedules)\n",
                                              "result", failures.size()));
  return out;
}

namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using ResultsFile = std::unique_ptr<FILE, FileCloser>;

// Fork strategy: one run; at each candidate datagram the hook forks a child
// per fault kind, which records its schedule and exits, while this process
// goes on with the fault-free branch.
absl::Status ForkSearch(SeedRunner& runner, const scenarios::Scenario& scenario,
                        uint64_t seed, const ExhaustiveOptions& options,
                        ExploreHook& hook, const RunSeedOptions& run_options) {
  // Warm the runner's caches (TLS contexts, memoized chain verification)
  // once here rather than in every child, where they would be lost.
  RunSeedOptions warm;
  warm.scripted_decisions.emplace();
  if (absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, seed, warm);
      !r.ok()) {
    return r.status();
  }
  hook.ForkMode();
  absl::StatusOr<SeedResult> r =
      RunJudgedSeed(runner, scenario, seed, run_options);
  if (hook.child()) {
    if (r.ok()) {
      hook.Record(hook.faults(), OutcomeOf(*r),
                  FailureSignatureOf(*r, FirstFailingPair(*r)));
    } else {
      hook.Record(hook.faults(), absl::StrCat("error: ", r.status().message()),
                  "run_error");
    }
    _exit(0);
  }
  if (!r.ok()) return r.status();
  if (options.shard_index == 0) {
    hook.Record({}, OutcomeOf(*r),
                FailureSignatureOf(*r, FirstFailingPair(*r)));
  }
  if (hook.fork_failed()) {
    return absl::InternalError("fork() failed during the search");
  }
  return absl::OkStatus();
}

// Re-run strategy: a depth-first walk of the schedule tree, each schedule
// run from the start; a run lists the candidates after its last fault.
absl::Status RerunSearch(SeedRunner& runner,
                         const scenarios::Scenario& scenario, uint64_t seed,
                         const ExhaustiveOptions& options, ExploreHook& hook,
                         const RunSeedOptions& run_options,
                         double& suffix_cpu_seconds) {
  std::vector<std::vector<FaultKey>> stack = {{}};
  uint64_t first_ordinal = 0;
  const std::vector<FaultKey> kinds = Kinds(options);
  while (!stack.empty()) {
    std::vector<FaultKey> node = std::move(stack.back());
    stack.pop_back();
    hook.Plan(node);
    absl::StatusOr<SeedResult> r =
        RunJudgedSeed(runner, scenario, seed, run_options);
    if (!r.ok()) return r.status();
    if (hook.suffix_start() >= 0) {
      suffix_cpu_seconds += ThreadCpuSeconds() - hook.suffix_start();
    }
    if (!node.empty() || options.shard_index == 0) {
      hook.Record(node, OutcomeOf(*r),
                  FailureSignatureOf(*r, FirstFailingPair(*r)));
    }
    std::vector<std::vector<FaultKey>> children;
    for (const FaultKey& c : hook.candidates()) {
      for (const FaultKey& kind : kinds) {
        if (node.empty() &&
            first_ordinal++ % options.shard_total != options.shard_index) {
          continue;
        }
        std::vector<FaultKey> child = node;
        child.push_back(c);
        child.back().action = kind.action;
        child.back().burst = kind.burst;
        children.push_back(std::move(child));
      }
    }
    for (auto c = children.rbegin(); c != children.rend(); ++c) {
      stack.push_back(std::move(*c));
    }
  }
  return absl::OkStatus();
}

// Reads every schedule's record back into `report`.
absl::Status ReadRecords(FILE* results, const ExhaustiveOptions& options,
                         ExhaustiveReport& report) {
  std::string contents;
  std::rewind(results);
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), results)) > 0) {
    contents.append(buffer, n);
  }
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    if (line.empty()) continue;
    std::vector<FaultKey> faults;
    ScheduleResult s;
    if (!DecodeRecord(line, &faults, &s.outcome, &s.signature)) {
      return absl::InternalError(
          absl::StrCat("malformed search record: ", line));
    }
    ++report.schedules;
    ++report.outcomes[s.outcome];
    if (!s.failing()) continue;
    for (const FaultKey& k : faults) AppendProtos(k, options, &s.faults);
    report.failures.push_back(std::move(s));
  }
  return absl::OkStatus();
}

// One trace per failing schedule: the faults as a script, re-run from the
// start the way `quicsim replay` will.
absl::Status WriteFailureTraces(SeedRunner& runner,
                                const scenarios::Scenario& scenario,
                                uint64_t seed, const ExhaustiveOptions& options,
                                ExhaustiveReport& report) {
  int i = 0;
  for (const ScheduleResult& f : report.failures) {
    const std::string path = absl::StrFormat(
        "%s/explore-%s-%04d.trace", options.trace_dir, scenario.name(), i++);
    if (f.signature == "crash" || f.signature == "run_error") {
      // No events to record: the run does not finish. The script alone
      // lets `quicsim replay` reproduce it.
      trace::Trace t;
      *t.mutable_scenario() = scenario;
      t.set_scenario_path(options.scenario_path);
      t.set_seed(seed);
      t.set_pair_index(-1);
      *t.mutable_build() = runner.Identity();
      t.set_scripted(true);
      for (const trace::NetworkDecision& d : f.faults) *t.add_script() = d;
      if (absl::Status s = WriteTraceFile(path, t); !s.ok()) return s;
      report.trace_files.push_back(path);
      continue;
    }
    RunSeedOptions o;
    o.record_trace = true;
    o.scripted_decisions = f.faults;
    absl::StatusOr<SeedResult> r = RunJudgedSeed(runner, scenario, seed, o);
    if (!r.ok()) return r.status();
    if (FailureSignatureOf(*r, FirstFailingPair(*r)) != f.signature) {
      ++report.not_reproduced;
    }
    trace::Trace t = std::move(*r->trace);
    t.set_scenario_path(options.scenario_path);
    if (absl::Status s = WriteTraceFile(path, t); !s.ok()) return s;
    report.trace_files.push_back(path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExhaustiveReport> ExploreExhaustive(
    SeedRunner& runner, const scenarios::Scenario& scenario, uint64_t seed,
    const ExhaustiveOptions& options) {
  if (options.max_faults < 0 || options.first_datagrams < 0) {
    return absl::InvalidArgumentError(
        "max_faults and first_datagrams must not be negative");
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSecondsWithChildren();
  ResultsFile results(std::tmpfile());
  if (results == nullptr) {
    return absl::InternalError("cannot create a temporary results file");
  }
  Progress progress(options.progress);
  ExploreHook hook(options, seed, fileno(results.get()), &progress);
  RunSeedOptions run_options;
  run_options.scripted_decisions.emplace();  // a clean network
  run_options.decision_hook = &hook;
  ExhaustiveReport report;
  absl::Status searched =
      options.prefix_sharing
          ? ForkSearch(runner, scenario, seed, options, hook, run_options)
          : RerunSearch(runner, scenario, seed, options, hook, run_options,
                        report.suffix_cpu_seconds);
  if (!searched.ok()) return searched;

  report.cpu_seconds = CpuSecondsWithChildren() - cpu_start;
  if (absl::Status s = ReadRecords(results.get(), options, report); !s.ok()) {
    return s;
  }
  if (!options.trace_dir.empty()) {
    if (absl::Status s =
            WriteFailureTraces(runner, scenario, seed, options, report);
        !s.ok()) {
      return s;
    }
  }
  report.wall_seconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - wall_start)
                            .count();
  return report;
}

}  // namespace quicsim::tools
