// The quicsim binary: the command line over quicsim's own QUIC endpoints.
#include <memory>

#include "scenarios/world.h"
#include "tools/quicsim/cli.h"

int main(int argc, char** argv) {
  return quicsim::tools::RunCli(argc, argv, [] {
    return std::make_unique<quicsim::scenarios::QuicsimSeedRunner>();
  });
}
