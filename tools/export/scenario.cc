#include "tools/export/scenario.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "endpoints/handshake_pair.h"
#include "scenarios/testing/pair_fixture.h"
#include "sim/impairment.h"

namespace quicsim::exporter {
namespace {

using endpoints::HandshakePair;
using endpoints::HandshakePairOptions;
using scenarios::testing::PairFixture;
using sim::Duration;

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
  scenarios::testing::TlsOptions tls;
  tls.enable_0rtt = zero_rtt;
  tls.server_faults.alpn_mismatch = name == "alpn_mismatch";
  const scenarios::testing::TlsContexts contexts =
      scenarios::testing::MakeTlsContexts(tls);

  auto result = std::make_unique<ScenarioResult>();
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string>* lines = &result->keylog;
  // Every engine of the scenario logs into the one deduplicated list.
  auto keylog = [lines, &seen](std::string_view line) {
    if (seen.insert(std::string(line)).second) lines->emplace_back(line);
  };

  PairFixture::Options fixture_options;
  fixture_options.seed = seed;
  PairFixture fixture(fixture_options);
  sim::Network& network = fixture.network();
  network.set_capture(&result->capture);
  sim::Link* c2s = fixture.c2s();
  sim::Link* s2c = fixture.s2c();
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

  auto add_pair = [&](absl::AnyInvocable<void(HandshakePairOptions&)> edit) {
    HandshakePair* pair =
        fixture.AddPair(contexts, [&](HandshakePairOptions& o) {
          o.client.keylog_sink = keylog;
          o.server.connection.keylog_sink = keylog;
          edit(o);
        });
    const int i = fixture.pair_count() - 1;
    ScenarioResult::Pair info;
    info.name = absl::StrCat("pair/", i);
    info.client = PairFixture::ClientAddress(i);
    info.server = PairFixture::ServerAddress(i);
    result->pairs.push_back(info);
    return pair != nullptr ? absl::OkStatus() : fixture.start_status();
  };
  auto run = [&] { fixture.Run(Duration::Seconds(60)); };

  absl::Status status = add_pair([&](HandshakePairOptions& o) {
    o.server.retry = name == "retry";
    o.client.wait_for_session_ticket = zero_rtt;
  });
  if (status.ok()) {
    run();
    if (zero_rtt) {
      tls::Session session = fixture.pair(0)->client().received_session();
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
  for (int i = 0; i < fixture.pair_count(); ++i) {
    result->pairs[i].client_verdict = fixture.pair(i)->client_verdict();
    result->pairs[i].server_verdict = fixture.pair(i)->server_verdict();
    fixture.pair(i)->Stop();
  }
  network.set_capture(nullptr);
  if (!status.ok()) return status;
  result->events = fixture.trace().events();
  return result;
}

}  // namespace quicsim::exporter
