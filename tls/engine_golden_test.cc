// Golden event sequences: for every TLS API model, every handshake shape
// (full, resumption, 0-RTT accepted and rejected, HelloRetryRequest) and
// every error row of the design brief, the exact sequence of events each
// side's engine emits and the calls its stack makes, against
// tls/testdata/event_order.golden. The goldens are the reviewed record of
// the event order (compare Go's crypto/tls quic.go; the README lists where
// the order still differs and why).
//
// To regenerate after an intended change:
//   bazel run //tls:engine_golden_test --
//   --update=$PWD/tls/testdata/event_order.golden
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

// One handshake shape or error row.
struct Case {
  std::string name;
  // Applied to both contexts' configs (faults, groups, 0-RTT...).
  void (*configure)(Config* client, Config* server) = nullptr;
  // Resume with a ticket from a priming handshake first.
  bool resume = false;
  // The server answers ResumeSession by declining 0-RTT.
  bool server_declines_early_data = false;
  // The client's stack rejects the server's transport parameters.
  bool client_rejects_server_params = false;
};

// One engine and the log of what its stack saw and did.
struct Side {
  std::unique_ptr<ChaChaRandom> random;
  std::unique_ptr<Engine> engine;
  std::vector<std::string> log;
  bool failed = false;  // the stack learned of an error and closed
  Session stored;
};

class Harness {
 public:
  Harness(Context* cctx, Context* sctx, const Case& c, const std::string& seed)
      : case_(c) {
    Clock clock = [] { return VirtualEpoch(); };
    client_.random = std::make_unique<ChaChaRandom>(seed + "/c");
    server_.random = std::make_unique<ChaChaRandom>(seed + "/s");
    client_.engine = Engine::Create(cctx, client_.random.get(), clock);
    server_.engine = Engine::Create(sctx, server_.random.get(), clock);
  }

  void Run(const Session& session) {
    if (session.valid())
      Call(client_, "SetSession",
           [&] { return client_.engine->SetSession(session); });
    Call(client_, "SetTransportParameters",
         [&] { return client_.engine->SetTransportParameters(Bytes("c")); });
    Call(server_, "Start", [&] { return server_.engine->Start(); });
    Call(client_, "Start", [&] { return client_.engine->Start(); });
    for (bool progress = true; progress;) {
      progress = Drain(client_, server_) | Drain(server_, client_);
    }
  }

  Side& client() { return client_; }
  Side& server() { return server_; }

 private:
  template <typename F>
  void Call(Side& self, const char* name, F f) {
    if (self.failed) return;
    const absl::Status s = f();
    self.log.push_back(
        s.ok() ? absl::StrCat(name, "=ok")
               : absl::StrFormat("%s=0x%x", name, QuicErrorCode(s)));
    if (!s.ok()) self.failed = true;  // the stack closes; nothing more
  }

  bool Drain(Side& self, Side& peer) {
    bool any = false;
    const bool is_client = &self == &client_;
    for (Event ev = self.engine->NextEvent(); ev.kind != EventKind::kNone;
         ev = self.engine->NextEvent()) {
      any = true;
      std::string entry = EventKindName(ev.kind);
      if (ev.kind == EventKind::kWriteData ||
          ev.kind == EventKind::kSetReadSecret ||
          ev.kind == EventKind::kSetWriteSecret) {
        absl::StrAppend(&entry, "(", LevelName(ev.level), ")");
      }
      if (ev.kind == EventKind::kError) {
        absl::StrAppend(&entry,
                        absl::StrFormat("(0x%x)", ev.error.quic_error_code()));
      }
      self.log.push_back(entry);
      if (self.failed) continue;
      switch (ev.kind) {
        case EventKind::kWriteData:
          if (!peer.failed) {
            Call(peer, "HandleData",
                 [&] { return peer.engine->HandleData(ev.level, ev.data); });
          }
          break;
        case EventKind::kTransportParameters:
          if (is_client && case_.client_rejects_server_params) {
            Call(self, "Abort", [&] {
              return self.engine->Abort(
                  Error::Transport(0x08, "invalid server parameters"));
            });
          }
          break;
        case EventKind::kTransportParametersRequired:
          Call(self, "SetTransportParameters", [&] {
            return self.engine->SetTransportParameters(
                Bytes(is_client ? "c" : "s"));
          });
          break;
        case EventKind::kResumeSession:
          if (!is_client && case_.server_declines_early_data) {
            Call(self, "DeclineEarlyData",
                 [&] { return self.engine->DeclineEarlyData(); });
          }
          break;
        case EventKind::kFirstFlightReady:
          Call(self, "SendFirstFlight",
               [&] { return self.engine->SendFirstFlight(); });
          break;
        case EventKind::kHandshakeDone:
          if (!is_client) {
            Call(self, "SendSessionTicket",
                 [&] { return self.engine->SendSessionTicket(); });
          }
          break;
        case EventKind::kStoreSession:
          self.stored = ev.session;
          break;
        case EventKind::kError:
          self.failed = true;  // the stack closes with the event's code
          break;
        default:
          break;
      }
    }
    return any;
  }

  const Case& case_;
  Side client_;
  Side server_;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"full_handshake"});
  cases.push_back({"resumption", nullptr, true});
  cases.push_back(
      {"0rtt_accepted",
       [](Config* c, Config* s) { c->enable_0rtt = s->enable_0rtt = true; },
       true});
  cases.push_back(
      {"0rtt_rejected",
       [](Config* c, Config* s) { c->enable_0rtt = s->enable_0rtt = true; },
       true, /*server_declines_early_data=*/true});
  cases.push_back({"hello_retry_request",
                   [](Config* c, Config*) { c->groups = "P-256:X25519"; }});
  cases.push_back({"alpn_mismatch",
                   [](Config*, Config* s) { s->faults.alpn_mismatch = true; }});
  cases.push_back({"no_certificate_for_sni", [](Config*, Config* s) {
                     s->faults.no_certificate_for_sni = true;
                   }});
  cases.push_back({"refuse_transport_parameters", [](Config*, Config* s) {
                     s->faults.refuse_peer_transport_parameters = true;
                   }});
  cases.push_back({"server_internal_error", [](Config*, Config* s) {
                     s->faults.fail_server_flight = true;
                   }});
  cases.push_back({"signing_failure",
                   [](Config*, Config* s) { s->faults.fail_signing = true; }});
  cases.push_back({"untrusted_certificate", [](Config* c, Config*) {
                     c->faults.verify = FaultInjection::Verify::kUntrusted;
                   }});
  cases.push_back({"bad_signature", [](Config* c, Config*) {
                     c->faults.verify = FaultInjection::Verify::kBadSignature;
                   }});
  Case invalid{"invalid_server_transport_parameters"};
  invalid.client_rejects_server_params = true;
  cases.push_back(invalid);
  cases.push_back({"abort_before_client_hello", [](Config* c, Config*) {
                     c->faults.abort_before_client_hello = true;
                   }});
  return cases;
}

// Every case under every model, as the golden file's text.
std::string Render() {
  std::string out;
  for (ApiModel model :
       {ApiModel::kProposal74922, ApiModel::kGo121, ApiModel::kGo126}) {
    for (const Case& c : Cases()) {
      Config cc, sc;
      cc.role = Role::kClient;
      cc.trust_anchors = {Chain().root};
      sc.role = Role::kServer;
      sc.certificate_chain = Chain().chain;
      sc.private_key = Chain().private_key;
      for (Config* config : {&cc, &sc}) {
        config->api_model = model;
        config->enable_send_first_flight = true;  // only the proposal pauses
        config->enable_session_events = true;
      }
      if (c.configure != nullptr) c.configure(&cc, &sc);
      auto cctx = Context::Create(cc);
      auto sctx = Context::Create(sc);
      if (!cctx.ok() || !sctx.ok()) {
        ADD_FAILURE() << c.name;
        continue;
      }
      Session session;
      if (c.resume) {
        // Prime without faults or declines.
        Case plain{"prime"};
        Harness prime(cctx->get(), sctx->get(), plain, c.name + "/prime");
        prime.Run(Session());
        session = prime.client().stored;
        EXPECT_TRUE(session.valid()) << c.name;
      }
      Harness h(cctx->get(), sctx->get(), c, c.name);
      h.Run(session);
      absl::StrAppend(&out, "== ", ApiModelName(model), " ", c.name, "\n",
                      "client: ", absl::StrJoin(h.client().log, " "), "\n",
                      "server: ", absl::StrJoin(h.server().log, " "), "\n");
    }
  }
  return out;
}

std::string GoldenPath() {
  const char* dir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(dir ? dir : ".", "/", ws ? ws : "", "/",
                      "tls/testdata/event_order.golden");
}

std::string* update_path = nullptr;

TEST(EngineGoldenTest, EventOrderPerRoleModelAndCase) {
  const std::string actual = Render();
  if (update_path != nullptr) {
    std::ofstream(*update_path) << actual;
    GTEST_SKIP() << "wrote " << *update_path;
  }
  std::ifstream in(GoldenPath());
  ASSERT_TRUE(in.good()) << GoldenPath();
  std::stringstream golden;
  golden << in.rdbuf();
  // Line by line, so a failure names the case.
  std::vector<std::string> want = absl::StrSplit(golden.str(), '\n');
  std::vector<std::string> got = absl::StrSplit(actual, '\n');
  std::string current;
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    const std::string w = i < want.size() ? want[i] : "<missing>";
    const std::string g = i < got.size() ? got[i] : "<missing>";
    if (absl::StartsWith(w, "== ")) current = w;
    EXPECT_EQ(g, w) << current;
  }
}

}  // namespace
}  // namespace quicsim::tls

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--update=")) {
      quicsim::tls::update_path = new std::string(arg.substr(9));
    }
  }
  return RUN_ALL_TESTS();
}
