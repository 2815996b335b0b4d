// Structure-aware endpoint fuzz target (a hostile peer that holds the real
// keys; endpoint_frames_harness.h has the input layout). Oracles: no crash
// and no sanitizer report; the run goes idle within its event budget (no
// livelock); every connection ends in a verdict.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "endpoints/verdict.h"
#include "tests/fuzz/endpoint_frames_harness.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string VerdictOf(const std::optional<quicsim::endpoints::Verdict>& v) {
  return v.has_value() ? quicsim::endpoints::VerdictToString(*v)
                       : "no connection";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const quicsim::fuzz::InjectionOutcome outcome =
      quicsim::fuzz::RunInjection({data, size});
  if (!outcome.ran) return 0;
  const bool verdicts =
      outcome.client.final() &&
      (!outcome.server.has_value() || outcome.server->final());
  if (outcome.stalled || !verdicts) {
    std::fprintf(
        stderr,
        "run did not end: stalled=%d events=%llu client=%s "
        "server=%s\n",
        outcome.stalled, static_cast<unsigned long long>(outcome.events),
        VerdictOf(outcome.client).c_str(), VerdictOf(outcome.server).c_str());
  }
  FUZZ_CHECK(!outcome.stalled);
  FUZZ_CHECK(verdicts);
  return 0;
}
