#include "tools/quicsim/swarm.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/scenario_loader.h"
#include "sim/random.h"
#include "tools/quicsim/explore.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/shrink.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

using scenarios::EndpointConfig;
using scenarios::Expectations;
using scenarios::Scenario;

// An error row: the fault, the side that injects it, the code both sides
// must end with.
struct Row {
  scenarios::Fault fault;
  bool client_side;
  uint64_t code;
};
constexpr Row kRows[] = {
    {scenarios::ALPN_MISMATCH, false, 0x178},
    {scenarios::REFUSE_TRANSPORT_PARAMETERS, false, 0x08},
    {scenarios::NO_CERTIFICATE_FOR_SNI, false, 0x128},
    {scenarios::SERVER_INTERNAL_ERROR, false, 0x150},
    {scenarios::UNTRUSTED_CERTIFICATE, true, 0x12a},
    {scenarios::BAD_SIGNATURE, true, 0x133},
    {scenarios::INVALID_SERVER_TRANSPORT_PARAMETERS, false, 0x08},
    {scenarios::SIGNING_FAILURE, false, 0x150},
};
constexpr int kRowCount = sizeof(kRows) / sizeof(kRows[0]);

// The knobs of one swarm run; zero/false everywhere means "as the base".
struct Knobs {
  int delay_ms = 0;
  int jitter_ms = 0;
  double loss = 0;
  double reorder = 0;
  double duplicate = 0;
  double corrupt = 0;
  bool bottleneck = false;
  bool retry = false;
  bool vn = false;
  int resumption = 0;  // 1: resume, 2: resume with 0-RTT
  int key = 0;         // 1: Ed25519, 2: P-256
  int chain = 0;       // certificates sent
  int row = 0;         // 1 + index into kRows
  int stack = 0;       // 1: ngtcp2 client, 2: ngtcp2 server
  int pairs = 0;
  // 1: PROPOSAL_74922, 2: the same without the FirstFlightReady pause,
  // 3: GO_1_21, 4: GO_1_26 (both quicsim sides).
  int tls_api = 0;
  // 1: an outage (both directions drop everything from phase_at for
  // phase_ms), 2: from phase_at one direction degrades for good (4x the
  // delay, 20% loss).
  int phase = 0;
  int phase_at_ms = 0;
  int phase_ms = 0;
  int phase_direction = 0;  // 2: server to client, else client to server

  std::string ToString() const {
    std::vector<std::string> on;
    if (delay_ms) on.push_back(absl::StrCat("delay=", delay_ms, "ms"));
    if (jitter_ms) on.push_back(absl::StrCat("jitter=", jitter_ms, "ms"));
    if (loss > 0) on.push_back(absl::StrFormat("loss=%.2f", loss));
    if (reorder > 0) on.push_back(absl::StrFormat("reorder=%.2f", reorder));
    if (duplicate > 0) {
      on.push_back(absl::StrFormat("duplicate=%.2f", duplicate));
    }
    if (corrupt > 0) on.push_back(absl::StrFormat("corrupt=%.2f", corrupt));
    if (bottleneck) on.push_back("bottleneck=10Mbit/25pkt");
    if (retry) on.push_back("retry");
    if (vn) on.push_back("vn");
    if (resumption) on.push_back(resumption == 2 ? "0rtt" : "resumption");
    if (key) on.push_back(key == 1 ? "ed25519" : "p256");
    if (chain) on.push_back(absl::StrCat("chain=", chain));
    if (row) {
      on.push_back(
          absl::StrCat("fault=", scenarios::Fault_Name(kRows[row - 1].fault)));
    }
    if (stack) on.push_back(stack == 1 ? "ngtcp2_client" : "ngtcp2_server");
    if (pairs) on.push_back(absl::StrCat("pairs=", pairs));
    if (tls_api) {
      static constexpr const char* kApis[] = {"", "PROPOSAL_74922",
                                              "PROPOSAL_74922_no_first_flight",
                                              "GO_1_21", "GO_1_26"};
      on.push_back(absl::StrCat("tls_api=", kApis[tls_api]));
    }
    if (phase == 1) {
      on.push_back(absl::StrCat("outage=", phase_at_ms, "ms+", phase_ms, "ms"));
    } else if (phase == 2) {
      on.push_back(absl::StrCat("degrade_",
                                phase_direction == 2 ? "s2c" : "c2s", "=",
                                phase_at_ms, "ms"));
    }
    return on.empty() ? "base" : absl::StrJoin(on, " ");
  }
};

// Swarm testing: each feature is on in about half the runs.
Knobs DrawKnobs(const Scenario& base, sim::Rng& rng) {
  Knobs k;
  auto coin = [&] { return rng.Uniform(2) == 0; };
  auto range = [&](double lo, double hi) {
    return lo + (hi - lo) * rng.UniformDouble();
  };
  static constexpr int kDelays[] = {1, 5, 25, 100};
  if (coin()) k.delay_ms = kDelays[rng.Uniform(4)];
  if (coin()) k.jitter_ms = 1 + static_cast<int>(rng.Uniform(5));
  if (coin()) k.loss = range(0.05, 0.3);
  if (coin()) k.reorder = range(0.05, 0.2);
  if (coin()) k.duplicate = range(0.02, 0.1);
  if (coin()) k.corrupt = range(0.02, 0.2);
  if (coin()) k.bottleneck = true;
  if (coin()) k.retry = true;
  if (coin()) k.vn = true;
  // Version Negotiation packets carry no integrity protection: a flipped
  // bit in the version list legitimately makes the client abandon the
  // attempt (RFC 9000 §6.2). No corruption with VN on.
  if (k.vn) k.corrupt = 0;
  if (coin()) k.resumption = 1 + static_cast<int>(rng.Uniform(2));
  if (coin()) k.key = 1 + static_cast<int>(rng.Uniform(2));
  if (coin()) k.chain = 1 + static_cast<int>(rng.Uniform(4));
  const bool base_has_fault = base.client().fault() != scenarios::NO_FAULT ||
                              base.server().fault() != scenarios::NO_FAULT;
  if (!base_has_fault && coin()) {
    k.row = 1 + static_cast<int>(rng.Uniform(kRowCount));
  }
  if (rng.Uniform(4) == 0) k.stack = 1 + static_cast<int>(rng.Uniform(2));
  if (coin()) k.pairs = 1 + static_cast<int>(rng.Uniform(3));
  // Drawn after the knobs above so that their draws (and every run of an
  // older swarm seed's first knobs) stay as they were.
  if (coin()) k.tls_api = 1 + static_cast<int>(rng.Uniform(4));
  if (coin()) {
    k.phase = 1 + static_cast<int>(rng.Uniform(2));
    static constexpr int kAt[] = {0, 5, 20, 60, 200};
    k.phase_at_ms = kAt[rng.Uniform(5)];
    k.phase_ms = 50 + static_cast<int>(rng.Uniform(1500));
    k.phase_direction = 1 + static_cast<int>(rng.Uniform(2));
  }
  // Go 1.21's API loses an error raised after TransportParametersRequired
  // until the next HandleData call (the flaw the API models demonstrate,
  // scenarios/api_models_*.textproto): no server-flight failures with it.
  if (k.tls_api == 3 && k.row != 0 &&
      (kRows[k.row - 1].fault == scenarios::SERVER_INTERNAL_ERROR ||
       kRows[k.row - 1].fault == scenarios::SIGNING_FAILURE)) {
    k.row = 0;
  }
  return k;
}

Scenario Apply(const Scenario& base, const Knobs& k) {
  Scenario s = base;
  for (scenarios::LinkSpec* link :
       {s.mutable_network()->mutable_client_to_server(),
        s.mutable_network()->mutable_server_to_client()}) {
    if (k.delay_ms) link->set_delay(absl::StrCat(k.delay_ms, "ms"));
    if (k.jitter_ms) link->set_jitter(absl::StrCat(k.jitter_ms, "ms"));
    scenarios::Impairments* imp = link->mutable_impairments();
    if (k.loss > 0) {
      imp->set_loss(k.loss);
      imp->set_loss_max_burst(3);
    }
    if (k.reorder > 0) {
      imp->mutable_reorder()->set_probability(k.reorder);
      imp->mutable_reorder()->set_extra_delay("5ms");
    }
    if (k.duplicate > 0) imp->mutable_duplicate()->set_probability(k.duplicate);
    if (k.corrupt > 0) {
      imp->mutable_corrupt()->set_probability(k.corrupt);
      imp->mutable_corrupt()->set_bits(1);
      imp->mutable_corrupt()->set_max_burst(3);
    }
    if (k.bottleneck) {
      link->set_bandwidth_bps(10'000'000);
      link->set_queue_limit_packets(25);
    }
  }
  EndpointConfig* client = s.mutable_client();
  EndpointConfig* server = s.mutable_server();
  if (k.retry) server->set_retry(true);
  if (k.vn) client->set_offer_unknown_version_first(true);
  if (k.resumption && k.row == 0) {
    client->mutable_resumption()->set_enabled(true);
    server->mutable_resumption()->set_enabled(true);
    client->mutable_resumption()->set_zero_rtt(k.resumption == 2);
    server->mutable_resumption()->set_zero_rtt(k.resumption == 2);
  }
  if (k.key) {
    server->mutable_certificate()->set_key_type(
        k.key == 1 ? scenarios::CertificateSpec::ED25519
                   : scenarios::CertificateSpec::P256);
  }
  if (k.chain) server->mutable_certificate()->set_chain_length(k.chain);
  Expectations* expect = s.mutable_expect();
  if (k.row) {
    const Row& row = kRows[k.row - 1];
    (row.client_side ? client : server)->set_fault(row.fault);
    expect->Clear();
    expect->set_outcome(Expectations::CLOSED);
    expect->add_error_codes(row.code);
  }
  if (k.stack == 1) client->set_stack(EndpointConfig::NGTCP2);
  if (k.stack == 2) server->set_stack(EndpointConfig::NGTCP2);
  if (k.pairs) s.mutable_population()->set_pairs(k.pairs);
  if (k.tls_api) {
    static constexpr EndpointConfig::TlsApi kApi[] = {
        EndpointConfig::PROPOSAL_74922, EndpointConfig::PROPOSAL_74922,
        EndpointConfig::PROPOSAL_74922, EndpointConfig::GO_1_21,
        EndpointConfig::GO_1_26};
    for (EndpointConfig* side : {client, server}) {
      if (side->stack() == EndpointConfig::NGTCP2) continue;
      side->set_tls_api(kApi[k.tls_api]);
      side->set_disable_send_first_flight(k.tls_api == 2);
    }
  }
  if (k.phase != 0) {
    const scenarios::Network& net = s.network();
    auto* phases = s.mutable_network()->mutable_phases();
    if (k.phase == 1) {
      // Everything dropped for a while, then the drawn links again.
      scenarios::Phase* down = phases->Add();
      down->set_at(absl::StrCat(k.phase_at_ms, "ms"));
      down->set_direction(scenarios::Phase::BOTH);
      *down->mutable_link() = net.client_to_server();
      down->mutable_link()->mutable_impairments()->set_loss(1.0);
      down->mutable_link()->mutable_impairments()->set_loss_max_burst(0);
      for (int dir : {1, 2}) {
        scenarios::Phase* up = phases->Add();
        up->set_at(absl::StrCat(k.phase_at_ms + k.phase_ms, "ms"));
        up->set_direction(static_cast<scenarios::Phase::Direction>(dir));
        *up->mutable_link() =
            dir == 1 ? net.client_to_server() : net.server_to_client();
      }
    } else {
      const bool s2c = k.phase_direction == 2;
      scenarios::Phase* worse = phases->Add();
      worse->set_at(absl::StrCat(k.phase_at_ms, "ms"));
      worse->set_direction(s2c ? scenarios::Phase::SERVER_TO_CLIENT
                               : scenarios::Phase::CLIENT_TO_SERVER);
      scenarios::LinkSpec* l = worse->mutable_link();
      *l = s2c ? net.server_to_client() : net.client_to_server();
      l->set_delay(absl::StrCat(4 * std::max(k.delay_ms, 5), "ms"));
      l->mutable_impairments()->set_loss(0.2);
      l->mutable_impairments()->set_loss_max_burst(3);
    }
  }
  // Every oracle; no time bound chosen for a clean network.
  expect->clear_oracles();
  expect->clear_max_handshake_time();
  for (scenarios::Variant& v : *s.mutable_population()->mutable_variants()) {
    if (v.has_expect()) {
      v.mutable_expect()->clear_oracles();
      v.mutable_expect()->clear_max_handshake_time();
    }
  }
  if (s.limits().max_virtual_time().empty()) {
    s.mutable_limits()->set_max_virtual_time("300s");
  }
  return s;
}

// Each knob, switched back to the base value (for shrinking).
std::vector<std::function<bool(Knobs*)>> KnobResets() {
  auto reset = [](auto member) {
    return [member](Knobs* k) {
      using T = std::decay_t<decltype(k->*member)>;
      if (k->*member == T{}) return false;
      k->*member = T{};
      return true;
    };
  };
  return {reset(&Knobs::stack),      reset(&Knobs::pairs),
          reset(&Knobs::tls_api),    reset(&Knobs::phase),
          reset(&Knobs::row),        reset(&Knobs::resumption),
          reset(&Knobs::retry),      reset(&Knobs::vn),
          reset(&Knobs::key),        reset(&Knobs::chain),
          reset(&Knobs::bottleneck), reset(&Knobs::corrupt),
          reset(&Knobs::duplicate),  reset(&Knobs::reorder),
          reset(&Knobs::jitter_ms),  reset(&Knobs::delay_ms),
          reset(&Knobs::loss)};
}

// Whether the run's only complaint is that a resumption run's priming
// handshake ended without a ticket. Under the drawn impairments that
// handshake may legitimately be lost as a whole (its own oracles still
// judge it, and their violations are kept); the judged handshake then has
// nothing to resume, which says nothing about the code.
bool OnlyPrimingLost(const SeedResult& r) {
  bool any = false;
  for (const scenarios::PairResult& p : r.pairs) {
    for (const scenarios::OracleViolation& v : p.violations) {
      if (v.oracle != "expected_outcome" ||
          !absl::StartsWith(v.detail, "priming handshake ended without")) {
        return false;
      }
      any = true;
    }
  }
  return any;
}

// Whether the run only failed to make contact: no side confirmed or closed
// (each timed out or never heard of the connection) and the only complaints
// are about that outcome. Under the drawn loss and outages every datagram
// of one side can legitimately be lost until the idle timeout. Such runs
// are counted apart, not judged: swarm cannot tell them from a side that
// stopped retransmitting (bounded exhaustive search with bursts can, on a
// network it controls).
bool OnlyLostContact(const SeedResult& r) {
  using Kind = scenarios::VerdictKind;
  bool any = false;
  for (const scenarios::PairResult& p : r.pairs) {
    if (p.violations.empty()) continue;
    for (const scenarios::OracleViolation& v : p.violations) {
      if (v.oracle != "expected_outcome" && v.oracle != "verdicts_agree") {
        return false;
      }
    }
    for (Kind k : {p.client.kind, p.server.kind}) {
      if (k != Kind::kTimedOut && k != Kind::kNone) return false;
    }
    any = true;
  }
  return any;
}

struct Draw {
  Knobs knobs;
  uint64_t seed;
};

Draw DrawRun(const Scenario& base, uint64_t seed, uint64_t run) {
  sim::Rng rng = sim::Rng::ForStream(seed, absl::StrCat("swarm/run/", run));
  Draw d;
  d.seed = rng.Next64();
  d.knobs = DrawKnobs(base, rng);
  return d;
}

}  // namespace

Scenario SwarmScenario(const Scenario& base, uint64_t seed, uint64_t run,
                       std::string* knobs) {
  const Draw d = DrawRun(base, seed, run);
  if (knobs != nullptr) *knobs = d.knobs.ToString();
  Scenario s = Apply(base, d.knobs);
  s.set_name(absl::StrCat(base.name(), "_swarm_", run));
  return s;
}

std::string SwarmReport::Render() const {
  std::string out;
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "runs", runs));
  absl::StrAppend(
      &out, absl::StrFormat("%-28s %d\n", "skipped (unsupported)", skipped));
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "priming handshake lost",
                                        priming_lost));
  absl::StrAppend(&out,
                  absl::StrFormat("%-28s %d\n", "contact lost", contact_lost));
  absl::StrAppend(&out, absl::StrFormat("%-28s %d\n", "distinct outcomes",
                                        outcomes.size()));
  absl::StrAppend(&out,
                  absl::StrFormat("%-28s %d\n", "failing", failures.size()));
  absl::StrAppend(&out,
                  absl::StrFormat("%-28s %.0f (%.3f CPU s, %.3f s)\n",
                                  "runs per CPU second",
                                  cpu_seconds > 0 ? runs / cpu_seconds : 0,
                                  cpu_seconds, wall_seconds));
  for (const SwarmFailure& f : failures) {
    absl::StrAppend(
        &out, absl::StrFormat("%-28s run %d: %s [%s] decisions %d -> %d\n",
                              "failing run", f.run, f.signature, f.knobs,
                              f.decisions_before, f.decisions_after));
  }
  absl::StrAppend(&out, failures.empty()
                            ? "result                       PASS\n"
                            : absl::StrFormat("%-28s FAIL (%d runs)\n",
                                              "result", failures.size()));
  return out;
}

absl::StatusOr<SwarmReport> ExploreSwarm(SeedRunner& runner,
                                         const Scenario& base,
                                         const SwarmOptions& options) {
  SwarmReport report;
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSecondsWithChildren();
  auto wall = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         wall_start)
        .count();
  };
  auto last_progress = wall_start;
  for (uint64_t run = 0;; ++run) {
    if (options.max_runs != 0 && run >= options.max_runs) break;
    if (options.budget_seconds > 0 && wall() >= options.budget_seconds) break;
    if (run % options.shard_total != options.shard_index) continue;
    const Draw draw = DrawRun(base, options.seed, run);
    auto scenario_of = [&](const Knobs& k) {
      Scenario s = Apply(base, k);
      s.set_name(absl::StrCat(base.name(), "_swarm_", run));
      return s;
    };
    auto judge = [&](const Knobs& k) -> absl::StatusOr<SeedResult> {
      Scenario s = scenario_of(k);
      if (absl::Status v = scenarios::ValidateScenario(s, "swarm"); !v.ok()) {
        return v;
      }
      return RunJudgedSeed(runner, s, draw.seed, RunSeedOptions());
    };
    absl::StatusOr<SeedResult> result = judge(draw.knobs);
    if (!result.ok()) {
      ++report.skipped;
      continue;
    }
    if (OnlyPrimingLost(*result)) {
      ++report.priming_lost;
      continue;
    }
    if (OnlyLostContact(*result)) {
      ++report.contact_lost;
      continue;
    }
    ++report.runs;
    const std::string signature =
        FailureSignatureOf(*result, FirstFailingPair(*result));
    ++report.outcomes[signature.empty() ? "pass" : signature];
    if (options.progress != nullptr &&
        std::chrono::steady_clock::now() - last_progress >
            std::chrono::seconds(1)) {
      last_progress = std::chrono::steady_clock::now();
      std::fprintf(options.progress, "swarm: %llu runs, %zu failing\n",
                   static_cast<unsigned long long>(report.runs),
                   report.failures.size());
    }
    if (signature.empty()) continue;

    // Shrink the knobs: each back to the base while the failure persists.
    SwarmFailure failure;
    failure.run = run;
    failure.signature = signature;
    Knobs knobs = draw.knobs;
    int budget = options.max_shrink_runs;
    for (const auto& reset : KnobResets()) {
      if (budget <= 0) break;
      Knobs trial = knobs;
      if (!reset(&trial)) continue;
      --budget;
      absl::StatusOr<SeedResult> r = judge(trial);
      if (r.ok() && FailureSignatureOf(*r, FirstFailingPair(*r)) == signature) {
        knobs = trial;
      }
    }
    failure.knobs = knobs.ToString();
    // Then the network decisions.
    RunSeedOptions record;
    record.record_trace = true;
    const Scenario shrunk = scenario_of(knobs);
    absl::StatusOr<SeedResult> traced =
        RunJudgedSeed(runner, shrunk, draw.seed, record);
    if (!traced.ok()) return traced.status();
    trace::Trace t = std::move(*traced->trace);
    t.set_scenario_path(options.scenario_path);
    for (const trace::Event& e : t.events()) {
      failure.decisions_before += e.has_decision();
    }
    failure.decisions_after = failure.decisions_before;
    if (t.pair_index() >= 0) {
      absl::StatusOr<ShrinkReport> s =
          ShrinkTrace(runner, t, std::max(budget, 20));
      if (s.ok()) {
        t = std::move(s->minimal);
        t.set_scenario_path(options.scenario_path);
        failure.decisions_after = s->minimal_decisions;
      }
    }
    if (!options.trace_dir.empty()) {
      const std::string path = absl::StrFormat(
          "%s/%s-seed%d.trace", options.trace_dir, shrunk.name(), draw.seed);
      if (absl::Status s = WriteTraceFile(path, t); !s.ok()) return s;
      failure.trace_file = path;
    }
    report.failures.push_back(std::move(failure));
  }
  report.cpu_seconds = CpuSecondsWithChildren() - cpu_start;
  report.wall_seconds = wall();
  return report;
}

}  // namespace quicsim::tools
