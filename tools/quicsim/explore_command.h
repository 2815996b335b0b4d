// `quicsim explore`: the command-line front end of exhaustive and swarm
// search (flags are defined in explore_command.cc).
#ifndef QUICSIM_TOOLS_QUICSIM_EXPLORE_COMMAND_H_
#define QUICSIM_TOOLS_QUICSIM_EXPLORE_COMMAND_H_

#include <memory>

#include "scenarios/runner/seed_runner.h"

namespace quicsim::tools {

// Runs `quicsim explore` with the parsed flags. Returns the exit status: 0
// nothing failed, 1 some schedule or swarm run failed, 2 bad input.
int ExploreCommand(std::unique_ptr<scenarios::SeedRunner> runner);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_EXPLORE_COMMAND_H_
