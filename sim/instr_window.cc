#include "sim/instr_window.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define QUICSIM_HAVE_CALLGRIND 1
#endif
#endif
#ifndef QUICSIM_HAVE_CALLGRIND
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

namespace quicsim::sim {
namespace {

std::optional<InstrWindow>& Window() {
  static std::optional<InstrWindow>* window = new std::optional<InstrWindow>;
  return *window;
}

InstrWindowStats& Stats() {
  static InstrWindowStats* stats = new InstrWindowStats;
  return *stats;
}

// Seconds ("12", "0.5") or "inf" to a Time.
absl::StatusOr<Time> ParseSeconds(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text == "inf") return Time::Infinite();
  double s = 0;
  if (!absl::SimpleAtod(text, &s) || !std::isfinite(s) || s < 0 || s > 9e9) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a number of seconds >= 0"));
  }
  return Time::FromNanos(static_cast<int64_t>(std::llround(s * 1e9)));
}

// Runs events earlier than `bound`. False if the scheduler stalled.
bool RunBefore(Scheduler& scheduler, Time bound, uint64_t* events) {
  while (true) {
    const Time next = scheduler.NextEventTime();
    if (next.IsInfinite() || next >= bound) return true;
    if (!scheduler.Step()) return false;
    if (events != nullptr) ++*events;
  }
}

}  // namespace

absl::StatusOr<InstrWindow> ParseInstrWindow(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("instrumentation window \"", text,
                     "\": want T1,T2 in virtual seconds"));
  }
  absl::StatusOr<Time> start = ParseSeconds(parts[0]);
  absl::StatusOr<Time> end = ParseSeconds(parts[1]);
  for (const absl::StatusOr<Time>* t : {&start, &end}) {
    if (!t->ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "instrumentation window \"", text, "\": ", t->status().message()));
    }
  }
  if (start->IsInfinite() || !(*start < *end)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "instrumentation window \"", text, "\": want T1 < T2, T1 finite"));
  }
  return InstrWindow{*start, *end};
}

void SetInstrWindow(std::optional<InstrWindow> window) {
  Window() = window;
  Stats() = InstrWindowStats();
}

const std::optional<InstrWindow>& GetInstrWindow() { return Window(); }

InstrWindowStats GetInstrWindowStats() { return Stats(); }

void NoteHandshakeDone(Time now) {
  const std::optional<InstrWindow>& w = Window();
  if (w.has_value() && w->start <= now && now < w->end) {
    ++Stats().handshakes_done;
  }
}

RunResult RunUntilIdleWithWindow(Scheduler& scheduler) {
  const std::optional<InstrWindow>& w = Window();
  if (!w.has_value()) return scheduler.RunUntilIdle();
  if (!RunBefore(scheduler, w->start, nullptr)) return RunResult::kStalled;
  ++Stats().opened;
  CALLGRIND_START_INSTRUMENTATION;
  const bool ok = RunBefore(scheduler, w->end, &Stats().events);
  CALLGRIND_STOP_INSTRUMENTATION;
  if (!ok) return RunResult::kStalled;
  return scheduler.RunUntilIdle();
}

}  // namespace quicsim::sim
