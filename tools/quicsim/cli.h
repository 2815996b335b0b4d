// The quicsim command line (run, replay, shrink, export, explore, trace
// print; see cli.cc) over whatever SeedRunner the binary supplies: the
// quicsim binary passes quicsim's own runner (quicsim_main.cc), the testonly
// quicsim_fake binary the fake one (quicsim_fake_main.cc).
#ifndef QUICSIM_TOOLS_QUICSIM_CLI_H_
#define QUICSIM_TOOLS_QUICSIM_CLI_H_

#include <functional>
#include <memory>

#include "scenarios/runner/seed_runner.h"

namespace quicsim::tools {

// Makes a fresh runner for one command.
using RunnerFactory = std::function<std::unique_ptr<scenarios::SeedRunner>()>;

// Parses argv, runs the command and returns the exit status (0 good,
// 1 violation, 2 bad input). Call once per process (flags are global).
int RunCli(int argc, char** argv, const RunnerFactory& factory);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_CLI_H_
