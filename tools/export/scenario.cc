#include "tools/export/scenario.h"

#include <map>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "endpoints/handshake_pair.h"
#include "sim/impairment.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::exporter {
namespace {

using endpoints::HandshakePair;
using endpoints::HandshakePairOptions;
using sim::Duration;

struct Contexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
};

absl::StatusOr<Contexts> MakeContexts(bool enable_0rtt, bool alpn_mismatch) {
  static const absl::StatusOr<tls::TestChain>* chain =
      new absl::StatusOr<tls::TestChain>(tls::MakeTestChain({}));
  if (!chain->ok()) return chain->status();
  tls::Config server;
  server.role = tls::Role::kServer;
  server.certificate_chain = (*chain)->chain;
  server.private_key = (*chain)->private_key;
  server.enable_0rtt = enable_0rtt;
  server.faults.alpn_mismatch = alpn_mismatch;
  tls::Config client;
  client.role = tls::Role::kClient;
  client.trust_anchors = {(*chain)->root};
  client.enable_0rtt = enable_0rtt;
  client.enable_session_events = true;
  Contexts c;
  auto cc = tls::Context::Create(client);
  if (!cc.ok()) return cc.status();
  auto sc = tls::Context::Create(server);
  if (!sc.ok()) return sc.status();
  c.client = std::move(*cc);
  c.server = std::move(*sc);
  return c;
}

}  // namespace

std::vector<std::string> ScenarioNames() {
  return {"clean", "lossy", "retry", "zero_rtt", "alpn_mismatch", "impaired"};
}

absl::StatusOr<std::unique_ptr<ScenarioResult>> RunScenario(
    const std::string& name, uint64_t seed) {
  const bool zero_rtt = name == "zero_rtt";
  bool known = false;
  for (const std::string& n : ScenarioNames()) known |= n == name;
  if (!known) return absl::InvalidArgumentError("unknown scenario " + name);
  absl::StatusOr<Contexts> contexts =
      MakeContexts(zero_rtt, name == "alpn_mismatch");
  if (!contexts.ok()) return contexts.status();

  auto result = std::make_unique<ScenarioResult>();
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string>* lines = &result->keylog;
  // Every engine of the scenario logs into the one deduplicated list.
  auto keylog = [lines, &seen](std::string_view line) {
    if (seen.insert(std::string(line)).second) lines->emplace_back(line);
  };

  sim::Scheduler scheduler;
  sim::TraceRecorder trace;
  sim::Network network(&scheduler, seed, &trace);
  network.set_capture(&result->capture);
  sim::LinkConfig link_config;
  link_config.delay = Duration::Millis(10);
  sim::Link* c2s = network.AddLink("c2s", link_config);
  sim::Link* s2c = network.AddLink("s2c", link_config);
  if (name == "lossy") {
    for (sim::Link* link : {c2s, s2c}) {
      link->AddImpairment(std::make_unique<sim::BernoulliLoss>(
          0.3, network.MakeRng(link->name() + "/loss")));
    }
  }
  if (name == "impaired") {
    // Deterministic picks: the client's 2nd datagram is corrupted, the
    // server's 1st duplicated and its 2nd reordered behind the 3rd, the
    // client's 3rd dropped.
    std::vector<sim::Decision> script(4);
    script[0] = {"c2s", 1, sim::Action::kCorrupt, "corrupt"};
    script[0].bits = {8 * 40 + 3};
    script[1] = {"s2c", 0, sim::Action::kDuplicate, "duplicate"};
    script[1].copies = 1;
    script[2] = {"s2c", 1, sim::Action::kReorder, "reorder"};
    script[2].delay = Duration::Millis(3);
    script[3] = {"c2s", 2, sim::Action::kDrop, "drop"};
    network.SetScript(script);
  }

  std::vector<std::unique_ptr<HandshakePair>> pairs;
  auto add_pair = [&](absl::AnyInvocable<void(HandshakePairOptions&)> edit) {
    const int i = static_cast<int>(pairs.size());
    HandshakePairOptions options;
    options.client.tls_context = contexts->client.get();
    options.client.local = sim::Address::V4(10, 0, 0, 1, 40000 + i);
    options.server.connection.tls_context = contexts->server.get();
    options.server.connection.local = sim::Address::V4(10, 0, 1, 1, 443 + i);
    options.client_to_server = c2s;
    options.server_to_client = s2c;
    options.client.keylog_sink = keylog;
    options.server.connection.keylog_sink = keylog;
    edit(options);
    ScenarioResult::Pair info;
    info.name = absl::StrFormat("pair/%d", i);
    info.client = options.client.local;
    info.server = options.server.connection.local;
    pairs.push_back(std::make_unique<HandshakePair>(
        std::move(options), &scheduler, &network, seed, info.name, &trace));
    result->pairs.push_back(info);
    HandshakePair* pair = pairs.back().get();
    pair->set_on_done([pair] { pair->Stop(); });
    return pair->Start();
  };
  auto run = [&] {
    scheduler.set_limits({.max_events = 5'000'000,
                          .max_time = scheduler.Now() + Duration::Seconds(60)});
    scheduler.RunUntilIdle();
  };

  absl::Status status = add_pair([&](HandshakePairOptions& o) {
    o.server.retry = name == "retry";
    o.client.wait_for_session_ticket = zero_rtt;
  });
  if (status.ok()) {
    run();
    if (zero_rtt) {
      tls::Session session = pairs[0]->client().received_session();
      if (!session.valid()) {
        status = absl::InternalError("first handshake gave no session");
      } else {
        const std::vector<uint8_t> request = {'G', 'E', 'T', ' ', '/'};
        status = add_pair([&](HandshakePairOptions& o) {
          o.client.resume_session = session;
          o.client.request = request;
          o.server.connection.expect_request_bytes = request.size();
        });
        if (status.ok()) run();
      }
    }
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    result->pairs[i].client_verdict = pairs[i]->client_verdict();
    result->pairs[i].server_verdict = pairs[i]->server_verdict();
    pairs[i]->Stop();
  }
  pairs.clear();
  network.set_capture(nullptr);
  if (!status.ok()) return status;
  result->events = trace.events();
  return result;
}

}  // namespace quicsim::exporter
