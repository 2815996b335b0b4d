#include "scenarios/scenario_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "scenarios/validate.h"

namespace quicsim::scenarios {
namespace {

// Keeps the first parse error; protobuf reports 0-based positions.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!has_error_) {
      has_error_ = true;
      line_ = line;
      column_ = column;
      message_ = message;
    }
  }

  bool has_error() const { return has_error_; }
  std::string Format(absl::string_view filename) const {
    return absl::StrFormat("%s:%d:%d: %s", filename, line_ + 1, column_ + 1,
                           message_);
  }

 private:
  bool has_error_ = false;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

// Collects semantic checks; remembers the first failure.
class Validator {
 public:
  explicit Validator(absl::string_view filename) : filename_(filename) {}

  void Fail(absl::string_view path, absl::string_view message) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(filename_, ": ", path, ": ", message));
    }
  }

  void Duration(absl::string_view path, absl::string_view text) {
    absl::StatusOr<sim::Duration> d = ParseScenarioDuration(text);
    if (!d.ok()) Fail(path, d.status().message());
  }

  // A non-empty duration that must be strictly positive.
  void PositiveDuration(absl::string_view path, absl::string_view text) {
    absl::StatusOr<sim::Duration> d = ParseScenarioDuration(text);
    if (!d.ok()) {
      Fail(path, d.status().message());
    } else if (!text.empty() && *d <= sim::Duration::Zero()) {
      Fail(path, "must be positive");
    }
  }

  void Probability(absl::string_view path, double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      Fail(path, absl::StrFormat("probability %g is not in [0, 1]", p));
    }
  }

  void Link(const std::string& path, const LinkSpec& link) {
    Duration(path + ".delay", link.delay());
    Duration(path + ".jitter", link.jitter());
    if (link.mtu() != 0 && link.mtu() < kMinLinkMtu) {
      Fail(path + ".mtu",
           absl::StrFormat("%d is below %d: mtu counts the 28 bytes of IPv4 "
                           "and UDP headers, and QUIC needs 1200-byte "
                           "datagrams to pass",
                           link.mtu(), kMinLinkMtu));
    }
    if (link.mtu() > 65535) {
      Fail(path + ".mtu", absl::StrFormat("%d exceeds 65535", link.mtu()));
    }
    const Impairments& imp = link.impairments();
    const std::string ip = path + ".impairments";
    Probability(ip + ".loss", imp.loss());
    const GilbertElliott& ge = imp.gilbert_elliott();
    Probability(ip + ".gilbert_elliott.p", ge.p());
    Probability(ip + ".gilbert_elliott.r", ge.r());
    Probability(ip + ".gilbert_elliott.loss_good", ge.loss_good());
    Probability(ip + ".gilbert_elliott.loss_bad", ge.loss_bad());
    if (ge.p() > 0 && ge.r() == 0) {
      Fail(ip + ".gilbert_elliott.r",
           "must be positive when p is (the bad state would never end)");
    }
    for (int i = 0; i < imp.drops_size(); ++i) {
      const ScriptedDrop& drop = imp.drops(i);
      const std::string dp = absl::StrFormat("%s.drops[%d]", ip, i);
      switch (drop.select_case()) {
        case ScriptedDrop::kNth:
          if (drop.nth() == 0) Fail(dp + ".nth", "datagrams count from 1");
          if (drop.count() != 0) Fail(dp + ".count", "only valid with match");
          break;
        case ScriptedDrop::kMatch:
          if (drop.match() == PREDICATE_UNSPECIFIED) {
            Fail(dp + ".match", "must name a predicate");
          } else if (drop.match() == ALL_CONNECTION_CLOSE) {
            Fail(dp + ".match",
                 "ALL_CONNECTION_CLOSE cannot be recognised from cleartext "
                 "headers; use the DROP_CONNECTION_CLOSE fault");
          }
          break;
        case ScriptedDrop::SELECT_NOT_SET:
          Fail(dp, "set either nth or match");
          break;
      }
    }
    for (int i = 0; i < imp.blackholes_size(); ++i) {
      const Blackhole& bh = imp.blackholes(i);
      const std::string bp = absl::StrFormat("%s.blackholes[%d]", ip, i);
      Duration(bp + ".start", bh.start());
      Duration(bp + ".end", bh.end());
      absl::StatusOr<sim::Duration> start = ParseScenarioDuration(bh.start());
      absl::StatusOr<sim::Duration> end = ParseScenarioDuration(bh.end());
      if (start.ok() && end.ok() && !bh.end().empty() && *end <= *start) {
        Fail(bp + ".end", "must be after start");
      }
    }
    Probability(ip + ".reorder.probability", imp.reorder().probability());
    Duration(ip + ".reorder.extra_delay", imp.reorder().extra_delay());
    if (imp.reorder().probability() > 0 &&
        DurationOr(imp.reorder().extra_delay(), sim::Duration::Zero()) ==
            sim::Duration::Zero()) {
      Fail(ip + ".reorder.extra_delay", "must be positive when probability is");
    }
    Probability(ip + ".duplicate.probability", imp.duplicate().probability());
    Probability(ip + ".corrupt.probability", imp.corrupt().probability());
    if (imp.corrupt().probability() > 0 && imp.corrupt().bits() == 0) {
      Fail(ip + ".corrupt.bits", "must be positive when probability is");
    }
  }

  void Endpoint(const std::string& path, const EndpointConfig& ep,
                bool is_client) {
    uint64_t alpn_bytes = 0;
    for (int i = 0; i < ep.alpn_size(); ++i) {
      if (ep.alpn(i).empty() || ep.alpn(i).size() > 255) {
        Fail(absl::StrFormat("%s.alpn[%d]", path, i), "must be 1 to 255 bytes");
      }
      alpn_bytes += 1 + ep.alpn(i).size();
    }
    if (alpn_bytes > kMaxAlpnListBytes) {
      Fail(path + ".alpn",
           absl::StrFormat("the list encodes to %d bytes, more than %d (the "
                           "whole ClientHello must fit TLS's 16384-byte "
                           "handshake message limit)",
                           alpn_bytes, kMaxAlpnListBytes));
    }
    if (ep.server_name().size() > kMaxServerNameBytes) {
      Fail(path + ".server_name",
           absl::StrFormat("%d bytes, more than TLS allows for a host name "
                           "(%d)",
                           ep.server_name().size(), kMaxServerNameBytes));
    }
    for (int i = 0; i < ep.cipher_suites_size(); ++i) {
      const std::string& s = ep.cipher_suites(i);
      if (s != "TLS_AES_128_GCM_SHA256" && s != "TLS_AES_256_GCM_SHA384" &&
          s != "TLS_CHACHA20_POLY1305_SHA256") {
        Fail(absl::StrFormat("%s.cipher_suites[%d]", path, i),
             absl::StrCat("unknown TLS 1.3 cipher suite ", Quoted(s)));
      }
    }
    if (!ep.cipher_suites().empty()) {
      Fail(path + ".cipher_suites",
           "not supported yet: the tls layer has no cipher-suite setting "
           "(leave it empty for the defaults)");
    }
    for (int i = 0; i < ep.groups_size(); ++i) {
      const std::string& g = ep.groups(i);
      if (g != "X25519" && g != "P-256" && g != "P-384") {
        Fail(absl::StrFormat("%s.groups[%d]", path, i),
             absl::StrCat("unknown group ", Quoted(g),
                          " (X25519, P-256, P-384)"));
      }
      for (int j = 0; j < i; ++j) {
        if (ep.groups(j) == g) {
          Fail(absl::StrFormat("%s.groups[%d]", path, i),
               absl::StrCat(Quoted(g), " is listed twice"));
        }
      }
    }
    if (ep.certificate().chain_length() > 16) {
      Fail(path + ".certificate.chain_length", "at most 16");
    }
    if (ep.certificate().leaf_padding_bytes() > 16384) {
      Fail(path + ".certificate.leaf_padding_bytes", "at most 16384");
    }
    if (is_client && ep.retry()) Fail(path + ".retry", "server only");
    if (!is_client && ep.offer_unknown_version_first()) {
      Fail(path + ".offer_unknown_version_first", "client only");
    }
    PositiveDuration(path + ".idle_timeout", ep.idle_timeout());
    if (ep.max_udp_payload_size() != 0 && (ep.max_udp_payload_size() < 1200 ||
                                           ep.max_udp_payload_size() > 65527)) {
      Fail(path + ".max_udp_payload_size", "must be in [1200, 65527]");
    }
    bool server_only = false, client_only = false;
    switch (ep.fault()) {
      case ALPN_MISMATCH:
      case REFUSE_TRANSPORT_PARAMETERS:
      case NO_CERTIFICATE_FOR_SNI:
      case SERVER_INTERNAL_ERROR:
      case SIGNING_FAILURE:
      case INVALID_SERVER_TRANSPORT_PARAMETERS:
        server_only = true;
        break;
      case UNTRUSTED_CERTIFICATE:
      case BAD_SIGNATURE:
      case ABORT_BEFORE_CLIENT_HELLO:
        client_only = true;
        break;
      default:
        break;
    }
    if (server_only && is_client) {
      Fail(path + ".fault",
           absl::StrCat(Fault_Name(ep.fault()), " is a server fault"));
    }
    if (client_only && !is_client) {
      Fail(path + ".fault",
           absl::StrCat(Fault_Name(ep.fault()), " is a client fault"));
    }
    if (ep.fault_alert() != 0 && ep.fault() != REFUSE_TRANSPORT_PARAMETERS) {
      Fail(path + ".fault_alert",
           "only valid with REFUSE_TRANSPORT_PARAMETERS");
    }
    if (ep.fault_alert() > 255)
      Fail(path + ".fault_alert", "a TLS alert is < 256");
    if (!EndpointConfig::TlsApi_IsValid(ep.tls_api())) {
      Fail(path + ".tls_api", "unknown TLS API model");
    }
    if (ep.stack() == EndpointConfig::NGTCP2 &&
        (ep.tls_api() != EndpointConfig::PROPOSAL_74922 ||
         ep.disable_send_first_flight())) {
      Fail(path + ".tls_api", "only quicsim endpoints have a TLS API model");
    }
    if (is_client && ep.decline_early_data()) {
      Fail(path + ".decline_early_data", "server only");
    }
  }

  // What the hosted ngtcp2 endpoint supports (checked per variant too).
  void Stacks(const EndpointConfig& client, const EndpointConfig& server) {
    const bool ng_client = client.stack() == EndpointConfig::NGTCP2;
    const bool ng_server = server.stack() == EndpointConfig::NGTCP2;
    if (ng_client && ng_server) {
      Fail("server.stack",
           "both sides NGTCP2: quicsim verifies its own endpoints, so at "
           "least one side must be QUICSIM");
      return;
    }
    if (!ng_client && !ng_server) return;
    const std::string side = ng_client ? "client" : "server";
    const EndpointConfig& ng = ng_client ? client : server;
    switch (ng.fault()) {
      case NO_FAULT:
      case ALPN_MISMATCH:
      case REFUSE_TRANSPORT_PARAMETERS:
      case INVALID_SERVER_TRANSPORT_PARAMETERS:
        break;
      default:
        Fail(side + ".fault",
             absl::StrCat(Fault_Name(ng.fault()),
                          " cannot be injected into an NGTCP2 endpoint"));
    }
  }

  absl::Status status() const { return status_; }

 private:
  std::string filename_;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<sim::Duration> ParseScenarioDuration(absl::string_view text) {
  if (text.empty()) return sim::Duration::Zero();
  absl::Duration d;
  if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(text), " is not a duration (examples: \"750ms\", \"1.5s\")"));
  }
  if (d == absl::InfiniteDuration() || d == -absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is infinite; leave the field empty"));
  }
  if (d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is negative"));
  }
  if (d > absl::Nanoseconds(kMaxScenarioDuration.nanos())) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(text), " exceeds the longest duration a scenario may state, ",
        kMaxScenarioDurationText,
        " (the virtual clock is 64-bit nanoseconds)"));
  }
  return sim::Duration::Nanos(absl::ToInt64Nanoseconds(d));
}

sim::Duration DurationOr(absl::string_view text, sim::Duration fallback) {
  if (text.empty()) return fallback;
  absl::StatusOr<sim::Duration> d = ParseScenarioDuration(text);
  return d.ok() ? *d : fallback;
}

absl::Status ValidateScenario(const Scenario& s, absl::string_view filename) {
  // Closed enums, UTF-8, duration ranges and integer caps, schema-wide.
  if (absl::Status schema = CheckSchemaRules(s, filename); !schema.ok()) {
    return schema;
  }
  Validator v(filename);
  v.Link("network.client_to_server", s.network().client_to_server());
  v.Link("network.server_to_client", s.network().server_to_client());
  sim::Duration previous_at = sim::Duration::Zero();
  for (int i = 0; i < s.network().phases_size(); ++i) {
    const Phase& phase = s.network().phases(i);
    const std::string pp = absl::StrFormat("network.phases[%d]", i);
    absl::StatusOr<sim::Duration> at = ParseScenarioDuration(phase.at());
    if (!at.ok()) {
      v.Fail(pp + ".at", at.status().message());
    } else if (phase.at().empty()) {
      v.Fail(pp + ".at", "required");
    } else if (i > 0 && *at < previous_at) {
      v.Fail(pp + ".at", "phases must be in time order");
    } else {
      previous_at = *at;
    }
    v.Link(pp + ".link", phase.link());
  }
  v.Endpoint("client", s.client(), /*is_client=*/true);
  v.Endpoint("server", s.server(), /*is_client=*/false);
  if (s.population().pairs() == 0) {
    v.Fail("population.pairs", "must be positive");
  }
  v.Duration("population.start_spacing", s.population().start_spacing());
  if (s.population().pairs() > 1 &&
      PairStartOffset(s, s.population().pairs() - 1) > kMaxScenarioDuration) {
    v.Fail("population.start_spacing",
           absl::StrCat("the last of ", s.population().pairs(),
                        " pairs would start after ", kMaxScenarioDurationText));
  }
  uint64_t total_weight = 0;
  for (const Variant& variant : s.population().variants()) {
    total_weight += variant.weight() == 0 ? 1 : variant.weight();
    if (total_weight > kMaxTotalVariantWeight) {
      v.Fail("population.variants",
             absl::StrCat("the weights add up to more than ",
                          kMaxTotalVariantWeight));
      break;
    }
  }
  if (s.seeds().count() == 0) v.Fail("seeds.count", "must be positive");
  if (s.seeds().count() > 0 &&
      s.seeds().count() - 1 > UINT64_MAX - s.seeds().base()) {
    v.Fail("seeds.count", "the last seed (base + count - 1) exceeds 2^64 - 1");
  }
  v.Stacks(s.client(), s.server());
  const Expectations& e = s.expect();
  switch (e.outcome()) {
    case Expectations::OUTCOME_UNSPECIFIED:
      v.Fail("expect.outcome", "required (CONFIRMED or CLOSED)");
      break;
    case Expectations::CONFIRMED:
      if (e.error_codes_size() > 0) {
        v.Fail("expect.error_codes", "only valid with outcome CLOSED");
      }
      break;
    case Expectations::CLOSED:
      if (e.error_codes_size() == 0) {
        v.Fail("expect.error_codes", "outcome CLOSED needs an error code");
      }
      break;
    default:
      break;
  }
  v.PositiveDuration("expect.max_handshake_time", e.max_handshake_time());
  for (int i = 0; i < e.oracles_size(); ++i) {
    if (e.oracles(i) == Expectations::ORACLE_UNSPECIFIED) {
      v.Fail(absl::StrFormat("expect.oracles[%d]", i), "must name an oracle");
    }
  }
  for (int i = 0; i < e.expected_violations_size(); ++i) {
    const std::string path =
        absl::StrFormat("expect.expected_violations[%d]", i);
    const int oracle = e.expected_violations(i);
    if (oracle == Expectations::ORACLE_UNSPECIFIED) {
      v.Fail(path, "must name an oracle");
    } else if (!e.oracles().empty() &&
               std::find(e.oracles().begin(), e.oracles().end(), oracle) ==
                   e.oracles().end()) {
      v.Fail(path, "must be one of the enabled oracles");
    }
  }
  v.PositiveDuration("limits.max_virtual_time", s.limits().max_virtual_time());
  if (!v.status().ok()) return v.status();
  // Each variant of a mixed population must be a valid scenario in itself.
  if (!s.population().variants().empty()) {
    const std::vector<Scenario> variants = ExpandVariants(s);
    for (size_t k = 0; k < variants.size(); ++k) {
      absl::Status status = ValidateScenario(variants[k], filename);
      if (!status.ok()) {
        // "FILE: field: message" -> "FILE: population.variants[k] (name): ..."
        std::string message(status.message());
        const std::string prefix = absl::StrCat(filename, ": ");
        if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: population.variants[%d] (%s): %s", filename, k,
                            s.population().variants(k).name(), message));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ParseTextProto(absl::string_view text, absl::string_view filename,
                            absl::string_view what,
                            google::protobuf::Message* message) {
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  const bool parsed = parser.ParseFromString(std::string(text), message);
  if (errors.has_error()) {
    return absl::InvalidArgumentError(errors.Format(filename));
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename, ": not a valid ", what));
  }
  return absl::OkStatus();
}

absl::StatusOr<Scenario> ParseScenario(absl::string_view text,
                                       absl::string_view filename) {
  Scenario scenario;
  if (absl::Status s = ParseTextProto(text, filename, "scenario", &scenario);
      !s.ok()) {
    return s;
  }
  absl::Status valid = ValidateScenario(scenario, filename);
  if (!valid.ok()) return valid;
  return scenario;
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path) {
  absl::StatusOr<std::string> contents =
      ReadInputFile(path, "scenario", kMaxScenarioFileBytes);
  if (!contents.ok()) return contents.status();
  return ParseScenario(*contents, path);
}

absl::StatusOr<std::string> ReadInputFile(const std::string& path,
                                          absl::string_view what,
                                          uint64_t max_bytes) {
  auto error = [&](absl::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", message));
  };
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return error(
        absl::StrCat("cannot open ", what, " file: ", std::strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return error(
        absl::StrCat("cannot stat ", what, " file: ", std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return error(absl::StrCat(
        S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file",
        ", not a ", what, " file"));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return error(absl::StrCat(what, " file of ", st.st_size,
                              " bytes exceeds the limit of ", max_bytes));
  }
  std::string contents;
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      return error(absl::StrCat("read error: ", std::strerror(err)));
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > max_bytes) {  // the file grew while being read
      close(fd);
      return error(absl::StrCat(what, " file exceeds the limit of ", max_bytes,
                                " bytes"));
    }
  }
  close(fd);
  return contents;
}

std::vector<Scenario> ExpandVariants(const Scenario& scenario) {
  Scenario base = scenario;
  base.mutable_population()->clear_variants();
  if (scenario.population().variants().empty()) return {base};
  std::vector<Scenario> out;
  for (const Variant& v : scenario.population().variants()) {
    Scenario s = base;
    if (!v.name().empty()) s.set_name(absl::StrCat(base.name(), "/", v.name()));
    s.mutable_client()->MergeFrom(v.client());
    s.mutable_server()->MergeFrom(v.server());
    if (v.has_expect()) *s.mutable_expect() = v.expect();
    out.push_back(std::move(s));
  }
  return out;
}

int VariantOfPair(const Scenario& scenario, int pair_index) {
  const auto& variants = scenario.population().variants();
  if (variants.empty()) return 0;
  // Summed in 64 bits: the loader caps the total, but a bad scenario must
  // never divide by a wrapped-around zero.
  uint64_t total = 0;
  for (const Variant& v : variants) total += v.weight() == 0 ? 1 : v.weight();
  uint64_t slot = static_cast<uint64_t>(pair_index) % total;
  for (int k = 0; k < variants.size(); ++k) {
    const uint64_t w = variants[k].weight() == 0 ? 1 : variants[k].weight();
    if (slot < w) return k;
    slot -= w;
  }
  return 0;
}

}  // namespace quicsim::scenarios
