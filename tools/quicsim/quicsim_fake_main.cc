// quicsim_fake (testonly): the same command line over FakeSeedRunner, for the
// CLI's own tests (exit codes, traces, replay, shrink, suites) without QUIC.
#include <memory>

#include "tools/quicsim/cli.h"
#include "tools/quicsim/fake_seed_runner.h"

int main(int argc, char** argv) {
  return quicsim::tools::RunCli(argc, argv, [] {
    return std::make_unique<quicsim::tools::FakeSeedRunner>();
  });
}
