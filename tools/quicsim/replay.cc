#include "tools/quicsim/replay.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/trace_io.h"
#include "tools/quicsim/trace_validate.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

using google::protobuf::util::MessageDifferencer;

std::string EventOrEnd(const trace::Trace& t, int i) {
  return i < t.events_size() ? RenderEvent(t.events(i)) : "<end of trace>";
}

}  // namespace

absl::StatusOr<ReplayReport> ReplayTrace(SeedRunner& runner,
                                         const trace::Trace& recorded) {
  // Nothing runs on a trace that breaks the input rules (an edited trace
  // can hold any scenario).
  if (absl::Status s = ValidateTrace(recorded, "trace"); !s.ok()) return s;
  RunSeedOptions options;
  options.record_trace = true;
  if (recorded.scripted()) {
    options.scripted_decisions.emplace(recorded.script().begin(),
                                       recorded.script().end());
  }
  absl::StatusOr<SeedResult> result =
      RunJudgedSeed(runner, recorded.scenario(), recorded.seed(), options);
  if (!result.ok()) return result.status();
  const trace::Trace& replayed = *result->trace;

  ReplayReport report;
  std::string& text = report.text;
  if (!MessageDifferencer::Equals(recorded.build(), replayed.build())) {
    absl::StrAppend(&text, "warning: recorded by build \"",
                    recorded.build().ShortDebugString(), "\", replayed by \"",
                    replayed.build().ShortDebugString(), "\"\n");
  }
  const int common = std::min(recorded.events_size(), replayed.events_size());
  int divergence = -1;
  for (int i = 0; i < common; ++i) {
    if (!MessageDifferencer::Equals(recorded.events(i), replayed.events(i))) {
      divergence = i;
      break;
    }
  }
  if (divergence < 0 && recorded.events_size() != replayed.events_size()) {
    divergence = common;
  }
  if (divergence >= 0) {
    report.first_divergence = divergence;
    absl::StrAppend(&text, "DIVERGES at event #", divergence, " (recorded ",
                    recorded.events_size(), " events, replay ",
                    replayed.events_size(), ")\n");
    for (int i = std::max(0, divergence - kReplayContextEvents); i < divergence;
         ++i) {
      absl::StrAppend(&text, "   #", i, "  ", RenderEvent(recorded.events(i)),
                      "\n");
    }
    absl::StrAppend(&text, "recorded #", divergence, "  ",
                    EventOrEnd(recorded, divergence), "\n");
    absl::StrAppend(&text, "replayed #", divergence, "  ",
                    EventOrEnd(replayed, divergence), "\n");
    return report;
  }
  bool verdicts_equal = recorded.verdicts_size() == replayed.verdicts_size();
  for (int i = 0; verdicts_equal && i < recorded.verdicts_size(); ++i) {
    verdicts_equal =
        MessageDifferencer::Equals(recorded.verdicts(i), replayed.verdicts(i));
  }
  if (!verdicts_equal) {
    absl::StrAppend(&text,
                    "DIVERGES: same events but different verdicts\n"
                    "recorded: ");
    for (const auto& v : recorded.verdicts()) {
      absl::StrAppend(&text, v.ShortDebugString(), "; ");
    }
    absl::StrAppend(&text, "\nreplayed: ");
    for (const auto& v : replayed.verdicts()) {
      absl::StrAppend(&text, v.ShortDebugString(), "; ");
    }
    absl::StrAppend(&text, "\n");
    return report;
  }
  if (recorded.digests().events() != replayed.digests().events()) {
    absl::StrAppend(&text, "DIVERGES: same events but the events digest is ",
                    replayed.digests().events(), ", recorded ",
                    recorded.digests().events(), "\n");
    return report;
  }
  // A trace that records byte-level determinism promises the same wire
  // bytes: anything less is a divergence. Only a trace recorded at event
  // level (an ngtcp2/GnuTLS side draws unseeded randomness) is reproduced
  // by equal events alone.
  const bool recorded_byte_level = recorded.determinism() == trace::BYTE_LEVEL;
  if (recorded_byte_level &&
      (replayed.determinism() != trace::BYTE_LEVEL ||
       recorded.digests().wire() != replayed.digests().wire())) {
    absl::StrAppend(
        &text, "DIVERGES: same events but the wire digest is ",
        replayed.digests().wire().empty() ? "<none>"
                                          : replayed.digests().wire(),
        ", recorded ",
        recorded.digests().wire().empty() ? "<none>"
                                          : recorded.digests().wire(),
        " (the trace records byte-level determinism)\n");
    return report;
  }
  report.reproduced = true;
  report.byte_for_byte = recorded_byte_level;
  absl::StrAppend(&text, "REPRODUCES ",
                  report.byte_for_byte ? "byte for byte" : "event for event",
                  " (", recorded.events_size(), " events, seed ",
                  recorded.seed(), ")\n");
  if (!report.byte_for_byte) {
    absl::StrAppend(&text, "note: this trace records ",
                    trace::DeterminismLevel_Name(recorded.determinism()),
                    " determinism, so the wire bytes are not compared\n");
  }
  return report;
}

}  // namespace quicsim::tools
