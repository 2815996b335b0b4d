// The quicsim binary: the command line over quicsim's own QUIC endpoints.
//
// Benchmarks only: QUICSIM_INSTR_WINDOW="T1,T2" (virtual seconds) sets the
// callgrind instrumentation window of sim/instr_window.h for every run, and
// the process then prints one line to stderr at exit:
//   instr_window: start=T1 end=T2 opened=N events=E handshakes_done=H
// The window never changes what a run does (same events, same digests).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "scenarios/world.h"
#include "sim/instr_window.h"
#include "tools/quicsim/cli.h"

int main(int argc, char** argv) {
  const char* window_text = std::getenv("QUICSIM_INSTR_WINDOW");
  if (window_text != nullptr && *window_text != '\0') {
    absl::StatusOr<quicsim::sim::InstrWindow> window =
        quicsim::sim::ParseInstrWindow(window_text);
    if (!window.ok()) {
      std::fprintf(stderr, "QUICSIM_INSTR_WINDOW: %s\n",
                   std::string(window.status().message()).c_str());
      return 2;
    }
    quicsim::sim::SetInstrWindow(*window);
  }
  const int code = quicsim::tools::RunCli(argc, argv, [] {
    return std::make_unique<quicsim::scenarios::QuicsimSeedRunner>();
  });
  if (const auto& window = quicsim::sim::GetInstrWindow(); window) {
    const quicsim::sim::InstrWindowStats stats =
        quicsim::sim::GetInstrWindowStats();
    std::fprintf(stderr,
                 "instr_window: start=%s end=%s opened=%llu events=%llu "
                 "handshakes_done=%llu\n",
                 window->start.ToString().c_str(),
                 window->end.ToString().c_str(),
                 static_cast<unsigned long long>(stats.opened),
                 static_cast<unsigned long long>(stats.events),
                 static_cast<unsigned long long>(stats.handshakes_done));
  }
  return code;
}
