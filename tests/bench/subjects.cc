#include "tests/bench/subjects.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "endpoints/ngtcp2_endpoint.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "sim/impairment.h"
#include "tests/bench/floor.h"
#include "tls/engine.h"
#include "tls/env.h"
#include "tls/random.h"

namespace quicsim::bench {
namespace {

SimContexts* MakeSimContexts(bool memoize) {
  tls::Config server;
  server.role = tls::Role::kServer;
  server.certificate_chain = Chain().chain;
  server.private_key = Chain().private_key;
  tls::Config client;
  client.role = tls::Role::kClient;
  client.trust_anchors = {Chain().root};
  client.verify_peer = true;
  client.cache_verification = memoize;
  auto* c = new SimContexts;
  c->client = *tls::Context::Create(client);
  c->server = *tls::Context::Create(server);
  return c;
}

// ---- The TLS engine pair ----

const std::vector<uint8_t> kClientParams(24, 1);
const std::vector<uint8_t> kServerParams(40, 2);

// Client and server engine contexts; `verify`: the client verifies the
// chain (memoized per context).
SimContexts* MakeEngineContexts(bool verify) {
  tls::Config cc;
  cc.role = tls::Role::kClient;
  cc.trust_anchors = {Chain().root};
  cc.verify_peer = verify;
  tls::Config sc;
  sc.role = tls::Role::kServer;
  sc.certificate_chain = Chain().chain;
  sc.private_key = Chain().private_key;
  auto* c = new SimContexts;
  c->client = *tls::Context::Create(cc);
  c->server = *tls::Context::Create(sc);
  return c;
}

// Pumps a's events into b; returns true if any event was seen.
bool Pump(tls::Engine& a, tls::Engine& b, int& done) {
  bool any = false;
  for (tls::Event ev = a.NextEvent(); ev.kind != tls::EventKind::kNone;
       ev = a.NextEvent()) {
    any = true;
    if (ev.kind == tls::EventKind::kWriteData) {
      if (!b.HandleData(ev.level, ev.data).ok()) return false;
    } else if (ev.kind == tls::EventKind::kTransportParametersRequired) {
      if (!a.SetTransportParameters(kServerParams).ok()) return false;
    } else if (ev.kind == tls::EventKind::kHandshakeDone) {
      ++done;
    }
  }
  return any;
}

bool EngineHandshake(const SimContexts& e, tls::ChaChaRandom& cr,
                     tls::ChaChaRandom& sr) {
  const tls::Clock clock = [] { return tls::VirtualEpoch(); };
  std::unique_ptr<tls::Engine> c =
      tls::Engine::Create(e.client.get(), &cr, clock);
  std::unique_ptr<tls::Engine> s =
      tls::Engine::Create(e.server.get(), &sr, clock);
  if (!c->SetTransportParameters(kClientParams).ok() || !s->Start().ok() ||
      !c->Start().ok()) {
    return false;
  }
  int done = 0;
  bool progress = true;
  while (progress) progress = Pump(*c, *s, done) | Pump(*s, *c, done);
  return done == 2;
}

// One simulated pair in its own world per call.
Subject SimPairSubject(bool trace, double loss, bool memoize, bool ngtcp2) {
  auto seed = std::make_shared<uint64_t>(1);
  return [seed, trace, loss, memoize, ngtcp2] {
    BenchWorld world((*seed)++, CleanLink(), trace, GetSimContexts(memoize));
    if (loss > 0) world.AddLoss(loss);
    endpoints::HandshakePair* pair = world.AddPair(0, ngtcp2);
    if (!pair->Start().ok()) return false;
    world.Run();
    return world.Confirmed() == 1;
  };
}

// One seed of a one-pair clean scenario through the scenario runner, as
// `quicsim run` does it (oracles, verdicts, events and wire digests).
Subject RunPairSubject() {
  static constexpr char kScenario[] = R"pb(
    name: "bench_run_pair"
    network {
      client_to_server { delay: "10ms" }
      server_to_client { delay: "10ms" }
    }
    population { pairs: 1 }
    seeds { count: 1 base: 1 }
    expect { outcome: CONFIRMED }
  )pb";
  auto scenario = std::make_shared<scenarios::Scenario>(
      *scenarios::ParseScenario(kScenario, "bench_run_pair"));
  auto runner = std::make_shared<scenarios::QuicsimSeedRunner>();
  auto seed = std::make_shared<uint64_t>(1);
  return [scenario, runner, seed] {
    absl::StatusOr<scenarios::SeedResult> r =
        runner->RunSeed(*scenario, (*seed)++, scenarios::RunSeedOptions());
    return r.ok() && r->pairs.size() == 1 &&
           r->pairs[0].client.kind == scenarios::VerdictKind::kConfirmed &&
           r->pairs[0].server.kind == scenarios::VerdictKind::kConfirmed;
  };
}

}  // namespace

const SimContexts& GetSimContexts(bool memoize) {
  static const SimContexts* memoized = MakeSimContexts(true);
  static const SimContexts* full = MakeSimContexts(false);
  return memoize ? *memoized : *full;
}

sim::LinkConfig CleanLink() {
  sim::LinkConfig link;
  link.delay = sim::Duration::Millis(10);
  return link;
}

BenchWorld::BenchWorld(uint64_t seed, const sim::LinkConfig& link, bool trace,
                       const SimContexts& contexts)
    : seed_(seed),
      contexts_(contexts),
      trace_(sim::TraceRecorder::Options{.keep_events = false}),
      network_(&scheduler_, seed, &trace_) {
  trace_.set_enabled(trace);
  c2s_ = network_.AddLink("c2s", link);
  s2c_ = network_.AddLink("s2c", link);
}

void BenchWorld::AddLoss(double p) {
  for (sim::Link* link : {c2s_, s2c_}) {
    link->AddImpairment(std::make_unique<sim::BernoulliLoss>(
        p, network_.MakeRng(link->name() + "/loss")));
  }
}

endpoints::HandshakePair* BenchWorld::AddPair(uint32_t i, bool ngtcp2_server) {
  endpoints::HandshakePairOptions options;
  if (ngtcp2_server) {
    // The server is ngtcp2 + GnuTLS with the same certificate.
    endpoints::Ngtcp2EndpointOptions ng;
    ng.local = sim::Address{0x0b000000u + i, 443};
    ng.certificate_chain = Chain().chain;
    ng.private_key = Chain().private_key;
    sim::Scheduler* scheduler = &scheduler_;
    sim::Network* network = &network_;
    sim::TraceSink* trace = &trace_;
    options.foreign_server = [ng, scheduler, network, trace](
                                 uint64_t rng_seed, const std::string& actor,
                                 endpoints::ConnectionObserver* observer) {
      return std::unique_ptr<endpoints::ForeignEndpoint>(
          std::make_unique<endpoints::Ngtcp2ServerEndpoint>(
              ng, scheduler, network, rng_seed, actor, trace, observer));
    };
  }
  options.client.tls_context = contexts_.client.get();
  options.client.local = sim::Address{0x0a000000u + i, 40000};
  options.server.connection.tls_context = contexts_.server.get();
  options.server.connection.local = sim::Address{0x0b000000u + i, 443};
  options.client_to_server = c2s_;
  options.server_to_client = s2c_;
  pairs_.push_back(std::make_unique<endpoints::HandshakePair>(
      std::move(options), &scheduler_, &network_, seed_ + i,
      absl::StrFormat("pair/%d", i), &trace_));
  endpoints::HandshakePair* pair = pairs_.back().get();
  pair->set_on_done([this, pair] {
    pair->Stop();
    ++done_;
    scheduler_.At(scheduler_.Now(), [pair] { pair->ReleaseState(); });
  });
  return pair;
}

sim::RunResult BenchWorld::Run() {
  scheduler_.set_limits(
      {.max_events = 1'000'000'000,
       .max_time = sim::Time::Zero() + sim::Duration::Seconds(600)});
  return scheduler_.RunUntilIdle();
}

size_t BenchWorld::Confirmed() const {
  size_t n = 0;
  for (const auto& pair : pairs_) {
    if (pair->client_verdict().kind == endpoints::Verdict::Kind::kConfirmed &&
        pair->server_verdict().kind == endpoints::Verdict::Kind::kConfirmed) {
      ++n;
    }
  }
  return n;
}

Subject MakeSubject(const std::string& name) {
  if (name == "floor" || name == "floor_verify") {
    auto raw = std::make_shared<RawContexts>(MakeRaw(name == "floor_verify"));
    return [raw] { return RawHandshake(*raw); };
  }
  if (name == "engine" || name == "engine_verify") {
    std::shared_ptr<SimContexts> e(MakeEngineContexts(name == "engine_verify"));
    auto cr = std::make_shared<tls::ChaChaRandom>("bench/client");
    auto sr = std::make_shared<tls::ChaChaRandom>("bench/server");
    return [e, cr, sr] { return EngineHandshake(*e, *cr, *sr); };
  }
  if (name == "sim_pair") return SimPairSubject(false, 0, true, false);
  if (name == "sim_pair_trace") return SimPairSubject(true, 0, true, false);
  if (name == "sim_pair_loss") return SimPairSubject(false, 0.3, true, false);
  if (name == "sim_pair_nomemo") return SimPairSubject(false, 0, false, false);
  if (name == "sim_pair_ngtcp2") return SimPairSubject(false, 0, true, true);
  if (name == "run_pair") return RunPairSubject();
  return nullptr;
}

const std::vector<std::string>& SubjectNames() {
  static const auto* names = new std::vector<std::string>{
      "floor",         "floor_verify",    "engine",
      "engine_verify", "sim_pair",        "sim_pair_trace",
      "sim_pair_loss", "sim_pair_nomemo", "sim_pair_ngtcp2"};
  return *names;
}

}  // namespace quicsim::bench
