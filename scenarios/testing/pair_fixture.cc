#include "scenarios/testing/pair_fixture.h"

#include <map>
#include <utility>

#include "absl/strings/str_format.h"
#include "base/check.h"
#include "tls/test_pki.h"

namespace quicsim::scenarios::testing {
namespace {

const tls::TestChain& Chain(int length, size_t cert_size) {
  static auto* chains = new std::map<std::pair<int, size_t>, tls::TestChain>;
  const auto key = std::make_pair(length, cert_size);
  auto it = chains->find(key);
  if (it == chains->end()) {
    tls::TestPkiOptions options;
    options.chain_length = length;
    options.target_certificate_size = cert_size;
    absl::StatusOr<tls::TestChain> chain = tls::MakeTestChain(options);
    QUICSIM_CHECK(chain.ok());
    it = chains->emplace(key, *std::move(chain)).first;
  }
  return it->second;
}

sim::TraceRecorder::Options RecorderOptions(bool keep_events) {
  sim::TraceRecorder::Options options;
  options.keep_events = keep_events;
  return options;
}

}  // namespace

TlsContexts MakeTlsContexts(const TlsOptions& o) {
  const tls::TestChain& chain = Chain(o.chain_length, o.cert_size);
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
  return contexts;
}

sim::LinkConfig PairFixture::DefaultLink() {
  sim::LinkConfig link;
  link.delay = sim::Duration::Millis(10);
  return link;
}

sim::Address PairFixture::ClientAddress(int i) {
  return sim::Address::V4(10, 0, 0, 1, static_cast<uint16_t>(40000 + i));
}

sim::Address PairFixture::ServerAddress(int i) {
  return sim::Address::V4(10, 0, 1, 1, static_cast<uint16_t>(443 + i));
}

PairFixture::PairFixture() : PairFixture(Options()) {}

PairFixture::PairFixture(Options options)
    : seed_(options.seed),
      trace_(RecorderOptions(options.keep_events)),
      network_(&scheduler_, options.seed, &trace_) {
  c2s_ = network_.AddLink("c2s", options.link);
  s2c_ = network_.AddLink("s2c", options.link);
}

PairFixture::~PairFixture() = default;

endpoints::HandshakePair* PairFixture::AddPair(
    const TlsContexts& contexts,
    absl::AnyInvocable<void(endpoints::HandshakePairOptions&)> edit) {
  const int i = static_cast<int>(pairs_.size());
  Slot slot;
  slot.oracle = std::make_unique<oracles::PairOracle>();
  endpoints::HandshakePairOptions options;
  options.client.tls_context = contexts.client.get();
  options.client.local = ClientAddress(i);
  options.server.connection.tls_context = contexts.server.get();
  options.server.connection.local = ServerAddress(i);
  options.client_to_server = c2s_;
  options.server_to_client = s2c_;
  options.observer = slot.oracle.get();
  if (edit) edit(options);
  slot.pair = std::make_unique<endpoints::HandshakePair>(
      std::move(options), &scheduler_, &network_, seed_,
      absl::StrFormat("pair/%d", i), &trace_);
  endpoints::HandshakePair* pair = slot.pair.get();
  pairs_.push_back(std::move(slot));
  pair->set_on_done([pair] { pair->Stop(); });
  absl::Status status = pair->Start();
  if (!status.ok()) {
    if (start_status_.ok()) start_status_ = status;
    return nullptr;
  }
  return pair;
}

sim::RunResult PairFixture::Run(sim::Duration limit) {
  scheduler_.set_limits(
      {.max_events = 5'000'000, .max_time = scheduler_.Now() + limit});
  return scheduler_.RunUntilIdle();
}

const oracles::PairOracle& PairFixture::oracle(
    const endpoints::HandshakePair* pair) const {
  for (const Slot& slot : pairs_) {
    if (slot.pair.get() == pair) return *slot.oracle;
  }
  QUICSIM_CHECK(false);
  return *pairs_.front().oracle;
}

}  // namespace quicsim::scenarios::testing
