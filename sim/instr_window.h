// A window of virtual time in which valgrind's callgrind counts
// instructions: the benchmark's way to measure per-handshake cost in a
// steady state (tools/bench_scale.py) without running the whole process
// under full instrumentation. Under `valgrind --tool=callgrind
// --instr-atstart=no`, instrumentation is switched on before the first event
// at or after the window's start and off before the first event at or after
// its end; outside valgrind the client requests are no-ops.
//
// The window is process-wide (set once, before any run; quicsim reads it
// from QUICSIM_INSTR_WINDOW). It never changes what the simulation does: the
// events run in the same order at the same virtual times, no event is added,
// and Now() is never moved by the window.
#ifndef QUICSIM_SIM_INSTR_WINDOW_H_
#define QUICSIM_SIM_INSTR_WINDOW_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace quicsim::sim {

// Events with start <= time < end run instrumented.
struct InstrWindow {
  Time start;
  Time end;
};

// Parses "T1,T2" in virtual seconds (decimals allowed, e.g. "10,11.5");
// requires 0 <= T1 < T2 (T2 may be "inf").
absl::StatusOr<InstrWindow> ParseInstrWindow(absl::string_view text);

// Sets (or clears, with nullopt) the process-wide window and zeroes its
// counters.
void SetInstrWindow(std::optional<InstrWindow> window);
const std::optional<InstrWindow>& GetInstrWindow();

// What happened inside the window, summed over every run since
// SetInstrWindow.
struct InstrWindowStats {
  // Handshakes that finished (NoteHandshakeDone) at a time in the window.
  uint64_t handshakes_done = 0;
  // Events run inside the window.
  uint64_t events = 0;
  // Times instrumentation was switched on.
  uint64_t opened = 0;
};
InstrWindowStats GetInstrWindowStats();

// Counts one finished handshake at virtual time `now` if a window is set
// and `now` lies in it.
void NoteHandshakeDone(Time now);

// Scheduler::RunUntilIdle(), switching instrumentation on and off at the
// window's bounds when a window is set. Same result, same events.
RunResult RunUntilIdleWithWindow(Scheduler& scheduler);

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_INSTR_WINDOW_H_
