// MakeDefaultSeedRunner for the quicsim binary: the real runner with
// quicsim's own QUIC endpoints (scenarios/world.h).
#include <memory>

#include "scenarios/world.h"
#include "tools/quicsim/seed_runner.h"

namespace quicsim::tools {

std::unique_ptr<SeedRunner> MakeDefaultSeedRunner() {
  return std::make_unique<scenarios::QuicsimSeedRunner>();
}

}  // namespace quicsim::tools
