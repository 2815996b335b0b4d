// MakeDefaultSeedRunner for binaries built before the endpoint layer
// provides the real runner: every seed fails with a clear error.
#include <memory>

#include "absl/status/status.h"
#include "tools/quicsim/seed_runner.h"

namespace quicsim::tools {
namespace {

class UnavailableSeedRunner : public SeedRunner {
 public:
  absl::StatusOr<SeedResult> RunSeed(const scenarios::Scenario&, uint64_t,
                                     const RunSeedOptions&) override {
    return absl::UnimplementedError(
        "this quicsim binary has no QUIC endpoint linked in "
        "(MakeDefaultSeedRunner comes from //tools/quicsim:"
        "unavailable_seed_runner)");
  }
  trace::BuildIdentity Identity() const override {
    trace::BuildIdentity id;
    id.set_version("quicsim-dev");
    id.set_runner("unavailable");
    return id;
  }
};

}  // namespace

std::unique_ptr<SeedRunner> MakeDefaultSeedRunner() {
  return std::make_unique<UnavailableSeedRunner>();
}

}  // namespace quicsim::tools
