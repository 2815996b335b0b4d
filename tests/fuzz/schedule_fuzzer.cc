// Coverage-guided schedule fuzzing: the input bytes are not packets but a
// fault schedule plus a few scenario knobs over a clean base scenario, so
// libFuzzer's coverage of the endpoint and TLS code steers the search
// towards new protocol states. Layout:
//   byte 0  knobs: bit 0 Retry, 1 Version Negotiation, 2 resumption with
//           0-RTT, 3 P-256 certificate, 4 a 4-certificate chain
//   byte 1  error row (value % 8; 0: none) with its expected code
//   then 3 bytes per fault (at most 8): direction (bit 7) and per-link
//   datagram index (bits 0-3), action (% 4: drop, duplicate, reorder,
//   corrupt), bit position (for corrupt: byte * 8 + direction bits).
// An oracle violation writes a replayable trace (scripted, the faults only)
// to $QUICSIM_FUZZ_TRACE_DIR (default: the working directory) and aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "tests/fuzz/fuzz_check.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/trace_io.h"

namespace {

using quicsim::scenarios::Scenario;
using quicsim::trace::NetworkDecision;

struct Row {
  const char* side;
  const char* fault;
  const char* code;
};
constexpr Row kRows[] = {
    {"server", "ALPN_MISMATCH", "0x178"},
    {"server", "REFUSE_TRANSPORT_PARAMETERS", "0x08"},
    {"server", "NO_CERTIFICATE_FOR_SNI", "0x128"},
    {"server", "SERVER_INTERNAL_ERROR", "0x150"},
    {"client", "UNTRUSTED_CERTIFICATE", "0x12a"},
    {"client", "BAD_SIGNATURE", "0x133"},
    {"server", "INVALID_SERVER_TRANSPORT_PARAMETERS", "0x08"},
};

Scenario MakeScenario(uint8_t knobs, uint8_t row_byte) {
  const int row = row_byte % 8;
  std::string client, server;
  if (knobs & 1) absl::StrAppend(&server, " retry: true");
  if (knobs & 2) absl::StrAppend(&client, " offer_unknown_version_first: true");
  if ((knobs & 4) && row == 0) {
    absl::StrAppend(&client, " resumption { enabled: true zero_rtt: true }");
    absl::StrAppend(&server, " resumption { enabled: true zero_rtt: true }");
  }
  std::string cert;
  if (knobs & 8) absl::StrAppend(&cert, " key_type: P256");
  if (knobs & 16) absl::StrAppend(&cert, " chain_length: 4");
  if (!cert.empty()) absl::StrAppend(&server, " certificate {", cert, " }");
  std::string expect = "outcome: CONFIRMED";
  if (row != 0) {
    const Row& r = kRows[row - 1];
    absl::StrAppend(r.side[0] == 'c' ? &client : &server, " fault: ", r.fault);
    expect = absl::StrCat("outcome: CLOSED error_codes: ", r.code);
  }
  const std::string text = absl::StrCat(
      "name: \"schedule_fuzz\"\n"
      "network { client_to_server { delay: \"10ms\" } "
      "server_to_client { delay: \"10ms\" } }\n"
      "client {",
      client, " }\nserver {", server,
      " }\npopulation { pairs: 1 }\nseeds { count: 1 base: 1 }\n"
      "expect { ",
      expect, " }\nlimits { max_virtual_time: \"300s\" }\n");
  absl::StatusOr<Scenario> s =
      quicsim::scenarios::ParseScenario(text, "schedule_fuzzer");
  FUZZ_CHECK(s.ok());
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static quicsim::scenarios::QuicsimSeedRunner* runner =
      new quicsim::scenarios::QuicsimSeedRunner();
  if (size < 2) return 0;
  const Scenario scenario = MakeScenario(data[0], data[1]);
  std::vector<NetworkDecision> script;
  for (size_t i = 2; i + 3 <= size && script.size() < 8; i += 3) {
    NetworkDecision d;
    const bool s2c = (data[i] & 0x80) != 0;
    d.set_link(s2c ? "pair/0/s2c" : "pair/0/c2s");
    d.set_index(1 + (data[i] & 0x0f));
    d.set_reason("fuzz");
    switch (data[i + 1] % 4) {
      case 0:
        d.set_action(NetworkDecision::DROP);
        break;
      case 1:
        d.set_action(NetworkDecision::DUPLICATE);
        d.mutable_params()->set_copies(1);
        break;
      case 2:
        d.set_action(NetworkDecision::REORDER);
        d.mutable_params()->set_extra_delay_ns(100'000'000);
        d.mutable_params()->set_until_next(true);
        break;
      default:
        d.set_action(NetworkDecision::CORRUPT);
        d.mutable_params()->add_bit_positions(data[i + 2] * 8u +
                                              ((data[i] >> 4) & 7));
        break;
    }
    script.push_back(std::move(d));
  }
  quicsim::scenarios::RunSeedOptions options;
  options.scripted_decisions = script;
  absl::StatusOr<quicsim::scenarios::SeedResult> result =
      quicsim::tools::RunJudgedSeed(*runner, scenario, 1, options);
  FUZZ_CHECK(result.ok());
  if (quicsim::tools::FirstFailingPair(*result) < 0) return 0;
  // Version Negotiation carries no integrity protection: a corrupted
  // version list legitimately ends the attempt (see swarm.cc).
  if (data[0] & 2) {
    for (const NetworkDecision& d : script) {
      if (d.action() == NetworkDecision::CORRUPT) return 0;
    }
  }
  options.record_trace = true;
  absl::StatusOr<quicsim::scenarios::SeedResult> traced =
      quicsim::tools::RunJudgedSeed(*runner, scenario, 1, options);
  FUZZ_CHECK(traced.ok());
  const char* dir = std::getenv("QUICSIM_FUZZ_TRACE_DIR");
  const std::string path =
      absl::StrFormat("%s/schedule-fuzz-%s.trace", dir != nullptr ? dir : ".",
                      traced->events_digest.substr(0, 16));
  const absl::Status written =
      quicsim::tools::WriteTraceFile(path, *traced->trace);
  std::fprintf(stderr, "schedule_fuzzer: %s; trace %s (%s)\n",
               quicsim::tools::FailureSignatureOf(
                   *result, quicsim::tools::FirstFailingPair(*result))
                   .c_str(),
               path.c_str(), written.ok() ? "written" : "NOT written");
  std::abort();
}
