#include "scenarios/world.h"

#include <openssl/base.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "endpoints/connection.h"
#include "endpoints/endpoint.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/ngtcp2_endpoint.h"
#include "endpoints/verdict.h"
#include "scenarios/ngtcp2_sides.h"
#include "scenarios/oracles/error_propagation.h"
#include "scenarios/runner/decision_proto.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "sim/wire_digest.h"
#include "tls/config.h"
#include "tls/test_pki.h"

namespace quicsim::scenarios {
namespace {

using sim::Duration;
using sim::Time;

// Reads a QUIC variable-length integer (RFC 9000 §16); false when truncated.
bool ReadVarint(absl::Span<const uint8_t> in, size_t* pos, uint64_t* out) {
  if (*pos >= in.size()) return false;
  const size_t len = size_t{1} << (in[*pos] >> 6);
  if (in.size() - *pos < len) return false;
  uint64_t v = in[*pos] & 0x3f;
  for (size_t i = 1; i < len; ++i) v = (v << 8) | in[*pos + i];
  *pos += len;
  *out = v;
  return true;
}

// Reads a connection ID (length byte + bytes); false when truncated.
bool SkipConnectionId(absl::Span<const uint8_t> in, size_t* pos) {
  if (*pos >= in.size()) return false;
  const size_t len = in[*pos];
  if (in.size() - *pos - 1 < len) return false;
  *pos += 1 + len;
  return true;
}

// "pair/3/..." or "link/pair/3/..." -> 3; -1 otherwise.
int PairOfActor(absl::string_view actor) {
  if (absl::StartsWith(actor, "link/")) actor.remove_prefix(5);
  if (!absl::StartsWith(actor, "pair/")) return -1;
  actor.remove_prefix(5);
  const size_t slash = actor.find('/');
  int pair = -1;
  if (!absl::SimpleAtoi(actor.substr(0, slash), &pair)) return -1;
  return pair;
}

VerdictKind KindOf(endpoints::Verdict::Kind kind) {
  using K = endpoints::Verdict::Kind;
  switch (kind) {
    case K::kNone:
      return VerdictKind::kNone;
    case K::kConfirmed:
      return VerdictKind::kConfirmed;
    case K::kClosedSent:
      return VerdictKind::kClosedSent;
    case K::kClosedReceived:
      return VerdictKind::kClosedReceived;
    case K::kTimedOut:
      return VerdictKind::kTimedOut;
    case K::kAborted:
      return VerdictKind::kAborted;
  }
  return VerdictKind::kNone;
}

Verdict ToolsVerdict(const endpoints::Verdict& v) {
  Verdict out;
  out.kind = KindOf(v.kind);
  out.error_code = v.code;
  out.handshake_time = v.elapsed;
  return out;
}

// The endpoint oracles' names -> scenarios::Expectations::Oracle names.
std::string OracleName(const std::string& endpoint_name) {
  if (endpoint_name == "amplification") return "amplification_limit";
  if (endpoint_name == "keys_discarded") return "no_packet_after_key_discard";
  if (endpoint_name == "sent_after_close") return "no_packet_after_draining";
  return endpoint_name;
}

// Drops datagrams matching a DatagramPredicate, up to `count` of them (0:
// unlimited).
std::unique_ptr<sim::Impairment> MakePredicateDrop(DatagramPredicate match,
                                                   uint32_t count) {
  const bool first = match == FIRST_INITIAL || match == FIRST_HANDSHAKE ||
                     match == FIRST_ONE_RTT;
  uint64_t limit = count != 0 ? count : (first ? 1 : 0);
  auto dropped = std::make_shared<uint64_t>(0);
  return std::make_unique<sim::DropIf>(
      absl::AsciiStrToLower(DatagramPredicate_Name(match)),
      [match, limit, dropped](const sim::Datagram& d, uint64_t) {
        if (limit != 0 && *dropped >= limit) return false;
        const DatagramKinds k = ClassifyDatagram(d.payload);
        bool hit = false;
        switch (match) {
          case FIRST_INITIAL:
          case ALL_INITIAL:
            hit = k.initial;
            break;
          case FIRST_HANDSHAKE:
          case ALL_HANDSHAKE:
            hit = k.handshake;
            break;
          case FIRST_ONE_RTT:
            hit = k.one_rtt;
            break;
          case ALL_ZERO_RTT:
            hit = k.zero_rtt;
            break;
          case ALL_RETRY:
            hit = k.retry;
            break;
          case ALL_VERSION_NEGOTIATION:
            hit = k.version_negotiation;
            break;
          default:
            hit = false;
        }
        if (hit) ++*dropped;
        return hit;
      });
}

// The impairments of one LinkSpec, drawing from streams "<prefix>/<model>".
absl::Status AddImpairments(
    const Impairments& imp, const sim::Network& network,
    const std::string& prefix,
    std::vector<std::unique_ptr<sim::Impairment>>* out) {
  if (imp.loss() > 0) {
    out->push_back(std::make_unique<sim::BernoulliLoss>(
        imp.loss(), network.MakeRng(prefix + "/loss"), imp.loss_max_burst()));
  }
  const GilbertElliott& ge = imp.gilbert_elliott();
  if (ge.p() > 0 || ge.loss_good() > 0) {
    sim::GilbertElliottLoss::Params params;
    params.p = ge.p();
    params.r = ge.r();
    params.loss_in_good = ge.loss_good();
    params.loss_in_bad = ge.loss_bad();
    out->push_back(std::make_unique<sim::GilbertElliottLoss>(
        params, network.MakeRng(prefix + "/gilbert_elliott")));
  }
  std::vector<uint64_t> nth;
  for (const ScriptedDrop& drop : imp.drops()) {
    if (drop.select_case() == ScriptedDrop::kNth) {
      if (drop.nth() > 0) nth.push_back(drop.nth() - 1);
    } else if (drop.select_case() == ScriptedDrop::kMatch) {
      if (drop.match() == ALL_CONNECTION_CLOSE) {
        return absl::UnimplementedError(
            "drop predicate ALL_CONNECTION_CLOSE cannot be recognised from "
            "cleartext headers; use the DROP_CONNECTION_CLOSE fault");
      }
      out->push_back(MakePredicateDrop(drop.match(), drop.count()));
    }
  }
  if (!nth.empty()) out->push_back(std::make_unique<sim::DropNth>(nth));
  if (!imp.blackholes().empty()) {
    std::vector<sim::Blackhole::Window> windows;
    for (const Blackhole& b : imp.blackholes()) {
      sim::Blackhole::Window w;
      w.start = Time::Zero() + DurationOr(b.start(), Duration::Zero());
      w.end = b.end().empty() ? Time::Infinite()
                              : Time::Zero() + DurationOr(b.end(), {});
      windows.push_back(w);
    }
    out->push_back(std::make_unique<sim::Blackhole>(std::move(windows)));
  }
  if (imp.reorder().probability() > 0) {
    out->push_back(std::make_unique<sim::Reorder>(
        imp.reorder().probability(),
        DurationOr(imp.reorder().extra_delay(), Duration::Millis(10)),
        network.MakeRng(prefix + "/reorder")));
  }
  if (imp.duplicate().probability() > 0) {
    out->push_back(std::make_unique<sim::Duplicate>(
        imp.duplicate().probability(), network.MakeRng(prefix + "/duplicate")));
  }
  if (imp.corrupt().probability() > 0) {
    out->push_back(std::make_unique<sim::Corrupt>(
        imp.corrupt().probability(),
        imp.corrupt().bits() == 0 ? 1 : imp.corrupt().bits(),
        network.MakeRng(prefix + "/corrupt"), imp.corrupt().max_burst()));
  }
  return absl::OkStatus();
}

// Time-varying impairments: from each phase's start on, that phase's
// impairment list decides (the base spec's before the first phase). The
// phase's physical properties (delay, bandwidth, ...) are applied to the link
// by an event at the phase's time (see MakeLink).
class PhasedImpairment : public sim::Impairment {
 public:
  struct Stage {
    Time from;
    std::vector<std::unique_ptr<sim::Impairment>> impairments;
  };
  explicit PhasedImpairment(std::vector<Stage> stages)
      : stages_(std::move(stages)) {}
  void Decide(const sim::Datagram& d, uint64_t index, Time now,
              std::vector<sim::Decision>* out) override {
    const Stage* current = &stages_.front();
    for (const Stage& s : stages_) {
      if (s.from <= now) current = &s;
    }
    for (const auto& imp : current->impairments) {
      imp->Decide(d, index, now, out);
    }
  }

 private:
  std::vector<Stage> stages_;
};

sim::LinkConfig LinkConfigOf(const LinkSpec& spec) {
  sim::LinkConfig c;
  c.delay = DurationOr(spec.delay(), Duration::Zero());
  c.jitter = DurationOr(spec.jitter(), Duration::Zero());
  c.bandwidth_bps = spec.bandwidth_bps();
  c.queue_limit_packets = spec.queue_limit_packets();
  c.queue_limit_bytes = spec.queue_limit_bytes();
  c.mtu = spec.mtu() != 0 ? spec.mtu() : 1500;
  return c;
}

// Creates link `name` for `direction` (1 = c2s, 2 = s2c) with its
// impairments and phases.
absl::StatusOr<sim::Link*> MakeLink(const Network& net, int direction,
                                    const std::string& name,
                                    sim::Network* network) {
  const LinkSpec& spec =
      direction == 1 ? net.client_to_server() : net.server_to_client();
  sim::Link* link = network->AddLink(name, LinkConfigOf(spec));
  std::vector<PhasedImpairment::Stage> stages;
  stages.emplace_back();
  stages.back().from = Time::Zero();
  absl::Status s = AddImpairments(spec.impairments(), *network, name,
                                  &stages.back().impairments);
  if (!s.ok()) return s;
  int k = 0;
  for (const Phase& phase : net.phases()) {
    ++k;
    if (phase.direction() != Phase::BOTH && phase.direction() != direction) {
      continue;
    }
    stages.emplace_back();
    stages.back().from =
        Time::Zero() + DurationOr(phase.at(), Duration::Zero());
    // The phase's LinkSpec replaces the physical properties too. A phase
    // beyond the run's time bound never applies (and must not keep the run
    // alive as a pending event).
    if (stages.back().from <= network->scheduler()->limits().max_time) {
      const sim::LinkConfig config = LinkConfigOf(phase.link());
      network->scheduler()->At(stages.back().from,
                               [link, config] { link->set_config(config); });
    }
    s = AddImpairments(phase.link().impairments(), *network,
                       absl::StrCat(name, "/phase", k),
                       &stages.back().impairments);
    if (!s.ok()) return s;
  }
  if (stages.size() == 1) {
    for (auto& imp : stages.front().impairments) {
      link->AddImpairment(std::move(imp));
    }
  } else {
    link->AddImpairment(std::make_unique<PhasedImpairment>(std::move(stages)));
  }
  return link;
}

tls::Config BaseConfig(const EndpointConfig& ep, tls::Role role) {
  tls::Config c;
  c.role = role;
  if (!ep.alpn().empty()) c.alpn.assign(ep.alpn().begin(), ep.alpn().end());
  if (!ep.groups().empty()) c.groups = absl::StrJoin(ep.groups(), ":");
  c.enable_0rtt = ep.resumption().enabled() && ep.resumption().zero_rtt();
  // Pairs run proposal #74922 unless the scenario says otherwise.
  c.api_model = ep.tls_api() == EndpointConfig::GO_1_21 ? tls::ApiModel::kGo121
                : ep.tls_api() == EndpointConfig::GO_1_26
                    ? tls::ApiModel::kGo126
                    : tls::ApiModel::kProposal74922;
  c.enable_send_first_flight = !ep.disable_send_first_flight();
  // ResumeSession/StoreSession events: the stack answers them.
  c.enable_session_events = true;
  return c;
}

// One pair (or its priming handshake) in the world.
struct PairSlot {
  std::unique_ptr<endpoints::HandshakePair> prime;
  std::unique_ptr<endpoints::HandshakePair> measured;
  bool prime_ticket = true;
};

}  // namespace

DatagramKinds ClassifyDatagram(absl::Span<const uint8_t> p) {
  DatagramKinds k;
  size_t pos = 0;
  while (pos < p.size()) {
    const uint8_t first = p[pos];
    if ((first & 0x80) == 0) {
      k.one_rtt = true;
      break;
    }
    if (p.size() - pos < 5) break;
    const uint32_t version = (uint32_t{p[pos + 1]} << 24) |
                             (uint32_t{p[pos + 2]} << 16) |
                             (uint32_t{p[pos + 3]} << 8) | p[pos + 4];
    if (version == 0) {
      k.version_negotiation = true;
      break;
    }
    const int type = (first >> 4) & 0x3;
    size_t q = pos + 5;
    if (!SkipConnectionId(p, &q) || !SkipConnectionId(p, &q)) break;
    if (type == 3) {
      k.retry = true;
      break;
    }
    if (type == 0) {
      k.initial = true;
      uint64_t token_len;
      if (!ReadVarint(p, &q, &token_len) || p.size() - q < token_len) break;
      q += token_len;
    } else if (type == 1) {
      k.zero_rtt = true;
    } else {
      k.handshake = true;
    }
    uint64_t length;
    if (!ReadVarint(p, &q, &length) || p.size() - q < length) break;
    pos = q + length;
  }
  return k;
}

QuicsimSeedRunner::QuicsimSeedRunner() = default;
QuicsimSeedRunner::~QuicsimSeedRunner() = default;

trace::BuildIdentity QuicsimSeedRunner::Identity() const {
  trace::BuildIdentity id;
  id.set_version("quicsim-dev");
  id.set_boringssl_api_version(BORINGSSL_API_VERSION);
  id.set_runner("quicsim");
  return id;
}

absl::StatusOr<const QuicsimSeedRunner::Contexts*>
QuicsimSeedRunner::ContextsFor(const Scenario& scenario) {
  std::string key;
  scenario.client().SerializeToString(&key);
  std::string server_key;
  scenario.server().SerializeToString(&server_key);
  key = absl::StrCat(key.size(), ":", key, server_key);
  auto it = contexts_.find(key);
  if (it != contexts_.end()) return &it->second;

  const EndpointConfig& cl = scenario.client();
  const EndpointConfig& sv = scenario.server();
  if (!cl.cipher_suites().empty() || !sv.cipher_suites().empty()) {
    return absl::UnimplementedError(
        "cipher_suites: the tls layer has no cipher-suite setting yet");
  }
  const CertificateSpec& cert = sv.certificate();
  tls::TestPkiOptions pki;
  pki.key_type = cert.key_type() == CertificateSpec::P256
                     ? tls::KeyType::kEcdsaP256
                     : tls::KeyType::kEd25519;
  pki.chain_length = cert.chain_length() != 0 ? cert.chain_length() : 2;
  pki.target_certificate_size = cert.leaf_padding_bytes();
  if (!sv.server_name().empty()) pki.dns_names = {sv.server_name()};
  if (cert.variant() == CertificateSpec::EXPIRED) {
    pki.variant = tls::TestPkiOptions::Variant::kExpired;
  } else if (cert.variant() == CertificateSpec::WRONG_SIGNATURE) {
    pki.variant = tls::TestPkiOptions::Variant::kWronglySigned;
  }
  absl::StatusOr<tls::TestChain> chain = tls::MakeTestChain(pki);
  if (!chain.ok()) return chain.status();
  std::vector<uint8_t> anchor = chain->root;
  if (cert.variant() == CertificateSpec::UNTRUSTED) {
    tls::TestPkiOptions other = pki;
    other.seed = "quicsim-pki-untrusted-root";
    other.variant = tls::TestPkiOptions::Variant::kValid;
    absl::StatusOr<tls::TestChain> other_chain = tls::MakeTestChain(other);
    if (!other_chain.ok()) return other_chain.status();
    anchor = other_chain->root;
  }

  tls::Config server = BaseConfig(sv, tls::Role::kServer);
  server.certificate_chain = chain->chain;
  server.private_key = chain->private_key;
  tls::Config client = BaseConfig(cl, tls::Role::kClient);
  client.trust_anchors = {anchor};
  if (!cl.server_name().empty()) client.server_name = cl.server_name();

  for (const EndpointConfig* ep : {&cl, &sv}) {
    tls::FaultInjection& f = ep == &cl ? client.faults : server.faults;
    switch (ep->fault()) {
      case ALPN_MISMATCH:
        f.alpn_mismatch = true;
        break;
      case NO_CERTIFICATE_FOR_SNI:
        f.no_certificate_for_sni = true;
        break;
      case SERVER_INTERNAL_ERROR:
        f.fail_server_flight = true;
        break;
      case SIGNING_FAILURE:
        f.fail_signing = true;
        break;
      case UNTRUSTED_CERTIFICATE:
        f.verify = tls::FaultInjection::Verify::kUntrusted;
        break;
      case BAD_SIGNATURE:
        f.verify = tls::FaultInjection::Verify::kBadSignature;
        break;
      case ABORT_BEFORE_CLIENT_HELLO:
        f.abort_before_client_hello = true;
        break;
      default:
        break;  // QUIC-layer faults: see RunSeed.
    }
  }
  Contexts contexts;
  contexts.chain = *chain;
  contexts.trust_anchor = anchor;
  absl::StatusOr<std::unique_ptr<tls::Context>> c =
      tls::Context::Create(client);
  if (!c.ok()) return c.status();
  contexts.client = std::move(*c);
  absl::StatusOr<std::unique_ptr<tls::Context>> s =
      tls::Context::Create(server);
  if (!s.ok()) return s.status();
  contexts.server = std::move(*s);
  return &contexts_.emplace(key, std::move(contexts)).first->second;
}

absl::StatusOr<SeedResult> QuicsimSeedRunner::RunSeed(
    const Scenario& scenario, uint64_t seed, const RunSeedOptions& options) {
  // A mixed population runs several variants; each has its own endpoint
  // configuration, TLS contexts and expectations.
  struct VariantPlan {
    Scenario scenario;
    const Contexts* contexts = nullptr;
    bool ng_client = false;
    bool ng_server = false;
  };
  std::vector<VariantPlan> plans;
  for (Scenario& variant : ExpandVariants(scenario)) {
    VariantPlan plan;
    plan.scenario = std::move(variant);
    plan.ng_client = plan.scenario.client().stack() == EndpointConfig::NGTCP2;
    plan.ng_server = plan.scenario.server().stack() == EndpointConfig::NGTCP2;
    if (plan.ng_client && plan.ng_server) {
      return absl::UnimplementedError(
          "both sides NGTCP2: quicsim verifies its own endpoints, so at least "
          "one side must be QUICSIM");
    }
    for (const EndpointConfig* ep :
         {&plan.scenario.client(), &plan.scenario.server()}) {
      if (ep->stack() != EndpointConfig::NGTCP2) continue;
      switch (ep->fault()) {
        case NO_FAULT:
        case ALPN_MISMATCH:
        case REFUSE_TRANSPORT_PARAMETERS:
        case INVALID_SERVER_TRANSPORT_PARAMETERS:
          break;
        default:
          return absl::UnimplementedError(
              absl::StrCat("fault ", Fault_Name(ep->fault()),
                           " cannot be injected into an NGTCP2 endpoint"));
      }
    }
    absl::StatusOr<const Contexts*> contexts = ContextsFor(plan.scenario);
    if (!contexts.ok()) return contexts.status();
    plan.contexts = *contexts;
    plans.push_back(std::move(plan));
  }
  auto plan_of = [&](int i) -> const VariantPlan& {
    return plans[VariantOfPair(scenario, i)];
  };

  const Network& net = scenario.network();
  const int pairs = static_cast<int>(scenario.population().pairs());

  // Declaration order matters: pairs are destroyed before the network, the
  // network before the scheduler.
  sim::Scheduler scheduler;
  sim::Limits limits;
  limits.max_time =
      Time::Zero() +
      DurationOr(scenario.limits().max_virtual_time(), Duration::Seconds(60));
  limits.max_events = scenario.limits().max_events() != 0
                          ? scenario.limits().max_events()
                          : 10'000'000;
  scheduler.set_limits(limits);
  sim::TraceRecorder::Options recorder_options;
  recorder_options.keep_events =
      options.record_trace || options.events != nullptr;
  sim::TraceRecorder recorder(recorder_options);
  sim::Network network(&scheduler, seed, &recorder);
  network.set_record_decisions(options.record_trace);
  if (options.capture != nullptr) network.set_capture(options.capture);
  network.set_decision_hook(options.decision_hook);
  sim::WireDigest wire;
  network.set_wire_digest(&wire);

  std::vector<std::pair<sim::Link*, sim::Link*>> links;
  if (net.shared_bottleneck()) {
    absl::StatusOr<sim::Link*> c2s =
        MakeLink(net, 1, "bottleneck/c2s", &network);
    if (!c2s.ok()) return c2s.status();
    absl::StatusOr<sim::Link*> s2c =
        MakeLink(net, 2, "bottleneck/s2c", &network);
    if (!s2c.ok()) return s2c.status();
    links.assign(pairs, {*c2s, *s2c});
  } else {
    for (int i = 0; i < pairs; ++i) {
      absl::StatusOr<sim::Link*> c2s =
          MakeLink(net, 1, absl::StrFormat("pair/%d/c2s", i), &network);
      if (!c2s.ok()) return c2s.status();
      absl::StatusOr<sim::Link*> s2c =
          MakeLink(net, 2, absl::StrFormat("pair/%d/s2c", i), &network);
      if (!s2c.ok()) return s2c.status();
      links.emplace_back(*c2s, *s2c);
    }
  }
  if (options.scripted_decisions.has_value()) {
    std::vector<sim::Decision> script;
    for (const trace::NetworkDecision& d : *options.scripted_decisions) {
      std::optional<sim::Decision> s = DecisionFromProto(d);
      if (s.has_value()) script.push_back(std::move(*s));
    }
    network.SetScript(script);
  }

  // An ngtcp2 side with resumption: the ticket key, anti-replay state and
  // stored session its priming and measured handshakes share.
  std::vector<std::shared_ptr<endpoints::Ngtcp2SessionCache>> ng_caches(pairs);
  auto ng_world = [&](int i) {
    const VariantPlan& plan = plan_of(i);
    Ngtcp2SideWorld w;
    w.chain = &plan.contexts->chain;
    w.trust_anchor = &plan.contexts->trust_anchor;
    w.scheduler = &scheduler;
    w.network = &network;
    w.trace = &recorder;
    if ((plan.ng_client || plan.ng_server) &&
        (plan.scenario.client().resumption().enabled() ||
         plan.scenario.server().resumption().enabled())) {
      if (ng_caches[i] == nullptr) {
        ng_caches[i] = std::make_shared<endpoints::Ngtcp2SessionCache>(
            seed, absl::StrFormat("ngtcp2/session_cache/pair/%d", i));
      }
      w.session_cache = ng_caches[i];
    }
    return w;
  };
  auto make_options = [&](int i, bool prime) {
    const VariantPlan& plan = plan_of(i);
    const EndpointConfig& cl = plan.scenario.client();
    const EndpointConfig& sv = plan.scenario.server();
    const Contexts* const* contexts = &plan.contexts;
    endpoints::HandshakePairOptions o;
    const int port_offset = prime ? 1 : 0;
    o.client.tls_context = (*contexts)->client.get();
    o.client.local = sim::Address::V4(
        10, 1, (i >> 8) & 0xff, i & 0xff,
        static_cast<uint16_t>(40000 + port_offset + 2 * (i >> 16)));
    o.server.connection.tls_context = (*contexts)->server.get();
    o.server.connection.local = sim::Address::V4(
        10, 2, (i >> 8) & 0xff, i & 0xff,
        static_cast<uint16_t>(443 + port_offset + 2 * (i >> 16)));
    o.client.idle_timeout =
        DurationOr(cl.idle_timeout(), Duration::Seconds(30));
    o.server.connection.idle_timeout =
        DurationOr(sv.idle_timeout(), Duration::Seconds(30));
    o.client_to_server = links[i].first;
    o.server_to_client = links[i].second;
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
    if (options.keylog != nullptr) {
      std::vector<std::string>* keylog = options.keylog;
      auto sink = [keylog](std::string_view line) {
        keylog->emplace_back(line);
      };
      o.client.keylog_sink = sink;
      o.server.connection.keylog_sink = sink;
    }
    if (prime) {
      o.client.wait_for_session_ticket = true;
      WireNgtcp2Side(cl, sv, true, ng_world(i), &o);
      return o;
    }
    if (cl.offer_unknown_version_first()) o.client.initial_version = 0x1a2a3a4a;
    o.server.retry = sv.retry();
    o.server.connection.decline_early_data = sv.decline_early_data();
    o.server.connection.faults.refuse_peer_transport_parameters =
        sv.fault() == REFUSE_TRANSPORT_PARAMETERS;
    o.server.connection.faults.refuse_alert =
        static_cast<uint8_t>(sv.fault_alert());
    o.server.connection.faults.invalid_transport_parameters =
        sv.fault() == INVALID_SERVER_TRANSPORT_PARAMETERS;
    // DROP_CONNECTION_CLOSE on one side: its peer's CONNECTION_CLOSE is lost.
    o.server.connection.faults.lose_connection_close =
        cl.fault() == DROP_CONNECTION_CLOSE;
    o.client.faults.lose_connection_close = sv.fault() == DROP_CONNECTION_CLOSE;
    WireNgtcp2Side(cl, sv, false, ng_world(i), &o);
    return o;
  };

  std::vector<PairSlot> slots(pairs);
  absl::Status start_status;
  auto start_measured = [&](int i, tls::Session session) {
    endpoints::HandshakePairOptions o = make_options(i, false);
    if (session.valid()) {
      o.client.resume_session = std::move(session);
      if (plan_of(i).scenario.client().resumption().zero_rtt()) {
        o.client.request = ResumptionRequest();
        o.server.connection.expect_request_bytes = o.client.request.size();
      }
    }
    slots[i].measured = std::make_unique<endpoints::HandshakePair>(
        std::move(o), &scheduler, &network, seed, absl::StrFormat("pair/%d", i),
        &recorder);
    endpoints::HandshakePair* pair = slots[i].measured.get();
    pair->set_on_done([pair, &scheduler] {
      pair->Stop();
      // Its memory goes back from an event of its own (not from inside the
      // connection's callbacks); nothing observable happens there.
      scheduler.At(scheduler.Now(), [pair] { pair->ReleaseState(); });
    });
    absl::Status s = pair->Start();
    if (!s.ok() && start_status.ok()) start_status = s;
  };
  for (int i = 0; i < pairs; ++i) {
    scheduler.At(Time::Zero() + PairStartOffset(scenario, i), [&, i] {
      if (!plan_of(i).scenario.client().resumption().enabled()) {
        start_measured(i, tls::Session());
        return;
      }
      slots[i].prime = std::make_unique<endpoints::HandshakePair>(
          make_options(i, true), &scheduler, &network, seed,
          absl::StrFormat("pair/%d/prime", i), &recorder);
      endpoints::HandshakePair* prime = slots[i].prime.get();
      prime->set_on_done([&, i, prime] {
        prime->Stop();
        tls::Session session = prime->has_quicsim_client()
                                   ? prime->client().received_session()
                                   : tls::Session();
        slots[i].prime_ticket =
            session.valid() ||
            (ng_caches[i] != nullptr && ng_caches[i]->has_client_session());
        // Not from inside the prime's callback chain: next event.
        scheduler.At(scheduler.Now(), [&, i, session]() mutable {
          start_measured(i, std::move(session));
        });
      });
      absl::Status s = prime->Start();
      if (!s.ok() && start_status.ok()) start_status = s;
    });
  }
  scheduler.RunUntilIdle();
  if (!start_status.ok()) return start_status;
  const bool stalled = scheduler.stalled();

  SeedResult result;
  result.seed = seed;
  result.events_processed = scheduler.events_run();
  result.end_time = scheduler.Now();
  result.events_digest = recorder.DigestHex();
  result.wire_digest = wire.DigestHex();
  bool byte_level = true;
  for (const VariantPlan& plan : plans) {
    // An ngtcp2 side is byte-level when gnutls_rnd is interposed.
    byte_level =
        byte_level &&
        plan.contexts->client->determinism() == tls::Determinism::kByteLevel &&
        plan.contexts->server->determinism() == tls::Determinism::kByteLevel &&
        ((!plan.ng_client && !plan.ng_server) || endpoints::Ngtcp2ByteLevel());
  }
  result.determinism = byte_level ? trace::BYTE_LEVEL : trace::EVENT_LEVEL;
  for (int i = 0; i < pairs; ++i) {
    PairResult pr;
    pr.pair_index = i;
    const endpoints::HandshakePair* pair = slots[i].measured.get();
    if (pair != nullptr) {
      pr.client = ToolsVerdict(pair->client_verdict());
      pr.server = ToolsVerdict(pair->server_verdict());
      for (const endpoints::OracleViolation& v : pair->oracle().violations()) {
        pr.violations.push_back({OracleName(v.oracle), v.detail});
      }
      const Expectations& expect = plan_of(i).scenario.expect();
      for (std::string& detail : oracles::CheckErrorPropagation(
               pair->client_verdict(), pair->server_verdict(),
               expect.max_handshake_time().empty()
                   ? std::nullopt
                   : std::optional<Duration>(
                         DurationOr(expect.max_handshake_time(), {})))) {
        pr.violations.push_back(
            {oracles::kErrorPropagation, std::move(detail)});
      }
    }
    const EndpointConfig& cl = plan_of(i).scenario.client();
    const EndpointConfig& sv = plan_of(i).scenario.server();
    if (pair != nullptr && cl.resumption().enabled() &&
        pair->client_verdict().kind == endpoints::Verdict::Kind::kConfirmed) {
      const endpoints::Verdict& v = pair->client_verdict();
      const bool want_0rtt = cl.resumption().zero_rtt();
      const bool server_0rtt =
          sv.resumption().enabled() && sv.resumption().zero_rtt();
      if (slots[i].prime_ticket && !v.resumed) {
        pr.violations.push_back(
            {"expected_outcome", "the handshake did not resume the session"});
      }
      if (slots[i].prime_ticket && want_0rtt && server_0rtt &&
          !v.early_data_accepted) {
        pr.violations.push_back(
            {"expected_outcome", "the server did not accept 0-RTT"});
      }
      if (!server_0rtt && v.early_data_accepted) {
        pr.violations.push_back(
            {"expected_outcome",
             "0-RTT was accepted by a server configured to refuse it"});
      }
    }
    if (slots[i].prime != nullptr) {
      for (const endpoints::OracleViolation& v :
           slots[i].prime->oracle().violations()) {
        pr.violations.push_back(
            {OracleName(v.oracle),
             absl::StrCat("priming handshake: ", v.detail)});
      }
      if (!slots[i].prime_ticket) {
        pr.violations.push_back(
            {"expected_outcome",
             "priming handshake ended without a session ticket; the measured "
             "handshake could not resume"});
      }
    }
    const bool finished = pair != nullptr && pair->done();
    if (!finished) {
      pr.violations.push_back(
          {"no_stall",
           stalled ? absl::StrFormat("the run hit its limits (%s, %d events) "
                                     "before the pair finished",
                                     scheduler.Now().ToString(),
                                     scheduler.events_run())
                   : "the run went idle before the pair finished"});
    }
    result.pairs.push_back(std::move(pr));
  }

  if (options.events != nullptr) *options.events = recorder.events();
  if (options.record_trace) {
    trace::Trace& t = result.trace.emplace();
    // Each link traces its decisions in the order it records them.
    std::map<std::string, size_t> cursor;
    for (const sim::TraceEvent& e : recorder.events()) {
      trace::Event* out = t.add_events();
      out->set_time_ns(e.time.nanos());
      out->set_actor(e.actor);
      out->set_kind(e.kind);
      out->set_details(e.details);
      out->set_pair(PairOfActor(e.actor));
      sim::Link* link = network.FindLink(e.actor);
      if (link == nullptr || e.kind == "send" || e.kind == "deliver") continue;
      size_t& c = cursor[e.actor];
      if (c >= link->decisions().size()) continue;
      const sim::Decision& d = link->decisions()[c++];
      if (d.physical) continue;
      std::optional<trace::NetworkDecision> proto = DecisionToProto(d);
      if (proto.has_value()) *out->mutable_decision() = std::move(*proto);
    }
    if (options.scripted_decisions.has_value()) {
      t.set_scripted(true);
      for (const trace::NetworkDecision& d : *options.scripted_decisions) {
        *t.add_script() = d;
      }
    }
  }
  return result;
}

}  // namespace quicsim::scenarios
