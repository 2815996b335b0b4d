// Trace-file fuzz target: the input is a trace file's contents, or (when it
// does not start with the trace header) a serialized trace payload that the
// target puts behind a correct header, so that mutations reach the parser
// and the replay instead of the checksum. It is decoded and validated as
// `quicsim replay` reads a file (DecodeTrace + ValidateTrace, the embedded
// scenario exactly like a scenario file); an accepted trace is capped
// (input_contract.h) and replayed, script included, on the real endpoints.
// Rejections must be one-line messages naming the file; a replay must end in a
// report (reproduced or not).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "scenarios/world.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/input_contract.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/trace_io.h"
#include "tools/quicsim/trace_validate.h"

namespace {

constexpr absl::string_view kFileName = "fuzz.trace";

// One runner per process, renewed now and then (see scenario_fuzzer.cc).
quicsim::scenarios::SeedRunner& Runner() {
  static std::unique_ptr<quicsim::scenarios::QuicsimSeedRunner> runner;
  static int uses = 0;
  if (runner == nullptr || ++uses % 64 == 0) {
    runner = std::make_unique<quicsim::scenarios::QuicsimSeedRunner>();
  }
  return *runner;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tools = quicsim::tools;
  quicsim::fuzz::SilenceProtobufLogs();
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::string contents;
  if (absl::StartsWith(input, tools::kTraceMagic)) {
    contents = std::string(input);
  } else {
    contents = absl::StrCat(tools::kTraceMagic, "len=", input.size(),
                            " sha256=", tools::Sha256Hex(input), "\n", input);
  }
  absl::StatusOr<quicsim::trace::Trace> trace =
      tools::DecodeTrace(contents, kFileName);
  if (!trace.ok()) {
    quicsim::fuzz::CheckRejection(trace.status(), kFileName);
    return 0;
  }
  // What ReadValidTraceFile does after reading the file.
  if (absl::Status s = tools::ValidateTrace(*trace, kFileName); !s.ok()) {
    quicsim::fuzz::CheckRejection(s, kFileName);
    return 0;
  }
  quicsim::fuzz::CapScenario(quicsim::fuzz::InputHash(data, size),
                             trace->mutable_scenario());
  absl::StatusOr<tools::ReplayReport> report =
      tools::ReplayTrace(Runner(), *trace);
  if (!report.ok()) {
    quicsim::fuzz::CheckRejection(report.status(), "");
    return 0;
  }
  // The report says which of the two it is.
  FUZZ_CHECK(absl::StrContains(report->text,
                               report->reproduced ? "REPRODUCES" : "DIVERGES"));
  // Printing a trace is part of the same contract (`quicsim trace print`).
  FUZZ_CHECK(!tools::RenderTrace(*trace).empty());
  return 0;
}
