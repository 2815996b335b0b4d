#include "endpoints/testing/pair_world.h"

#include <map>
#include <utility>

#include "absl/strings/str_format.h"
#include "base/check.h"

namespace quicsim::endpoints::testing {
namespace {

sim::TraceRecorder::Options RecorderOptions(bool keep_events) {
  sim::TraceRecorder::Options options;
  options.keep_events = keep_events;
  return options;
}

}  // namespace

const tls::TestChain& TestChainOf(int chain_length, size_t cert_size) {
  static auto* chains = new std::map<std::pair<int, size_t>, tls::TestChain>;
  const auto key = std::make_pair(chain_length, cert_size);
  auto it = chains->find(key);
  if (it == chains->end()) {
    tls::TestPkiOptions options;
    options.chain_length = chain_length;
    options.target_certificate_size = cert_size;
    absl::StatusOr<tls::TestChain> chain = tls::MakeTestChain(options);
    QUICSIM_CHECK(chain.ok());
    it = chains->emplace(key, *std::move(chain)).first;
  }
  return it->second;
}

TlsContexts MakeTlsContexts(const TlsOptions& o) {
  const tls::TestChain& chain = TestChainOf(o.chain_length, o.cert_size);
  tls::Config server;
  server.role = tls::Role::kServer;
  server.certificate_chain = chain.chain;
  server.private_key = chain.private_key;
  server.enable_0rtt = o.enable_0rtt;
  server.faults = o.server_faults;
  tls::Config client;
  client.role = tls::Role::kClient;
  client.trust_anchors = {chain.root};
  client.enable_0rtt = o.enable_0rtt;
  client.enable_session_events = true;
  client.faults = o.client_faults;
  absl::StatusOr<std::unique_ptr<tls::Context>> c =
      tls::Context::Create(client);
  absl::StatusOr<std::unique_ptr<tls::Context>> s =
      tls::Context::Create(server);
  QUICSIM_CHECK(c.ok() && s.ok());
  TlsContexts contexts;
  contexts.client = *std::move(c);
  contexts.server = *std::move(s);
  contexts.chain = &chain;
  return contexts;
}

sim::LinkConfig PairWorld::DefaultLink() {
  sim::LinkConfig link;
  link.delay = sim::Duration::Millis(10);
  return link;
}

sim::Address PairWorld::ClientAddress(int i) {
  return sim::Address::V4(10, 0, 0, 1, static_cast<uint16_t>(40000 + i));
}

sim::Address PairWorld::ServerAddress(int i) {
  return sim::Address::V4(10, 0, 1, 1, static_cast<uint16_t>(443 + i));
}

PairWorld::PairWorld() : PairWorld(Options()) {}

PairWorld::PairWorld(Options options)
    : seed_(options.seed),
      record_trace_(options.record_trace),
      trace_(RecorderOptions(options.keep_events)),
      network_(&scheduler_, options.seed,
               options.record_trace ? &trace_ : nullptr) {
  c2s_ = network_.AddLink("c2s", options.link);
  s2c_ = network_.AddLink("s2c", options.link);
}

PairWorld::~PairWorld() = default;

HandshakePairOptions PairWorld::PairOptions(const TlsContexts& contexts,
                                            int i) {
  HandshakePairOptions options;
  options.client.perspective = Perspective::kClient;
  options.client.tls_context = contexts.client.get();
  options.client.local = ClientAddress(i);
  options.client.peer = ServerAddress(i);
  options.server.connection.perspective = Perspective::kServer;
  options.server.connection.tls_context = contexts.server.get();
  options.server.connection.local = ServerAddress(i);
  options.server.connection.peer = ClientAddress(i);
  options.client_to_server = c2s_;
  options.server_to_client = s2c_;
  return options;
}

void PairWorld::AddRoutes(const HandshakePairOptions& options) {
  network_.AddRoute(options.client.local, options.server.connection.local,
                    options.client_to_server);
  network_.AddRoute(options.server.connection.local, options.client.local,
                    options.server_to_client);
}

HandshakePair* PairWorld::AddPair(HandshakePairOptions options) {
  const int i = pair_count();
  pairs_.push_back(std::make_unique<HandshakePair>(
      std::move(options), &scheduler_, &network_, seed_,
      absl::StrFormat("pair/%d", i), record_trace_ ? &trace_ : nullptr));
  HandshakePair* pair = pairs_.back().get();
  pair->set_on_done([pair] { pair->Stop(); });
  absl::Status status = pair->Start();
  if (!status.ok()) {
    if (start_status_.ok()) start_status_ = status;
    return nullptr;
  }
  return pair;
}

sim::RunResult PairWorld::Run(sim::Duration limit) {
  scheduler_.set_limits(
      {.max_events = 5'000'000, .max_time = scheduler_.Now() + limit});
  return scheduler_.RunUntilIdle();
}

}  // namespace quicsim::endpoints::testing
