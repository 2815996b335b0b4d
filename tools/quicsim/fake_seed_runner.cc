#include "tools/quicsim/fake_seed_runner.h"

#include <openssl/base.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::PairResult;
using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::Verdict;
using scenarios::VerdictKind;
using scenarios::VerdictKindName;
namespace {

using scenarios::EndpointConfig;
using scenarios::Fault;

// SplitMix64 finaliser: a fixed, portable mixing function.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) from (seed, pair, direction, index, stream).
double Draw(uint64_t seed, int pair, int direction, uint64_t index,
            int stream) {
  uint64_t x = Mix(seed);
  x = Mix(x ^ static_cast<uint64_t>(pair));
  x = Mix(x ^ static_cast<uint64_t>(direction));
  x = Mix(x ^ index);
  x = Mix(x ^ static_cast<uint64_t>(stream));
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

struct FaultOutcome {
  bool server_closes = false;
  uint64_t code = 0;
};

// The error-injection table of the design brief.
bool OutcomeOfFault(const EndpointConfig& ep, FaultOutcome* out) {
  switch (ep.fault()) {
    case scenarios::ALPN_MISMATCH:
      *out = {true, 0x178};
      return true;
    case scenarios::REFUSE_TRANSPORT_PARAMETERS:
      *out = {true, ep.fault_alert() != 0 ? 0x100u + ep.fault_alert() : 0x08u};
      return true;
    case scenarios::NO_CERTIFICATE_FOR_SNI:
      *out = {true, 0x128};
      return true;
    case scenarios::SERVER_INTERNAL_ERROR:
    case scenarios::SIGNING_FAILURE:
      *out = {true, 0x150};
      return true;
    case scenarios::UNTRUSTED_CERTIFICATE:
      *out = {false, 0x12a};
      return true;
    case scenarios::BAD_SIGNATURE:
      *out = {false, 0x133};
      return true;
    case scenarios::INVALID_SERVER_TRANSPORT_PARAMETERS:
      *out = {false, 0x08};
      return true;
    case scenarios::ABORT_BEFORE_CLIENT_HELLO:
      *out = {false, 0x0c};
      return true;
    default:
      return false;
  }
}

const trace::NetworkDecision* FindScripted(
    const std::vector<trace::NetworkDecision>& script, const std::string& link,
    uint64_t index) {
  for (const trace::NetworkDecision& d : script) {
    if (d.link() == link && d.index() == index) return &d;
  }
  return nullptr;
}

// The decision for datagram `i` on `link` (direction `d` of pair `p`): the
// scripted one, or the first of loss, duplicate, reorder and corrupt whose
// draw falls under its probability. False if there is none.
bool DecideDatagram(const RunSeedOptions& options,
                    const scenarios::Impairments& imp, uint64_t seed, int p,
                    int d, const std::string& link, uint64_t i,
                    trace::NetworkDecision* decision) {
  if (options.scripted_decisions.has_value()) {
    const trace::NetworkDecision* s =
        FindScripted(*options.scripted_decisions, link, i);
    if (s == nullptr) return false;
    *decision = *s;
    return true;
  }
  using Action = trace::NetworkDecision;
  struct Model {
    double probability;
    trace::NetworkDecision::Action action;
    const char* reason;
  };
  const Model models[] = {
      {imp.loss(), Action::DROP, "bernoulli"},
      {imp.duplicate().probability(), Action::DUPLICATE, "duplicate"},
      {imp.reorder().probability(), Action::REORDER, "reorder"},
      {imp.corrupt().probability(), Action::CORRUPT, "corrupt"},
  };
  for (int m = 0; m < 4; ++m) {
    if (Draw(seed, p, d, i, m) < models[m].probability) {
      decision->set_link(link);
      decision->set_index(i);
      decision->set_action(models[m].action);
      decision->set_reason(models[m].reason);
      return true;
    }
  }
  return false;
}

// Pair `p`'s verdicts: both confirmed after `took`, or the trigger's
// breakage, or `fault`'s close (null: no fault).
PairResult FakePairResult(const scenarios::Scenario& scenario, int p,
                          sim::Duration took, sim::Duration rtt, bool broken,
                          const FaultOutcome* fault) {
  PairResult pair;
  pair.pair_index = p;
  if (broken) {
    pair.client = {VerdictKind::kClosedSent, 0x1, took};
    pair.server = {VerdictKind::kTimedOut, 0,
                   took + sim::Duration::Seconds(30)};
  } else if (fault != nullptr) {
    Verdict closer{VerdictKind::kClosedSent, fault->code, took};
    Verdict peer{VerdictKind::kClosedReceived, fault->code, took + rtt / 2};
    if (scenario.client().fault() == scenarios::ABORT_BEFORE_CLIENT_HELLO) {
      closer.kind = VerdictKind::kAborted;
      peer = Verdict{};
    }
    const EndpointConfig& receiver =
        fault->server_closes ? scenario.client() : scenario.server();
    if (receiver.fault() == scenarios::DROP_CONNECTION_CLOSE) {
      peer = {VerdictKind::kTimedOut, 0, took + sim::Duration::Seconds(30)};
    }
    pair.server = fault->server_closes ? closer : peer;
    pair.client = fault->server_closes ? peer : closer;
  } else {
    pair.client = {VerdictKind::kConfirmed, 0, took};
    pair.server = {VerdictKind::kConfirmed, 0, took - rtt / 2};
  }
  return pair;
}

}  // namespace

trace::BuildIdentity FakeSeedRunner::Identity() const {
  trace::BuildIdentity id;
  id.set_version("quicsim-dev");
  id.set_boringssl_api_version(BORINGSSL_API_VERSION);
  id.set_runner("fake");
  return id;
}

absl::StatusOr<SeedResult> FakeSeedRunner::RunSeed(
    const scenarios::Scenario& scenario, uint64_t seed,
    const RunSeedOptions& options) {
  ++calls_;
  SeedResult result;
  result.seed = seed;
  result.determinism = trace::EVENT_LEVEL;
  std::vector<trace::Event> events;
  const scenarios::LinkSpec* links[2] = {
      &scenario.network().client_to_server(),
      &scenario.network().server_to_client()};
  const char* dir_names[2] = {"c2s", "s2c"};
  sim::Duration delay[2];
  for (int d = 0; d < 2; ++d) {
    delay[d] =
        scenarios::DurationOr(links[d]->delay(), sim::Duration::Millis(10));
  }
  const sim::Duration rtt = delay[0] + delay[1];
  FaultOutcome fault;
  const bool has_fault = OutcomeOfFault(scenario.server(), &fault) ||
                         OutcomeOfFault(scenario.client(), &fault);

  for (int p = 0; p < static_cast<int>(scenario.population().pairs()); ++p) {
    const sim::Time start =
        sim::Time::Zero() + scenarios::PairStartOffset(scenario, p);
    int drops = 0;
    std::vector<std::pair<std::string, uint64_t>> applied;
    for (int d = 0; d < 2; ++d) {
      const std::string link = absl::StrFormat("pair/%d/%s", p, dir_names[d]);
      for (uint64_t i = 1;
           i <= static_cast<uint64_t>(options_.datagrams_per_link); ++i) {
        const sim::Time at = start + rtt / 4 * static_cast<int64_t>(i);
        trace::Event send;
        send.set_time_ns(at.nanos());
        send.set_pair(p);
        send.set_actor(
            absl::StrFormat("pair/%d/%s", p, d == 0 ? "client" : "server"));
        send.set_kind("send");
        send.set_details(
            absl::StrFormat("datagram %d on %s, 1200 bytes", i, link));
        events.push_back(send);
        trace::NetworkDecision decision;
        const bool decided = DecideDatagram(options, links[d]->impairments(),
                                            seed, p, d, link, i, &decision);
        if (decided) {
          if (decision.action() == trace::NetworkDecision::DROP) ++drops;
          applied.emplace_back(dir_names[d], i);
          trace::Event e;
          e.set_time_ns(at.nanos());
          e.set_pair(p);
          e.set_actor(absl::StrCat("link/", link));
          e.set_kind(absl::AsciiStrToLower(
              trace::NetworkDecision::Action_Name(decision.action())));
          *e.mutable_decision() = decision;
          events.push_back(e);
        }
      }
    }
    const bool broken =
        !options_.trigger.empty() &&
        std::all_of(options_.trigger.begin(), options_.trigger.end(),
                    [&](const std::pair<std::string, uint64_t>& t) {
                      return std::find(applied.begin(), applied.end(), t) !=
                             applied.end();
                    });
    const PairResult pair =
        FakePairResult(scenario, p, rtt * (2 + drops), rtt, broken,
                       has_fault ? &fault : nullptr);
    for (const auto& [side, v] :
         {std::pair<const char*, const Verdict*>{"client", &pair.client},
          {"server", &pair.server}}) {
      trace::Event e;
      e.set_time_ns((start + v->handshake_time).nanos());
      e.set_pair(p);
      e.set_actor(absl::StrFormat("pair/%d/%s", p, side));
      e.set_kind("verdict");
      e.set_details(
          absl::StrFormat("%s 0x%x", VerdictKindName(v->kind), v->error_code));
      events.push_back(e);
    }
    result.pairs.push_back(pair);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const trace::Event& a, const trace::Event& b) {
                     return a.time_ns() < b.time_ns();
                   });
  std::string canonical;
  for (const trace::Event& e : events) {
    absl::StrAppend(&canonical, RenderEvent(e), "\n");
  }
  if (options_.nondeterministic) absl::StrAppend(&canonical, calls_);
  result.events_digest = Sha256Hex(canonical);
  result.wire_digest = Sha256Hex(
      absl::StrCat("wire\n", canonical,
                   options_.nondeterministic_wire ? absl::StrCat(calls_) : ""));
  if (options_.byte_level) result.determinism = trace::BYTE_LEVEL;
  result.events_processed = events.size();
  result.end_time = events.empty()
                        ? sim::Time::Zero()
                        : sim::Time::FromNanos(events.back().time_ns());
  if (options.record_trace) {
    trace::Trace& t = result.trace.emplace();
    for (trace::Event& e : events) *t.add_events() = std::move(e);
  }
  return result;
}

}  // namespace quicsim::tools
