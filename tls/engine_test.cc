#include "tls/engine.h"

#include <openssl/sha.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tls/rand_hook.h"
#include "tls/test_pki.h"

namespace quicsim::tls {
namespace {

using ::testing::ElementsAre;

std::vector<uint8_t> Bytes(absl::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

const std::vector<uint8_t> kClientParams = Bytes("client transport params");
const std::vector<uint8_t> kServerParams = Bytes("server transport params");

const TestChain& DefaultChain() {
  static const TestChain* chain = new TestChain(*MakeTestChain({}));
  return *chain;
}

Config ServerConfig(const TestChain& chain = DefaultChain()) {
  Config c;
  c.role = Role::kServer;
  c.certificate_chain = chain.chain;
  c.private_key = chain.private_key;
  return c;
}

Config ClientConfig(const TestChain& chain = DefaultChain()) {
  Config c;
  c.role = Role::kClient;
  c.trust_anchors = {chain.root};
  return c;
}

std::unique_ptr<Context> MustContext(Config config) {
  absl::StatusOr<std::unique_ptr<Context>> ctx =
      Context::Create(std::move(config));
  EXPECT_TRUE(ctx.ok()) << ctx.status();
  return ctx.ok() ? *std::move(ctx) : nullptr;
}

// One side of an in-memory pair, with everything it saw.
struct Side {
  std::unique_ptr<ChaChaRandom> random;
  std::unique_ptr<Engine> engine;
  std::vector<Event> events;
  absl::Status status;               // first error a call returned
  uint64_t received_close_code = 0;  // the code the peer closed with
  bool set_params_on_request = true;
  bool send_first_flight_on_request = true;
  bool send_ticket_on_done = true;
  Session stored;

  std::vector<EventKind> Kinds() const {
    std::vector<EventKind> k;
    for (const Event& e : events) k.push_back(e.kind);
    return k;
  }
  const Event* Find(EventKind kind, Level level = Level::kInitial,
                    bool any_level = true) const {
    for (const Event& e : events) {
      if (e.kind == kind && (any_level || e.level == level)) return &e;
    }
    return nullptr;
  }
  int Count(EventKind kind) const {
    int n = 0;
    for (const Event& e : events) n += e.kind == kind;
    return n;
  }
  bool Done() const { return Find(EventKind::kHandshakeDone) != nullptr; }
};

// A client and a server engine wired to each other through their events.
// In QUIC an error travels as CONNECTION_CLOSE, not TLS bytes: when a call
// fails, the harness hands the failing side's QUIC error code to the peer.
class Pair {
 public:
  Pair(Context* client_ctx, Context* server_ctx, absl::string_view seed,
       absl::Duration elapsed = absl::ZeroDuration()) {
    now_ = VirtualEpoch() + elapsed;
    Clock clock = [this] { return now_; };
    client.random =
        std::make_unique<ChaChaRandom>(absl::StrCat(seed, "/client"));
    server.random =
        std::make_unique<ChaChaRandom>(absl::StrCat(seed, "/server"));
    client.engine = Engine::Create(client_ctx, client.random.get(), clock);
    server.engine = Engine::Create(server_ctx, server.random.get(), clock);
  }

  // Client parameters before Start (no TransportParametersRequired).
  void StartBoth(bool client_params_first = true,
                 bool server_params_first = false) {
    if (client_params_first) {
      Record(client, server,
             client.engine->SetTransportParameters(kClientParams));
    }
    if (server_params_first) {
      Record(server, client,
             server.engine->SetTransportParameters(kServerParams));
    }
    Record(server, client, server.engine->Start());
    Record(client, server, client.engine->Start());
  }

  // Delivers events until both queues are empty.
  void Run() {
    bool progress = true;
    while (progress) {
      progress = Drain(client, server) | Drain(server, client);
    }
  }

  Side client;
  Side server;
  // When set, WriteData is collected here instead of delivered.
  bool hold_client_writes = false;
  std::vector<Event> held;

 private:
  void Record(Side& self, Side& peer, const absl::Status& s) {
    if (s.ok() || !self.status.ok()) return;
    self.status = s;
    peer.received_close_code = QuicErrorCode(s);
  }

  bool Drain(Side& self, Side& peer) {
    bool any = false;
    for (Event ev = self.engine->NextEvent(); ev.kind != EventKind::kNone;
         ev = self.engine->NextEvent()) {
      any = true;
      self.events.push_back(ev);
      const bool self_is_client = &self == &client;
      switch (ev.kind) {
        case EventKind::kWriteData:
          if (self_is_client && hold_client_writes) {
            held.push_back(ev);
          } else if (peer.status.ok()) {
            Record(peer, self, peer.engine->HandleData(ev.level, ev.data));
          }
          break;
        case EventKind::kTransportParametersRequired:
          if (self.set_params_on_request) {
            Record(self, peer,
                   self.engine->SetTransportParameters(
                       self_is_client ? kClientParams : kServerParams));
          }
          break;
        case EventKind::kFirstFlightReady:
          if (self.send_first_flight_on_request) {
            Record(self, peer, self.engine->SendFirstFlight());
          }
          break;
        case EventKind::kHandshakeDone:
          if (!self_is_client && self.send_ticket_on_done) {
            Record(self, peer, self.engine->SendSessionTicket());
          }
          break;
        case EventKind::kStoreSession:
          self.stored = ev.session;
          break;
        default:
          break;
      }
    }
    return any;
  }

  absl::Time now_;
};

// Digest of every event a side produced (the transcript and secrets).
std::string Digest(const Side& side) {
  SHA256_CTX sha;
  SHA256_Init(&sha);
  for (const Event& e : side.events) {
    const uint8_t header[4] = {static_cast<uint8_t>(e.kind),
                               static_cast<uint8_t>(e.level),
                               static_cast<uint8_t>(e.cipher_suite >> 8),
                               static_cast<uint8_t>(e.cipher_suite)};
    SHA256_Update(&sha, header, sizeof(header));
    const uint64_t len = e.data.size();
    SHA256_Update(&sha, &len, sizeof(len));
    SHA256_Update(&sha, e.data.data(), e.data.size());
  }
  uint8_t out[SHA256_DIGEST_LENGTH];
  SHA256_Final(out, &sha);
  return std::string(reinterpret_cast<char*>(out), sizeof(out));
}

// Asserts that `side` failed with `code`, that the Error event is its last
// and only error event, and that its peer was handed the same code.
void ExpectFailed(const Side& side, const Side& peer, uint64_t code) {
  ASSERT_FALSE(side.status.ok());
  EXPECT_EQ(QuicErrorCode(side.status), code) << side.status;
  ASSERT_FALSE(side.events.empty());
  EXPECT_EQ(side.events.back().kind, EventKind::kError);
  EXPECT_EQ(side.Count(EventKind::kError), 1);
  EXPECT_EQ(side.events.back().error.quic_error_code(), code);
  EXPECT_EQ(peer.received_close_code, code);
  EXPECT_TRUE(side.engine->failed());
  // Every later call returns the same error and queues nothing.
  absl::Status again =
      side.engine->HandleData(Level::kHandshake, Bytes("more"));
  EXPECT_EQ(QuicErrorCode(again), code);
  EXPECT_EQ(side.engine->NextEvent().kind, EventKind::kNone);
}

TEST(EngineTest, FullHandshake) {
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "full");
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.client.status.ok()) << p.client.status;
  ASSERT_TRUE(p.server.status.ok()) << p.server.status;
  EXPECT_TRUE(p.client.Done());
  EXPECT_TRUE(p.server.Done());

  // The client's first event is its ClientHello; it never asked for
  // parameters because they were set before Start.
  EXPECT_EQ(p.client.events.front().kind, EventKind::kWriteData);
  EXPECT_EQ(p.client.events.front().level, Level::kInitial);
  EXPECT_EQ(p.client.Count(EventKind::kTransportParametersRequired), 0);
  // The server read the client's parameters, then asked for its own before
  // writing anything.
  ASSERT_GE(p.server.events.size(), 2u);
  EXPECT_EQ(p.server.events[0].kind, EventKind::kTransportParameters);
  EXPECT_EQ(p.server.events[0].data, kClientParams);
  EXPECT_EQ(p.server.events[1].kind, EventKind::kTransportParametersRequired);
  const Event* tp = p.client.Find(EventKind::kTransportParameters);
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->data, kServerParams);

  // Keys match pairwise: each write secret is the peer's read secret.
  for (Level level : {Level::kHandshake, Level::kApplication}) {
    const Event* cw = p.client.Find(EventKind::kSetWriteSecret, level, false);
    const Event* sr = p.server.Find(EventKind::kSetReadSecret, level, false);
    const Event* sw = p.server.Find(EventKind::kSetWriteSecret, level, false);
    const Event* cr = p.client.Find(EventKind::kSetReadSecret, level, false);
    ASSERT_TRUE(cw && sr && sw && cr) << LevelName(level);
    EXPECT_EQ(cw->data, sr->data);
    EXPECT_EQ(sw->data, cr->data);
    EXPECT_NE(cw->data, sw->data);
    EXPECT_EQ(cw->cipher_suite, sw->cipher_suite);
    EXPECT_EQ(cw->data.size(), 32u);  // a SHA-256 suite
  }
  // No Initial secrets are ever reported.
  for (const Event& e : p.client.events) {
    if (e.kind == EventKind::kSetReadSecret ||
        e.kind == EventKind::kSetWriteSecret) {
      EXPECT_NE(e.level, Level::kInitial);
    }
  }

  ConnectionInfo ci = p.client.engine->ConnectionState();
  ConnectionInfo si = p.server.engine->ConnectionState();
  EXPECT_TRUE(ci.handshake_complete);
  EXPECT_EQ(ci.alpn, "h3");
  EXPECT_EQ(si.alpn, "h3");
  EXPECT_EQ(si.server_name, "example.com");
  EXPECT_EQ(ci.group, 29);  // X25519
  EXPECT_FALSE(ci.resumed);
  EXPECT_FALSE(ci.hello_retry_request);
  EXPECT_EQ(ci.peer_certificates, DefaultChain().chain);
  EXPECT_EQ(ci.cipher_suite, si.cipher_suite);
  // The server released its ticket on request, as one NewSessionTicket
  // message (type 4) at the Application level, and the client read it.
  const Event* ticket =
      p.server.Find(EventKind::kWriteData, Level::kApplication, false);
  ASSERT_NE(ticket, nullptr);
  ASSERT_GE(ticket->data.size(), 4u);
  EXPECT_EQ(ticket->data[0], 4);
  EXPECT_EQ(size_t{ticket->data[1]} << 16 | size_t{ticket->data[2]} << 8 |
                ticket->data[3],
            ticket->data.size() - 4);
}

TEST(EngineTest, ServerHoldsTicketUntilAsked) {
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "ticket");
  p.server.send_ticket_on_done = false;
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.server.Done());
  EXPECT_EQ(p.server.Find(EventKind::kWriteData, Level::kApplication, false),
            nullptr);
  ASSERT_TRUE(p.server.engine->SendSessionTicket().ok());
  Event ev = p.server.engine->NextEvent();
  EXPECT_EQ(ev.kind, EventKind::kWriteData);
  EXPECT_EQ(ev.level, Level::kApplication);
  EXPECT_FALSE(ev.data.empty());
  EXPECT_EQ(ev.data[0], 4);  // NewSessionTicket
}

struct Resumed {
  std::unique_ptr<Pair> first;
  std::unique_ptr<Pair> second;
};

Config WithSessionEvents(Config c, bool zero_rtt) {
  c.enable_session_events = true;
  c.enable_0rtt = zero_rtt;
  return c;
}

TEST(EngineTest, ResumptionWithTicket) {
  auto cctx = MustContext(WithSessionEvents(ClientConfig(), false));
  auto sctx = MustContext(WithSessionEvents(ServerConfig(), false));
  Pair first(cctx.get(), sctx.get(), "resume-1");
  first.StartBoth();
  first.Run();
  ASSERT_TRUE(first.client.Done());
  ASSERT_TRUE(first.client.stored.valid());
  EXPECT_EQ(first.client.stored.transport_parameters(), kServerParams);
  EXPECT_FALSE(first.client.stored.early_data_capable());

  Pair second(cctx.get(), sctx.get(), "resume-2");
  ASSERT_TRUE(second.client.engine->SetSession(first.client.stored).ok());
  second.StartBoth();
  second.Run();
  ASSERT_TRUE(second.client.Done()) << second.client.status;
  EXPECT_TRUE(second.client.engine->ConnectionState().resumed);
  EXPECT_TRUE(second.server.engine->ConnectionState().resumed);
  EXPECT_EQ(second.client.events.front().kind, EventKind::kResumeSession);
  EXPECT_NE(second.server.Find(EventKind::kResumeSession), nullptr);
  // A resumed handshake carries no certificate: nothing was verified again.
  EXPECT_EQ(cctx->verification_cache_misses(), 1u);
  EXPECT_EQ(cctx->verification_cache_hits(), 0u);
  // The server's parameters still reach the client.
  ASSERT_NE(second.client.Find(EventKind::kTransportParameters), nullptr);
}

TEST(EngineTest, SessionCacheInContext) {
  Config cc = ClientConfig();
  cc.use_session_cache = true;
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());
  Pair first(cctx.get(), sctx.get(), "cache-1");
  first.StartBoth();
  first.Run();
  ASSERT_TRUE(first.client.Done());
  EXPECT_EQ(first.client.Count(EventKind::kStoreSession), 0);
  EXPECT_TRUE(cctx->LookupSession("example.com").valid());
  Pair second(cctx.get(), sctx.get(), "cache-2");
  second.StartBoth();
  second.Run();
  EXPECT_TRUE(second.client.engine->ConnectionState().resumed);
}

TEST(EngineTest, ZeroRttAccepted) {
  auto cctx = MustContext(WithSessionEvents(ClientConfig(), true));
  auto sctx = MustContext(WithSessionEvents(ServerConfig(), true));
  Pair first(cctx.get(), sctx.get(), "0rtt-1");
  first.StartBoth();
  first.Run();
  ASSERT_TRUE(first.client.stored.early_data_capable());

  Pair second(cctx.get(), sctx.get(), "0rtt-2");
  ASSERT_TRUE(second.client.engine->SetSession(first.client.stored).ok());
  second.StartBoth();
  second.Run();
  ASSERT_TRUE(second.client.Done()) << second.client.status;
  // ResumeSession, ClientHello, then the 0-RTT write key.
  ASSERT_GE(second.client.events.size(), 3u);
  EXPECT_EQ(second.client.events[0].kind, EventKind::kResumeSession);
  EXPECT_EQ(second.client.events[1].kind, EventKind::kWriteData);
  EXPECT_EQ(second.client.events[2].kind, EventKind::kSetWriteSecret);
  EXPECT_EQ(second.client.events[2].level, Level::kEarly);
  const Event* early_read =
      second.server.Find(EventKind::kSetReadSecret, Level::kEarly, false);
  ASSERT_NE(early_read, nullptr);
  EXPECT_EQ(early_read->data, second.client.events[2].data);
  EXPECT_EQ(second.client.Count(EventKind::kRejectedEarlyData), 0);
  EXPECT_TRUE(second.client.engine->ConnectionState().early_data_accepted);
  EXPECT_TRUE(second.server.engine->ConnectionState().early_data_accepted);
  EXPECT_EQ(second.server.engine->ConnectionState().early_data_reason,
            "accepted");
}

TEST(EngineTest, ZeroRttRejectedOnContextMismatch) {
  auto cctx = MustContext(WithSessionEvents(ClientConfig(), true));
  auto sctx = MustContext(WithSessionEvents(ServerConfig(), true));
  Config changed = WithSessionEvents(ServerConfig(), true);
  changed.early_data_context = Bytes("different parameters");
  auto sctx2 = MustContext(changed);  // same ticket key
  Pair first(cctx.get(), sctx.get(), "rej-1");
  first.StartBoth();
  first.Run();
  ASSERT_TRUE(first.client.stored.early_data_capable());

  Pair second(cctx.get(), sctx2.get(), "rej-2");
  ASSERT_TRUE(second.client.engine->SetSession(first.client.stored).ok());
  second.StartBoth();
  second.Run();
  ASSERT_TRUE(second.client.Done()) << second.client.status;
  EXPECT_EQ(second.client.Count(EventKind::kRejectedEarlyData), 1);
  // RejectedEarlyData comes before the 1-RTT keys.
  size_t rejected = 0, app_key = 0;
  for (size_t i = 0; i < second.client.events.size(); ++i) {
    const Event& e = second.client.events[i];
    if (e.kind == EventKind::kRejectedEarlyData) rejected = i;
    if (e.kind == EventKind::kSetReadSecret && e.level == Level::kApplication)
      app_key = i;
  }
  EXPECT_LT(rejected, app_key);
  ConnectionInfo ci = second.client.engine->ConnectionState();
  ConnectionInfo si = second.server.engine->ConnectionState();
  EXPECT_TRUE(ci.resumed);
  EXPECT_FALSE(ci.early_data_accepted);
  EXPECT_EQ(si.early_data_reason, "quic_parameter_mismatch");
  EXPECT_EQ(ci.early_data_reason, "peer_declined");
  EXPECT_EQ(second.server.Find(EventKind::kSetReadSecret, Level::kEarly, false),
            nullptr);
}

TEST(EngineTest, HelloRetryRequest) {
  Config cc = ClientConfig();
  cc.groups = "P-256:X25519";  // key share for P-256 only
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());  // X25519 only
  EXPECT_EQ(cctx->determinism(), Determinism::kByteLevel);
  Pair p(cctx.get(), sctx.get(), "hrr");
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.client.Done()) << p.client.status;
  EXPECT_TRUE(p.client.engine->ConnectionState().hello_retry_request);
  EXPECT_TRUE(p.server.engine->ConnectionState().hello_retry_request);
  EXPECT_EQ(p.client.engine->ConnectionState().group, 29);
  // Two ClientHellos: the client wrote Initial data twice (two events, as a
  // ServerHello/HRR was read in between).
  int initial_writes = 0;
  for (const Event& e : p.client.events) {
    initial_writes +=
        e.kind == EventKind::kWriteData && e.level == Level::kInitial;
  }
  EXPECT_EQ(initial_writes, 2);
  EXPECT_EQ(p.server.Count(EventKind::kTransportParameters), 1);
}

TEST(EngineTest, AlpnAndSni) {
  Config cc = ClientConfig();
  cc.alpn = {"hq-interop", "h3"};
  Config sc = ServerConfig();
  sc.alpn = {"h3", "hq-interop"};  // server preference wins
  sc.certificate_names = {"example.com"};
  auto cctx = MustContext(cc);
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "alpn");
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.client.Done());
  EXPECT_EQ(p.client.engine->ConnectionState().alpn, "h3");
  EXPECT_EQ(p.server.engine->ConnectionState().server_name, "example.com");

  // A name the server holds no certificate for: handshake_failure.
  Config other = ClientConfig();
  other.server_name = "other.example";
  auto octx = MustContext(other);
  Pair q(octx.get(), sctx.get(), "sni");
  q.StartBoth();
  q.Run();
  ExpectFailed(q.server, q.client, 0x128);
}

// --- Faults (design brief, error-injection table) ---

TEST(EngineFaultTest, AlpnMismatch) {
  Config sc = ServerConfig();
  sc.faults.alpn_mismatch = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth(true, true);
  p.Run();
  ExpectFailed(p.server, p.client, 0x178);
  auto e = Error::FromStatus(p.server.status);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->alert, kAlertNoApplicationProtocol);
  EXPECT_EQ(p.server.Count(EventKind::kWriteData), 0);
  EXPECT_FALSE(p.client.Done());
}

TEST(EngineFaultTest, NoCertificateForSni) {
  Config sc = ServerConfig();
  sc.faults.no_certificate_for_sni = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.server, p.client, 0x128);
  EXPECT_EQ(p.server.Count(EventKind::kWriteData), 0);
}

TEST(EngineFaultTest, ServerRefusesTransportParametersByConfig) {
  Config sc = ServerConfig();
  sc.faults.refuse_peer_transport_parameters = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.server, p.client, 0x08);
}

TEST(EngineFaultTest, ServerApplicationRefusesTransportParameters) {
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "f");
  p.server.set_params_on_request = false;
  p.StartBoth();
  p.Run();
  // The server paused at TransportParametersRequired; the application
  // inspects the client's parameters and refuses them with the alert it
  // chose.
  EXPECT_EQ(p.server.events.back().kind,
            EventKind::kTransportParametersRequired);
  absl::Status s = p.server.engine->Abort(
      Error::Alert(kAlertHandshakeFailure, "bad parameters"));
  EXPECT_EQ(QuicErrorCode(s), 0x128);
  Event ev = p.server.engine->NextEvent();
  EXPECT_EQ(ev.kind, EventKind::kError);
  EXPECT_EQ(ev.error.alert, kAlertHandshakeFailure);
  EXPECT_EQ(p.server.engine->NextEvent().kind, EventKind::kNone);
  EXPECT_EQ(
      QuicErrorCode(p.server.engine->SetTransportParameters(kServerParams)),
      0x128);
}

TEST(EngineFaultTest, InternalFailureWhileWritingServerFlight) {
  Config sc = ServerConfig();
  sc.faults.fail_server_flight = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  // SetTransportParameters resumed the handshake and returned the error.
  ExpectFailed(p.server, p.client, 0x150);
  // The ServerHello had been written but never flushed: discarded.
  EXPECT_EQ(p.server.Count(EventKind::kWriteData), 0);
  EXPECT_FALSE(p.client.Done());
}

// The private-key operation fails while signing CertificateVerify, i.e. after
// TransportParametersRequired and ServerHello: the engine call that resumed
// the handshake returns internal_error, for every key type of the test PKI.
TEST(EngineFaultTest, SigningFailureIsInternalErrorForEveryKeyType) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kEcdsaP256}) {
    TestPkiOptions o;
    o.key_type = type;
    auto chain = MakeTestChain(o);
    ASSERT_TRUE(chain.ok());
    Config sc = ServerConfig(*chain);
    sc.faults.fail_signing = true;
    auto cctx = MustContext(ClientConfig(*chain));
    auto sctx = MustContext(sc);
    Pair p(cctx.get(), sctx.get(), "sign");
    p.StartBoth();
    p.Run();
    ExpectFailed(p.server, p.client, 0x150);
    EXPECT_THAT(std::string(p.server.status.message()),
                ::testing::HasSubstr("PRIVATE_KEY_OPERATION_FAILED"));
    // The transport parameters were exchanged before the failure.
    EXPECT_EQ(p.server.Count(EventKind::kTransportParametersRequired), 1);
    EXPECT_FALSE(p.client.Done());
    // The same configuration without the fault completes.
    sc.faults.fail_signing = false;
    auto good = MustContext(sc);
    Pair q(cctx.get(), good.get(), "sign");
    q.StartBoth();
    q.Run();
    EXPECT_TRUE(q.client.Done()) << q.client.status;
  }
}

// With PROPOSAL_74922's SendFirstFlight the signing failure comes back from
// SendFirstFlight itself.
TEST(EngineFaultTest, SigningFailureComesBackFromSendFirstFlight) {
  Config sc = ServerConfig();
  sc.enable_send_first_flight = true;
  sc.faults.fail_signing = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  ASSERT_NE(sctx, nullptr);
  auto random = std::make_unique<ChaChaRandom>("ssf");
  Clock clock = [] { return VirtualEpoch(); };
  std::unique_ptr<Engine> client =
      Engine::Create(cctx.get(), random.get(), clock);
  auto srandom = std::make_unique<ChaChaRandom>("ssf-s");
  std::unique_ptr<Engine> server =
      Engine::Create(sctx.get(), srandom.get(), clock);
  ASSERT_TRUE(client->SetTransportParameters(kClientParams).ok());
  ASSERT_TRUE(server->Start().ok());
  ASSERT_TRUE(client->Start().ok());
  std::vector<uint8_t> hello;
  for (Event e = client->NextEvent(); e.kind != EventKind::kNone;
       e = client->NextEvent()) {
    if (e.kind == EventKind::kWriteData) {
      hello.insert(hello.end(), e.data.begin(), e.data.end());
    }
  }
  ASSERT_FALSE(hello.empty());
  ASSERT_TRUE(server->HandleData(Level::kInitial, hello).ok());
  bool flight_ready = false;
  for (Event e = server->NextEvent(); e.kind != EventKind::kNone;
       e = server->NextEvent()) {
    if (e.kind == EventKind::kTransportParametersRequired) {
      ASSERT_TRUE(server->SetTransportParameters(kServerParams).ok());
    }
    flight_ready = flight_ready || e.kind == EventKind::kFirstFlightReady;
  }
  ASSERT_TRUE(flight_ready);
  absl::Status s = server->SendFirstFlight();
  EXPECT_EQ(QuicErrorCode(s), 0x150) << s;
}

TEST(EngineFaultTest,
     ServerFirstFlightWithoutParametersFailsInSendFirstFlight) {
  Config sc = ServerConfig();
  sc.enable_send_first_flight = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "f");
  p.server.set_params_on_request = false;
  p.StartBoth();
  p.Run();
  ASSERT_FALSE(p.server.status.ok());
  EXPECT_EQ(QuicErrorCode(p.server.status), 0x150);
  EXPECT_THAT(p.server.Kinds(),
              ElementsAre(EventKind::kTransportParameters,
                          EventKind::kTransportParametersRequired,
                          EventKind::kFirstFlightReady,
                          // ServerHello was written but not flushed: its
                          // WriteData is discarded, the key event stays.
                          EventKind::kSetWriteSecret, EventKind::kError));
  EXPECT_EQ(p.client.received_close_code, 0x150u);
}

TEST(EngineFaultTest, ClientVerificationUntrustedByConfig) {
  Config cc = ClientConfig();
  cc.faults.verify = FaultInjection::Verify::kUntrusted;
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.client, p.server, 0x12a);
  // The client's Finished was never produced.
  EXPECT_EQ(p.client.Find(EventKind::kWriteData, Level::kHandshake, false),
            nullptr);
  EXPECT_FALSE(p.server.Done());
}

TEST(EngineFaultTest, ClientVerificationBadSignatureByConfig) {
  Config cc = ClientConfig();
  cc.faults.verify = FaultInjection::Verify::kBadSignature;
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.client, p.server, 0x133);
}

TEST(EngineFaultTest, UntrustedRootIsBadCertificate) {
  TestPkiOptions other;
  other.seed = "another root";
  auto other_chain = MakeTestChain(other);
  ASSERT_TRUE(other_chain.ok());
  auto cctx = MustContext(ClientConfig(*other_chain));
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.client, p.server, 0x12a);
}

TEST(EngineFaultTest, WronglySignedChainIsDecryptError) {
  TestPkiOptions bad;
  bad.variant = TestPkiOptions::Variant::kWronglySigned;
  auto bad_chain = MakeTestChain(bad);
  ASSERT_TRUE(bad_chain.ok());
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig(*bad_chain));
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ExpectFailed(p.client, p.server, 0x133);
}

TEST(EngineFaultTest, ClientAbortsAtFirstFlightReady) {
  Config cc = ClientConfig();
  cc.enable_send_first_flight = true;
  cc.faults.abort_before_client_hello = true;
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "f");
  p.StartBoth();
  p.Run();
  ASSERT_FALSE(p.client.status.ok());
  EXPECT_EQ(QuicErrorCode(p.client.status), 0x150);
  EXPECT_THAT(p.client.Kinds(),
              ElementsAre(EventKind::kFirstFlightReady, EventKind::kError));
  EXPECT_TRUE(p.server.events.empty());  // nothing was sent
}

TEST(EngineTest, ClientSendFirstFlight) {
  Config cc = ClientConfig();
  cc.enable_send_first_flight = true;
  auto cctx = MustContext(cc);
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "ff");
  ASSERT_TRUE(p.client.engine->Start().ok());
  ASSERT_TRUE(p.server.engine->Start().ok());
  // Nothing is generated before SendFirstFlight; parameters may come late.
  EXPECT_EQ(p.client.engine->NextEvent().kind,
            EventKind::kTransportParametersRequired);
  EXPECT_EQ(p.client.engine->NextEvent().kind, EventKind::kFirstFlightReady);
  EXPECT_EQ(p.client.engine->NextEvent().kind, EventKind::kNone);
  ASSERT_TRUE(p.client.engine->SetTransportParameters(kClientParams).ok());
  EXPECT_EQ(p.client.engine->NextEvent().kind, EventKind::kNone);
  ASSERT_TRUE(p.client.engine->SendFirstFlight().ok());
  Event ch = p.client.engine->NextEvent();
  EXPECT_EQ(ch.kind, EventKind::kWriteData);
  EXPECT_EQ(ch.data[0], 1);  // ClientHello
  ASSERT_TRUE(p.server.engine->HandleData(Level::kInitial, ch.data).ok());
  p.Run();
  EXPECT_TRUE(p.client.Done());
}

TEST(EngineTest, ServerSendFirstFlight) {
  Config sc = ServerConfig();
  sc.enable_send_first_flight = true;
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "ff");
  p.server.send_first_flight_on_request = false;
  p.StartBoth(true, /*server_params_first=*/true);
  p.Run();
  EXPECT_THAT(p.server.Kinds(), ElementsAre(EventKind::kTransportParameters,
                                            EventKind::kFirstFlightReady));
  ASSERT_TRUE(p.server.engine->SendFirstFlight().ok());
  p.Run();
  EXPECT_TRUE(p.client.Done());
  EXPECT_TRUE(p.server.Done());
}

// --- Buffering of CRYPTO data for later levels ---

TEST(EngineTest, FutureLevelDataIsBufferedAndDelivered) {
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "buf");
  ASSERT_TRUE(p.client.engine->SetTransportParameters(kClientParams).ok());
  ASSERT_TRUE(p.server.engine->SetTransportParameters(kServerParams).ok());
  ASSERT_TRUE(p.server.engine->Start().ok());
  ASSERT_TRUE(p.client.engine->Start().ok());
  Event ch = p.client.engine->NextEvent();
  ASSERT_TRUE(p.server.engine->HandleData(Level::kInitial, ch.data).ok());
  std::vector<uint8_t> initial, handshake;
  for (Event e = p.server.engine->NextEvent(); e.kind != EventKind::kNone;
       e = p.server.engine->NextEvent()) {
    if (e.kind != EventKind::kWriteData) continue;
    (e.level == Level::kInitial ? initial : handshake) = e.data;
  }
  ASSERT_FALSE(initial.empty());
  ASSERT_FALSE(handshake.empty());
  // Handshake data first: buffered, no progress.
  ASSERT_TRUE(p.client.engine->HandleData(Level::kHandshake, handshake).ok());
  EXPECT_EQ(p.client.engine->NextEvent().kind, EventKind::kNone);
  // The ServerHello installs the Handshake level and the buffered data is fed.
  ASSERT_TRUE(p.client.engine->HandleData(Level::kInitial, initial).ok());
  bool done = false;
  for (Event e = p.client.engine->NextEvent(); e.kind != EventKind::kNone;
       e = p.client.engine->NextEvent()) {
    done |= e.kind == EventKind::kHandshakeDone;
  }
  EXPECT_TRUE(done);
}

TEST(EngineTest, BufferBoundIsCryptoBufferExceeded) {
  auto cctx = MustContext(ClientConfig());
  Config sc = ServerConfig();
  auto sctx = MustContext(sc);
  Pair p(cctx.get(), sctx.get(), "bound");
  ASSERT_TRUE(p.client.engine->SetTransportParameters(kClientParams).ok());
  ASSERT_TRUE(p.client.engine->Start().ok());
  while (p.client.engine->NextEvent().kind != EventKind::kNone) {
  }
  const std::vector<uint8_t> chunk(40000, 0);
  ASSERT_TRUE(p.client.engine->HandleData(Level::kHandshake, chunk).ok());
  absl::Status s = p.client.engine->HandleData(Level::kHandshake, chunk);
  EXPECT_EQ(QuicErrorCode(s), kCryptoBufferExceeded);
  Event ev = p.client.engine->NextEvent();
  EXPECT_EQ(ev.kind, EventKind::kError);
  EXPECT_EQ(ev.error.quic_error_code(), 0x0du);
  EXPECT_EQ(p.client.engine->NextEvent().kind, EventKind::kNone);
}

TEST(EngineTest, DataForAnOldLevelIsUnexpectedMessage) {
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  Pair p(cctx.get(), sctx.get(), "old");
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.client.Done());
  absl::Status s = p.client.engine->HandleData(Level::kInitial, Bytes("late"));
  EXPECT_EQ(QuicErrorCode(s), 0x10a);
}

// --- Determinism (design rule 4) ---

std::pair<std::string, std::string> RunDigests(Context* c, Context* s,
                                               absl::string_view seed) {
  Pair p(c, s, seed);
  p.StartBoth();
  p.Run();
  EXPECT_TRUE(p.client.Done());
  return {Digest(p.client), Digest(p.server)};
}

TEST(DeterminismTest, SameSeedSameBytesOtherSeedOtherBytes) {
  ASSERT_TRUE(RandBytesInterposed());
  auto cctx = MustContext(ClientConfig());
  auto sctx = MustContext(ServerConfig());
  EXPECT_EQ(cctx->determinism(), Determinism::kByteLevel);
  EXPECT_EQ(sctx->determinism(), Determinism::kByteLevel);
  auto a = RunDigests(cctx.get(), sctx.get(), "seed-1");
  auto b = RunDigests(cctx.get(), sctx.get(), "seed-1");
  auto c = RunDigests(cctx.get(), sctx.get(), "seed-2");
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
  EXPECT_NE(a.first, c.first);
  EXPECT_NE(a.second, c.second);
  // Fresh contexts (fresh SSL_CTX) give the same bytes too.
  auto cctx2 = MustContext(ClientConfig());
  auto sctx2 = MustContext(ServerConfig());
  auto d = RunDigests(cctx2.get(), sctx2.get(), "seed-1");
  EXPECT_EQ(a, d);
}

TEST(DeterminismTest, ResumptionAndZeroRttAreByteIdentical) {
  auto run = [](absl::string_view seed) {
    auto cctx = MustContext(WithSessionEvents(ClientConfig(), true));
    auto sctx = MustContext(WithSessionEvents(ServerConfig(), true));
    Pair first(cctx.get(), sctx.get(), seed);
    first.StartBoth();
    first.Run();
    Pair second(cctx.get(), sctx.get(), absl::StrCat(seed, "/2"));
    EXPECT_TRUE(second.client.engine->SetSession(first.client.stored).ok());
    second.StartBoth();
    second.Run();
    EXPECT_TRUE(second.client.engine->ConnectionState().early_data_accepted);
    return Digest(first.client) + Digest(first.server) + Digest(second.client) +
           Digest(second.server);
  };
  EXPECT_EQ(run("z"), run("z"));
  EXPECT_NE(run("z"), run("y"));
}

// ECDSA CertificateVerify signatures draw their nonce from the server
// engine's stream (private_key.h): same seed, same bytes, with fresh
// contexts and a freshly generated chain.
TEST(DeterminismTest, EcdsaCertificatesAreByteIdentical) {
  auto run = [](absl::string_view seed) {
    TestPkiOptions ecdsa;
    ecdsa.key_type = KeyType::kEcdsaP256;
    auto chain = MakeTestChain(ecdsa);
    EXPECT_TRUE(chain.ok());
    auto cctx = MustContext(ClientConfig(*chain));
    auto sctx = MustContext(ServerConfig(*chain));
    EXPECT_EQ(sctx->determinism(), Determinism::kByteLevel);
    Pair p(cctx.get(), sctx.get(), seed);
    p.StartBoth();
    p.Run();
    EXPECT_TRUE(p.client.Done()) << p.client.status;
    EXPECT_EQ(p.client.engine->ConnectionState().group, 29);
    return Digest(p.client) + Digest(p.server);
  };
  const std::string a = run("p256-cert");
  EXPECT_EQ(a, run("p256-cert"));
  EXPECT_NE(a, run("p256-cert-2"));
}

// NIST-curve key shares draw their scalar through BN_rand_range_ex, which the
// interposer routes to the engine's stream (rand_hook.h): P-256 key exchange
// (with an ECDSA certificate, and under HelloRetryRequest) is byte-level.
TEST(DeterminismTest, P256KeyExchangeIsByteLevel) {
  TestPkiOptions ecdsa;
  ecdsa.key_type = KeyType::kEcdsaP256;
  auto chain = MakeTestChain(ecdsa);
  ASSERT_TRUE(chain.ok());
  for (const char* client_groups : {"P-256", "P-384:X25519"}) {
    for (const char* server_groups : {"P-256:P-384", "X25519"}) {
      if (std::string(client_groups) == "P-256" &&
          std::string(server_groups) == "X25519") {
        continue;  // no common group
      }
      Config cc = ClientConfig(*chain);
      cc.groups = client_groups;
      Config sc = ServerConfig(*chain);
      sc.groups = server_groups;
      auto cctx = MustContext(cc);
      auto sctx = MustContext(sc);
      EXPECT_EQ(cctx->determinism(), Determinism::kByteLevel);
      EXPECT_EQ(sctx->determinism(), Determinism::kByteLevel);
      auto run = [&](absl::string_view seed) {
        Pair p(cctx.get(), sctx.get(), seed);
        p.StartBoth();
        p.Run();
        EXPECT_TRUE(p.client.Done()) << p.client.status;
        return std::make_pair(Digest(p.client), Digest(p.server));
      };
      auto a = run("ecdh");
      auto b = run("ecdh");
      auto c = run("ecdh-2");
      EXPECT_EQ(a, b) << client_groups << " / " << server_groups;
      EXPECT_NE(a.first, c.first);
      EXPECT_NE(a.second, c.second);
    }
  }
}

// --- Verification cache ---

TEST(VerificationCacheTest, CachedVerdictNeverHidesABadChain) {
  auto cctx = MustContext(ClientConfig());
  auto good = MustContext(ServerConfig());
  {
    Pair p(cctx.get(), good.get(), "v1");
    p.StartBoth();
    p.Run();
    ASSERT_TRUE(p.client.Done());
  }
  EXPECT_EQ(cctx->verification_cache_misses(), 1u);
  {
    Pair p(cctx.get(), good.get(), "v2");
    p.StartBoth();
    p.Run();
    ASSERT_TRUE(p.client.Done());
  }
  EXPECT_EQ(cctx->verification_cache_hits(), 1u);

  // A tampered chain (same names, wrong signature) is still rejected.
  TestPkiOptions bad;
  bad.variant = TestPkiOptions::Variant::kWronglySigned;
  auto bad_ctx = MustContext(ServerConfig(*MakeTestChain(bad)));
  {
    Pair p(cctx.get(), bad_ctx.get(), "v3");
    p.StartBoth();
    p.Run();
    ExpectFailed(p.client, p.server, 0x133);
  }
  // An expired chain is rejected.
  TestPkiOptions expired;
  expired.variant = TestPkiOptions::Variant::kExpired;
  auto expired_ctx = MustContext(ServerConfig(*MakeTestChain(expired)));
  {
    Pair p(cctx.get(), expired_ctx.get(), "v4");
    p.StartBoth();
    p.Run();
    ExpectFailed(p.client, p.server, 0x12d);
  }
  // The cached good chain, seen after it expired (virtual time), too.
  {
    Pair p(cctx.get(), good.get(), "v5", absl::Hours(24 * 400));
    p.StartBoth();
    p.Run();
    ExpectFailed(p.client, p.server, 0x12d);
  }
}

TEST(EngineTest, NineCertificateChain) {
  TestPkiOptions big;
  big.chain_length = 9;
  big.target_certificate_size = 1200;
  auto chain = MakeTestChain(big);
  ASSERT_TRUE(chain.ok());
  auto cctx = MustContext(ClientConfig(*chain));
  auto sctx = MustContext(ServerConfig(*chain));
  Pair p(cctx.get(), sctx.get(), "big");
  p.StartBoth();
  p.Run();
  ASSERT_TRUE(p.client.Done()) << p.client.status;
  EXPECT_EQ(p.client.engine->ConnectionState().peer_certificates.size(), 9u);
  const Event* flight =
      p.server.Find(EventKind::kWriteData, Level::kHandshake, false);
  ASSERT_NE(flight, nullptr);
  EXPECT_GT(flight->data.size(), 9u * 1200u);
}

// Hex of `bytes`, lower case.
std::string Hex(const std::vector<uint8_t>& bytes) {
  std::string out;
  for (uint8_t b : bytes) absl::StrAppend(&out, absl::Hex(b, absl::kZeroPad2));
  return out;
}

// The secret in the keylog line labelled `label`, or "" if none.
std::string KeylogSecret(const std::vector<std::string>& lines,
                         absl::string_view label) {
  for (const std::string& line : lines) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() == 3 && f[0] == label) return f[2];
  }
  return "";
}

TEST(KeylogTest, PerEngineSinksGetTheSecretsTheEventsCarry) {
  auto cctx = MustContext(WithSessionEvents(ClientConfig(), true));
  auto sctx = MustContext(WithSessionEvents(ServerConfig(), true));
  Pair first(cctx.get(), sctx.get(), "keylog-1");
  std::vector<std::string> client_lines, server_lines;
  first.client.engine->set_keylog_sink(
      [&](std::string_view l) { client_lines.emplace_back(l); });
  first.server.engine->set_keylog_sink(
      [&](std::string_view l) { server_lines.emplace_back(l); });
  first.StartBoth();
  first.Run();
  ASSERT_TRUE(first.client.Done());
  // Each side logs the five TLS 1.3 secrets of a full handshake.
  EXPECT_EQ(client_lines.size(), 5u);
  EXPECT_EQ(server_lines.size(), 5u);
  const std::string client_random =
      std::vector<std::string>(absl::StrSplit(client_lines[0], ' '))[1];
  EXPECT_EQ(client_random.size(), 64u);
  for (const std::string& line : client_lines) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    ASSERT_EQ(f.size(), 3u) << line;
    EXPECT_EQ(f[1], client_random) << line;
  }
  for (const std::string& line : server_lines) {
    EXPECT_EQ(std::vector<std::string>(absl::StrSplit(line, ' '))[1],
              client_random);
  }
  // Both sides log the same client_random and the same secrets, and they
  // equal the secrets the engine reports in its events.
  EXPECT_EQ(KeylogSecret(client_lines, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
            Hex(first.client
                    .Find(EventKind::kSetWriteSecret, Level::kHandshake, false)
                    ->data));
  EXPECT_EQ(KeylogSecret(server_lines, "SERVER_HANDSHAKE_TRAFFIC_SECRET"),
            Hex(first.server
                    .Find(EventKind::kSetWriteSecret, Level::kHandshake, false)
                    ->data));
  EXPECT_EQ(KeylogSecret(client_lines, "SERVER_TRAFFIC_SECRET_0"),
            Hex(first.client
                    .Find(EventKind::kSetReadSecret, Level::kApplication, false)
                    ->data));
  EXPECT_EQ(KeylogSecret(server_lines, "CLIENT_TRAFFIC_SECRET_0"),
            KeylogSecret(client_lines, "CLIENT_TRAFFIC_SECRET_0"));
  EXPECT_NE(KeylogSecret(client_lines, "EXPORTER_SECRET"), "");

  // A 0-RTT resumption adds CLIENT_EARLY_TRAFFIC_SECRET, to the sink of the
  // engine that derived it only.
  std::vector<std::string> second_lines;
  Pair second(cctx.get(), sctx.get(), "keylog-2");
  second.client.engine->set_keylog_sink(
      [&](std::string_view l) { second_lines.emplace_back(l); });
  ASSERT_TRUE(second.client.engine->SetSession(first.client.stored).ok());
  second.StartBoth();
  second.Run();
  ASSERT_TRUE(second.client.Done());
  EXPECT_EQ(
      KeylogSecret(second_lines, "CLIENT_EARLY_TRAFFIC_SECRET"),
      Hex(second.client.Find(EventKind::kSetWriteSecret, Level::kEarly, false)
              ->data));
  EXPECT_EQ(client_lines.size(), 5u);  // the first pair's sinks saw nothing
  EXPECT_EQ(server_lines.size(), 5u);

  // Engines without a sink log nothing, although the shared context has the
  // callback installed by now.
  Pair third(cctx.get(), sctx.get(), "keylog-3");
  const size_t before = second_lines.size();
  third.StartBoth();
  third.Run();
  ASSERT_TRUE(third.client.Done());
  EXPECT_EQ(second_lines.size(), before);
  EXPECT_EQ(client_lines.size(), 5u);
  EXPECT_EQ(server_lines.size(), 5u);
}

}  // namespace
}  // namespace quicsim::tls
