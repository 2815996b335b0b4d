#include "scenarios/world_builder.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "scenarios/link_builder.h"
#include "scenarios/runner/decision_proto.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

using sim::Duration;
using sim::Time;

sim::Limits LimitsOf(const Scenario& scenario) {
  sim::Limits limits;
  limits.max_time =
      Time::Zero() +
      DurationOr(scenario.limits().max_virtual_time(), Duration::Seconds(60));
  limits.max_events = scenario.limits().max_events() != 0
                          ? scenario.limits().max_events()
                          : 10'000'000;
  return limits;
}

sim::TraceRecorder::Options RecorderOptions(bool keep_events) {
  sim::TraceRecorder::Options options;
  options.keep_events = keep_events;
  return options;
}

}  // namespace

World::World(const Scenario& scenario, uint64_t seed, bool keep_events)
    : scenario(scenario),
      seed(seed),
      pairs(static_cast<int>(scenario.population().pairs())),
      recorder(RecorderOptions(keep_events)),
      network(&scheduler, seed, &recorder) {
  scheduler.set_limits(LimitsOf(scenario));
}

const VariantPlan& World::plan_of(int pair) const {
  return plans[VariantOfPair(scenario, pair)];
}

sim::Address ClientAddress(int pair, bool prime) {
  return sim::Address::V4(
      10, 1, (pair >> 8) & 0xff, pair & 0xff,
      static_cast<uint16_t>(40000 + (prime ? 1 : 0) + 2 * (pair >> 16)));
}

sim::Address ServerAddress(int pair, bool prime) {
  return sim::Address::V4(
      10, 2, (pair >> 8) & 0xff, pair & 0xff,
      static_cast<uint16_t>(443 + (prime ? 1 : 0) + 2 * (pair >> 16)));
}

absl::StatusOr<VariantPlan> WorldBuilder::Plan(Scenario variant) {
  VariantPlan plan;
  plan.scenario = std::move(variant);
  const EndpointConfig& client = plan.scenario.client();
  const EndpointConfig& server = plan.scenario.server();
  plan.ng_client = client.stack() == EndpointConfig::NGTCP2;
  plan.ng_server = server.stack() == EndpointConfig::NGTCP2;
  if (plan.ng_client && plan.ng_server) {
    return absl::UnimplementedError(
        "both sides NGTCP2: quicsim verifies its own endpoints, so at least "
        "one side must be QUICSIM");
  }
  for (const EndpointConfig* side : {&client, &server}) {
    if (absl::Status s = CheckInjectable(*side); !s.ok()) return s;
  }
  plan.faults = MapFaults(client, server);
  absl::StatusOr<const TlsContexts*> contexts = contexts_.For(plan.scenario);
  if (!contexts.ok()) return contexts.status();
  plan.contexts = *contexts;
  return plan;
}

absl::Status WorldBuilder::AddLinks(World* world) {
  const Network& net = world->scenario.network();
  sim::Network* network = &world->network;
  auto make = [&](LinkDirection direction,
                  const std::string& name) -> absl::StatusOr<sim::Link*> {
    return MakeLink(net, direction, name, network);
  };
  if (net.shared_bottleneck()) {
    absl::StatusOr<sim::Link*> c2s =
        make(LinkDirection::kClientToServer, "bottleneck/c2s");
    if (!c2s.ok()) return c2s.status();
    absl::StatusOr<sim::Link*> s2c =
        make(LinkDirection::kServerToClient, "bottleneck/s2c");
    if (!s2c.ok()) return s2c.status();
    world->links.assign(world->pairs, {*c2s, *s2c});
    return absl::OkStatus();
  }
  for (int i = 0; i < world->pairs; ++i) {
    absl::StatusOr<sim::Link*> c2s =
        make(LinkDirection::kClientToServer, absl::StrFormat("pair/%d/c2s", i));
    if (!c2s.ok()) return c2s.status();
    absl::StatusOr<sim::Link*> s2c =
        make(LinkDirection::kServerToClient, absl::StrFormat("pair/%d/s2c", i));
    if (!s2c.ok()) return s2c.status();
    (*c2s)->set_pair(i);
    (*s2c)->set_pair(i);
    world->links.emplace_back(*c2s, *s2c);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<World>> WorldBuilder::Build(
    const Scenario& scenario, uint64_t seed, const RunSeedOptions& options) {
  std::vector<VariantPlan> plans;
  for (Scenario& variant : ExpandVariants(scenario)) {
    absl::StatusOr<VariantPlan> plan = Plan(std::move(variant));
    if (!plan.ok()) return plan.status();
    plans.push_back(*std::move(plan));
  }
  auto world = std::make_unique<World>(
      scenario, seed, options.record_trace || options.events != nullptr);
  world->plans = std::move(plans);
  sim::Network& network = world->network;
  network.set_record_decisions(options.record_trace);
  if (options.capture != nullptr) network.set_capture(options.capture);
  network.set_decision_hook(options.decision_hook);
  network.set_wire_digest(&world->wire);
  if (absl::Status s = AddLinks(world.get()); !s.ok()) return s;
  if (options.scripted_decisions.has_value()) {
    std::vector<sim::Decision> script;
    for (const trace::NetworkDecision& d : *options.scripted_decisions) {
      std::optional<sim::Decision> s = DecisionFromProto(d);
      if (s.has_value()) script.push_back(std::move(*s));
    }
    network.SetScript(script);
  }
  return world;
}

}  // namespace quicsim::scenarios
