#include "scenarios/pair_launcher.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "sim/instr_window.h"

namespace quicsim::scenarios {
namespace {

using sim::Duration;
using sim::Time;

// The version a client offers first to force Version Negotiation.
constexpr uint32_t kUnknownVersion = 0x1a2a3a4a;

}  // namespace

PairLauncher::PairLauncher(World* world, const RunSeedOptions& options)
    : world_(world), options_(options), slots_(world->pairs) {}

void PairLauncher::NoteStart(const absl::Status& status) {
  if (!status.ok() && start_status_.ok()) start_status_ = status;
}

endpoints::HandshakePairOptions PairLauncher::OptionsFor(int i, bool prime) {
  const VariantPlan& plan = world_->plan_of(i);
  const EndpointConfig& cl = plan.scenario.client();
  const EndpointConfig& sv = plan.scenario.server();
  endpoints::HandshakePairOptions o;
  o.client.tls_context = plan.contexts->client.get();
  o.client.local = ClientAddress(i, prime);
  o.server.connection.tls_context = plan.contexts->server.get();
  o.server.connection.local = ServerAddress(i, prime);
  o.client.idle_timeout = DurationOr(cl.idle_timeout(), Duration::Seconds(30));
  o.server.connection.idle_timeout =
      DurationOr(sv.idle_timeout(), Duration::Seconds(30));
  o.client_to_server = world_->links[i].first;
  o.server_to_client = world_->links[i].second;
  // max_udp_payload_size: what the side advertises and the largest
  // datagram it builds (the peer's advertised limit still applies).
  if (cl.max_udp_payload_size() != 0) {
    o.client.max_udp_payload_size = cl.max_udp_payload_size();
    o.client.max_datagram_size =
        std::min<uint32_t>(cl.max_udp_payload_size(), 1500);
  }
  if (sv.max_udp_payload_size() != 0) {
    o.server.connection.max_udp_payload_size = sv.max_udp_payload_size();
    o.server.connection.max_datagram_size =
        std::min<uint32_t>(sv.max_udp_payload_size(), 1500);
  }
  if (options_.keylog != nullptr) {
    std::vector<std::string>* keylog = options_.keylog;
    auto sink = [keylog](std::string_view line) { keylog->emplace_back(line); };
    o.client.keylog_sink = sink;
    o.server.connection.keylog_sink = sink;
  }
  if (prime) {
    // The priming handshake runs clean: no faults, no Retry, no VN.
    o.client.wait_for_session_ticket = true;
    WireNgtcp2Side(cl, sv, true, Ngtcp2World(i), &o);
    return o;
  }
  if (cl.offer_unknown_version_first())
    o.client.initial_version = kUnknownVersion;
  o.server.retry = sv.retry();
  o.server.connection.decline_early_data = sv.decline_early_data();
  o.client.faults = plan.faults.client.quic;
  o.server.connection.faults = plan.faults.server.quic;
  WireNgtcp2Side(cl, sv, false, Ngtcp2World(i), &o);
  return o;
}

Ngtcp2SideWorld PairLauncher::Ngtcp2World(int i) {
  const VariantPlan& plan = world_->plan_of(i);
  Ngtcp2SideWorld w;
  w.chain = &plan.contexts->chain;
  w.trust_anchor = &plan.contexts->trust_anchor;
  w.scheduler = &world_->scheduler;
  w.network = &world_->network;
  w.trace = &world_->recorder;
  if ((plan.ng_client || plan.ng_server) &&
      (plan.scenario.client().resumption().enabled() ||
       plan.scenario.server().resumption().enabled())) {
    std::shared_ptr<endpoints::Ngtcp2SessionCache>& cache =
        slots_[i].ngtcp2_cache;
    if (cache == nullptr) {
      cache = std::make_shared<endpoints::Ngtcp2SessionCache>(
          world_->seed, absl::StrFormat("ngtcp2/session_cache/pair/%d", i));
    }
    w.session_cache = cache;
  }
  return w;
}

void PairLauncher::StartMeasured(int i, tls::Session session) {
  endpoints::HandshakePairOptions o = OptionsFor(i, false);
  if (session.valid()) {
    o.client.resume_session = std::move(session);
    if (world_->plan_of(i).scenario.client().resumption().zero_rtt()) {
      o.client.request = ResumptionRequest();
      o.server.connection.expect_request_bytes = o.client.request.size();
    }
  }
  slots_[i].oracle = std::make_unique<oracles::PairOracle>();
  o.observer = slots_[i].oracle.get();
  sim::Scheduler* scheduler = &world_->scheduler;
  slots_[i].measured = std::make_unique<endpoints::HandshakePair>(
      std::move(o), scheduler, &world_->network, world_->seed,
      absl::StrFormat("pair/%d", i), &world_->recorder);
  endpoints::HandshakePair* pair = slots_[i].measured.get();
  pair->set_on_done([pair, scheduler] {
    sim::NoteHandshakeDone(scheduler->Now());  // benchmarks' window count
    pair->Stop();
    // Its memory goes back from an event of its own (not from inside the
    // connection's callbacks); nothing observable happens there.
    scheduler->At(scheduler->Now(), [pair] { pair->ReleaseState(); });
  });
  NoteStart(pair->Start());
}

void PairLauncher::StartPrime(int i) {
  endpoints::HandshakePairOptions o = OptionsFor(i, true);
  slots_[i].prime_oracle = std::make_unique<oracles::PairOracle>();
  o.observer = slots_[i].prime_oracle.get();
  slots_[i].prime = std::make_unique<endpoints::HandshakePair>(
      std::move(o), &world_->scheduler, &world_->network, world_->seed,
      absl::StrFormat("pair/%d/prime", i), &world_->recorder);
  endpoints::HandshakePair* prime = slots_[i].prime.get();
  prime->set_on_done([this, i, prime] {
    prime->Stop();
    tls::Session session = prime->has_quicsim_client()
                               ? prime->client().received_session()
                               : tls::Session();
    const std::shared_ptr<endpoints::Ngtcp2SessionCache>& cache =
        slots_[i].ngtcp2_cache;
    slots_[i].prime_ticket =
        session.valid() || (cache != nullptr && cache->has_client_session());
    // Not from inside the prime's callback chain: next event.
    world_->scheduler.At(world_->scheduler.Now(), [this, i, session]() mutable {
      StartMeasured(i, std::move(session));
    });
  });
  NoteStart(prime->Start());
}

void PairLauncher::ScheduleAll() {
  for (int i = 0; i < world_->pairs; ++i) {
    world_->scheduler.At(
        Time::Zero() + PairStartOffset(world_->scenario, i), [this, i] {
          if (world_->plan_of(i).scenario.client().resumption().enabled()) {
            StartPrime(i);
          } else {
            StartMeasured(i, tls::Session());
          }
        });
  }
}

}  // namespace quicsim::scenarios
