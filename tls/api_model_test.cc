// The three API models call by call (tls/engine.h): which call returns an
// error, which events come with it; FirstFlightReady misuse; answering
// ResumeSession; SendSessionTicket options.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tls/engine.h"
#include "tls/test_pki.h"

namespace quicsim::tls {
namespace {

std::vector<uint8_t> Bytes(absl::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

const TestChain& Chain() {
  static const TestChain* chain = new TestChain(*MakeTestChain({}));
  return *chain;
}

Config ClientConfig(ApiModel model) {
  Config c;
  c.role = Role::kClient;
  c.trust_anchors = {Chain().root};
  c.api_model = model;
  c.enable_session_events = true;
  return c;
}

Config ServerConfig(ApiModel model) {
  Config c;
  c.role = Role::kServer;
  c.certificate_chain = Chain().chain;
  c.private_key = Chain().private_key;
  c.api_model = model;
  c.enable_session_events = true;
  return c;
}

std::unique_ptr<Context> Ctx(const Config& c) {
  auto ctx = Context::Create(c);
  EXPECT_TRUE(ctx.ok()) << ctx.status();
  return ctx.ok() ? *std::move(ctx) : nullptr;
}

// An engine with its own random stream.
struct Endpoint {
  Endpoint(Context* ctx, const std::string& seed)
      : random(seed),
        engine(Engine::Create(ctx, &random, [] { return VirtualEpoch(); })) {}
  ChaChaRandom random;
  std::unique_ptr<Engine> engine;

  std::vector<Event> Drain() {
    std::vector<Event> out;
    for (Event e = engine->NextEvent(); e.kind != EventKind::kNone;
         e = engine->NextEvent()) {
      out.push_back(std::move(e));
    }
    return out;
  }
};

std::vector<EventKind> Kinds(const std::vector<Event>& events) {
  std::vector<EventKind> k;
  for (const Event& e : events) k.push_back(e.kind);
  return k;
}

// The client's ClientHello bytes (client started with parameters set).
std::vector<uint8_t> ClientHello(Endpoint& client) {
  EXPECT_TRUE(client.engine->SetTransportParameters(Bytes("c")).ok());
  EXPECT_TRUE(client.engine->Start().ok());
  for (Event& e : client.Drain()) {
    if (e.kind == EventKind::kFirstFlightReady) {
      EXPECT_TRUE(client.engine->SendFirstFlight().ok());
      for (Event& f : client.Drain()) {
        if (f.kind == EventKind::kWriteData) return f.data;
      }
    }
    if (e.kind == EventKind::kWriteData) return e.data;
  }
  ADD_FAILURE() << "no ClientHello";
  return {};
}

TEST(ApiModelTest, Go121KeepsAFlightErrorForTheNextHandleData) {
  for (bool signing : {false, true}) {
    Config sc = ServerConfig(ApiModel::kGo121);
    (signing ? sc.faults.fail_signing : sc.faults.fail_server_flight) = true;
    sc.enable_send_first_flight = true;  // ignored: Go 1.21 has no pause
    auto cctx = Ctx(ClientConfig(ApiModel::kGo121));
    auto sctx = Ctx(sc);
    Endpoint client(cctx.get(), "c"), server(sctx.get(), "s");
    const std::vector<uint8_t> ch = ClientHello(client);
    ASSERT_TRUE(server.engine->Start().ok());
    ASSERT_TRUE(server.engine->HandleData(Level::kInitial, ch).ok());
    EXPECT_EQ(
        Kinds(server.Drain()),
        (std::vector<EventKind>{EventKind::kTransportParameters,
                                EventKind::kTransportParametersRequired}));
    // The flight fails inside SetTransportParameters, which cannot fail.
    EXPECT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
    EXPECT_TRUE(server.engine->failed());
    EXPECT_EQ(server.engine->error().quic_error_code(), 0x150u);
    // No error event exists before Go 1.26; nothing of the flight is sent.
    for (const Event& e : server.Drain()) {
      EXPECT_NE(e.kind, EventKind::kError);
      EXPECT_NE(e.kind, EventKind::kWriteData);
    }
    // Only more CRYPTO data tells the stack.
    absl::Status later = server.engine->HandleData(Level::kInitial, Bytes("x"));
    EXPECT_EQ(QuicErrorCode(later), 0x150u) << signing;
  }
}

TEST(ApiModelTest, Go121ReturnsAlpnMismatchFromHandleData) {
  Config sc = ServerConfig(ApiModel::kGo121);
  sc.faults.alpn_mismatch = true;
  auto cctx = Ctx(ClientConfig(ApiModel::kGo121));
  auto sctx = Ctx(sc);
  Endpoint client(cctx.get(), "c"), server(sctx.get(), "s");
  const std::vector<uint8_t> ch = ClientHello(client);
  ASSERT_TRUE(server.engine->Start().ok());
  // Go negotiates ALPN while reading the ClientHello.
  EXPECT_EQ(QuicErrorCode(server.engine->HandleData(Level::kInitial, ch)),
            0x178u);
  EXPECT_TRUE(server.Drain().empty());
}

TEST(ApiModelTest, Go126DeliversTheErrorOnceAsAnEventAndDiscardsTheRest) {
  Config sc = ServerConfig(ApiModel::kGo126);
  sc.faults.fail_server_flight = true;
  auto cctx = Ctx(ClientConfig(ApiModel::kGo126));
  auto sctx = Ctx(sc);
  Endpoint client(cctx.get(), "c"), server(sctx.get(), "s");
  const std::vector<uint8_t> ch = ClientHello(client);
  // Parameters set before Start: the flight is built inside HandleData,
  // after TransportParameters was queued.
  ASSERT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
  ASSERT_TRUE(server.engine->Start().ok());
  EXPECT_TRUE(server.engine->HandleData(Level::kInitial, ch).ok());
  const std::vector<Event> events = server.Drain();
  ASSERT_EQ(Kinds(events), std::vector<EventKind>{EventKind::kError});
  EXPECT_EQ(events[0].error.quic_error_code(), 0x150u);
  // Once only; later calls return the error.
  EXPECT_EQ(server.engine->NextEvent().kind, EventKind::kNone);
  EXPECT_EQ(QuicErrorCode(server.engine->HandleData(Level::kInitial, ch)),
            0x150u);
}

TEST(ApiModelTest, ProposalReturnsServerErrorsFromSendFirstFlight) {
  for (int row = 0; row < 3; ++row) {
    Config sc = ServerConfig(ApiModel::kProposal74922);
    sc.enable_send_first_flight = true;
    uint64_t want = 0x150;
    if (row == 0) sc.faults.fail_server_flight = true;
    if (row == 1) sc.faults.fail_signing = true;
    if (row == 2) {
      sc.faults.alpn_mismatch = true;
      want = 0x178;
    }
    auto cctx = Ctx(ClientConfig(ApiModel::kProposal74922));
    auto sctx = Ctx(sc);
    Endpoint client(cctx.get(), "c"), server(sctx.get(), "s");
    const std::vector<uint8_t> ch = ClientHello(client);
    ASSERT_TRUE(server.engine->Start().ok());
    ASSERT_TRUE(server.engine->HandleData(Level::kInitial, ch).ok());
    EXPECT_EQ(Kinds(server.Drain()),
              (std::vector<EventKind>{EventKind::kTransportParameters,
                                      EventKind::kTransportParametersRequired,
                                      EventKind::kFirstFlightReady}));
    ASSERT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
    EXPECT_EQ(QuicErrorCode(server.engine->SendFirstFlight()), want) << row;
    const std::vector<Event> events = server.Drain();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, EventKind::kError);
    for (const Event& e : events) EXPECT_NE(e.kind, EventKind::kWriteData);
  }
}

TEST(ApiModelTest, SendFirstFlightMisuseIsAFailedPrecondition) {
  // Without the option.
  {
    auto cctx = Ctx(ClientConfig(ApiModel::kProposal74922));
    Endpoint client(cctx.get(), "c");
    ClientHello(client);
    absl::Status s = client.engine->SendFirstFlight();
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_FALSE(client.engine->failed());
  }
  // Twice.
  {
    Config cc = ClientConfig(ApiModel::kProposal74922);
    cc.enable_send_first_flight = true;
    auto cctx = Ctx(cc);
    Endpoint client(cctx.get(), "c");
    ClientHello(client);  // calls SendFirstFlight once
    absl::Status s = client.engine->SendFirstFlight();
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_FALSE(client.engine->failed());
  }
  // A Go model: the option is ignored, so there is nothing to send.
  for (ApiModel model : {ApiModel::kGo121, ApiModel::kGo126}) {
    Config cc = ClientConfig(model);
    cc.enable_send_first_flight = true;
    auto cctx = Ctx(cc);
    Endpoint client(cctx.get(), "c");
    ASSERT_TRUE(client.engine->SetTransportParameters(Bytes("c")).ok());
    ASSERT_TRUE(client.engine->Start().ok());
    for (const Event& e : client.Drain()) {
      EXPECT_NE(e.kind, EventKind::kFirstFlightReady);
    }
    EXPECT_TRUE(absl::IsFailedPrecondition(client.engine->SendFirstFlight()));
  }
  // Never called: the client has sent nothing, so data for it is misuse.
  {
    Config cc = ClientConfig(ApiModel::kProposal74922);
    cc.enable_send_first_flight = true;
    auto cctx = Ctx(cc);
    Endpoint client(cctx.get(), "c");
    ASSERT_TRUE(client.engine->SetTransportParameters(Bytes("c")).ok());
    ASSERT_TRUE(client.engine->Start().ok());
    absl::Status s = client.engine->HandleData(Level::kInitial, Bytes("sh"));
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_FALSE(client.engine->failed());
    // The pause is still there to be used.
    EXPECT_TRUE(client.engine->SendFirstFlight().ok());
  }
}

// A ticket from a completed handshake between fresh engines on these
// contexts, sent with `options`.
Session Prime(Context* cctx, Context* sctx, const SessionTicketOptions& options,
              absl::Status* second_call = nullptr) {
  Endpoint client(cctx, "pc"), server(sctx, "ps");
  EXPECT_TRUE(client.engine->SetTransportParameters(Bytes("c")).ok());
  EXPECT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
  EXPECT_TRUE(server.engine->Start().ok());
  EXPECT_TRUE(client.engine->Start().ok());
  Session stored;
  for (bool progress = true; progress;) {
    progress = false;
    for (Endpoint* self : {&client, &server}) {
      Endpoint* peer = self == &client ? &server : &client;
      for (Event& e : self->Drain()) {
        progress = true;
        if (e.kind == EventKind::kWriteData) {
          EXPECT_TRUE(peer->engine->HandleData(e.level, e.data).ok());
        } else if (e.kind == EventKind::kFirstFlightReady) {
          EXPECT_TRUE(self->engine->SendFirstFlight().ok());
        } else if (e.kind == EventKind::kHandshakeDone && self == &server) {
          EXPECT_TRUE(server.engine->SendSessionTicket(options).ok());
          if (second_call != nullptr) {
            *second_call = server.engine->SendSessionTicket(options);
          }
        } else if (e.kind == EventKind::kStoreSession) {
          stored = e.session;
        }
      }
    }
  }
  return stored;
}

TEST(ApiModelTest, SessionTicketOptions) {
  Config cc = ClientConfig(ApiModel::kProposal74922);
  Config sc = ServerConfig(ApiModel::kProposal74922);
  cc.enable_0rtt = sc.enable_0rtt = true;
  auto cctx = Ctx(cc);
  auto sctx = Ctx(sc);
  absl::Status again;
  SessionTicketOptions plain;
  Session full = Prime(cctx.get(), sctx.get(), plain, &again);
  EXPECT_TRUE(full.early_data_capable());
  EXPECT_TRUE(absl::IsFailedPrecondition(again)) << again;

  SessionTicketOptions no_early;
  no_early.early_data = false;
  no_early.extra = {Bytes("app state"), Bytes("")};
  Session limited = Prime(cctx.get(), sctx.get(), no_early);
  ASSERT_TRUE(limited.valid());
  EXPECT_FALSE(limited.early_data_capable());

  // Resuming with it: the server's ResumeSession carries the extra data,
  // and the handshake resumes.
  Endpoint client(cctx.get(), "rc"), server(sctx.get(), "rs");
  ASSERT_TRUE(client.engine->SetSession(limited).ok());
  const std::vector<uint8_t> ch = ClientHello(client);
  ASSERT_TRUE(server.engine->Start().ok());
  ASSERT_TRUE(server.engine->HandleData(Level::kInitial, ch).ok());
  bool saw = false;
  for (const Event& e : server.Drain()) {
    if (e.kind != EventKind::kResumeSession) continue;
    saw = true;
    EXPECT_EQ(e.extra, no_early.extra);
    EXPECT_TRUE(e.session.valid());
  }
  EXPECT_TRUE(saw);
  ASSERT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
  for (const Event& e : server.Drain()) {
    if (e.kind == EventKind::kWriteData) {
      ASSERT_TRUE(client.engine->HandleData(e.level, e.data).ok());
    }
  }
  EXPECT_TRUE(client.engine->resumed());
}

TEST(ApiModelTest, ResumeSessionCanDeclineZeroRttOnBothSides) {
  Config cc = ClientConfig(ApiModel::kProposal74922);
  Config sc = ServerConfig(ApiModel::kProposal74922);
  cc.enable_0rtt = sc.enable_0rtt = true;
  cc.enable_send_first_flight = sc.enable_send_first_flight = true;
  auto cctx = Ctx(cc);
  auto sctx = Ctx(sc);
  const Session ticket = Prime(cctx.get(), sctx.get(), {});
  ASSERT_TRUE(ticket.early_data_capable());
  // Client: a session offered at FirstFlightReady emits ResumeSession, and
  // declining there means no 0-RTT key.
  {
    Endpoint client(cctx.get(), "dc");
    ASSERT_TRUE(client.engine->SetTransportParameters(Bytes("c")).ok());
    ASSERT_TRUE(client.engine->Start().ok());
    EXPECT_EQ(Kinds(client.Drain()),
              std::vector<EventKind>{EventKind::kFirstFlightReady});
    ASSERT_TRUE(client.engine->SetSession(ticket).ok());
    EXPECT_EQ(Kinds(client.Drain()),
              std::vector<EventKind>{EventKind::kResumeSession});
    ASSERT_TRUE(client.engine->DeclineEarlyData().ok());
    ASSERT_TRUE(client.engine->SendFirstFlight().ok());
    for (const Event& e : client.Drain()) {
      EXPECT_FALSE(e.kind == EventKind::kSetWriteSecret &&
                   e.level == Level::kEarly);
    }
    EXPECT_TRUE(absl::IsFailedPrecondition(client.engine->DeclineEarlyData()));
  }
  // Server: declining at its pause rejects the client's 0-RTT.
  {
    Endpoint client(cctx.get(), "sc"), server(sctx.get(), "ss");
    ASSERT_TRUE(client.engine->SetSession(ticket).ok());
    const std::vector<uint8_t> ch = ClientHello(client);
    ASSERT_TRUE(server.engine->Start().ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(server.engine->DeclineEarlyData()));
    ASSERT_TRUE(server.engine->HandleData(Level::kInitial, ch).ok());
    EXPECT_EQ(Kinds(server.Drain()),
              (std::vector<EventKind>{EventKind::kTransportParameters,
                                      EventKind::kResumeSession,
                                      EventKind::kTransportParametersRequired,
                                      EventKind::kFirstFlightReady}));
    ASSERT_TRUE(server.engine->DeclineEarlyData().ok());
    ASSERT_TRUE(server.engine->SetTransportParameters(Bytes("s")).ok());
    ASSERT_TRUE(server.engine->SendFirstFlight().ok());
    for (const Event& e : server.Drain()) {
      EXPECT_FALSE(e.kind == EventKind::kSetReadSecret &&
                   e.level == Level::kEarly);
    }
    EXPECT_FALSE(server.engine->early_data_accepted());
    EXPECT_TRUE(server.engine->resumed());
  }
}

}  // namespace
}  // namespace quicsim::tls
