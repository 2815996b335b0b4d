#include "tools/quicsim/trace_validate.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

absl::Status ValidateTrace(const trace::Trace& t, absl::string_view name) {
  auto error = [&](const std::string& path, absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": ", path, ": ", message));
  };
  if (!t.has_scenario()) return error("scenario", "missing");
  if (absl::Status s = scenarios::ValidateScenario(
          t.scenario(), absl::StrCat(name, ": embedded scenario"));
      !s.ok()) {
    return s;
  }
  if (!trace::DeterminismLevel_IsValid(t.determinism())) {
    return error("determinism", absl::StrCat(static_cast<int>(t.determinism()),
                                             " is not a DeterminismLevel"));
  }
  if (t.pair_index() < -1 ||
      (t.pair_index() >= 0 && static_cast<uint64_t>(t.pair_index()) >=
                                  t.scenario().population().pairs())) {
    return error("pair_index", absl::StrCat(t.pair_index(),
                                            " is not a pair of the scenario"));
  }
  if (!t.scripted() && t.script_size() > 0) {
    return error("script", "present but the trace is not scripted");
  }
  for (int i = 0; i < t.script_size(); ++i) {
    const trace::NetworkDecision& d = t.script(i);
    const std::string path = absl::StrFormat("script[%d]", i);
    if (d.index() == 0) {
      return error(path + ".index", "datagrams count from 1");
    }
    if (!trace::NetworkDecision::Action_IsValid(d.action()) ||
        d.action() == trace::NetworkDecision::ACTION_UNSPECIFIED) {
      return error(path + ".action",
                   absl::StrCat(static_cast<int>(d.action()),
                                " is not a network decision"));
    }
    const int64_t delay = d.params().extra_delay_ns();
    if (delay < 0 || delay > scenarios::kMaxScenarioDuration.nanos()) {
      return error(path + ".params.extra_delay_ns",
                   absl::StrCat(delay, " is outside [0, ",
                                scenarios::kMaxScenarioDurationText, "]"));
    }
    if (d.params().copies() > kMaxScriptedCopies) {
      return error(path + ".params.copies",
                   absl::StrCat(d.params().copies(), " exceeds the limit of ",
                                kMaxScriptedCopies));
    }
    if (d.params().bit_positions_size() > 65535 * 8) {
      return error(path + ".params.bit_positions", "more bits than a datagram");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<trace::Trace> ReadValidTraceFile(const std::string& path) {
  absl::StatusOr<std::string> contents =
      scenarios::ReadInputFile(path, "trace", kMaxTraceFileBytes);
  if (!contents.ok()) return contents.status();
  absl::StatusOr<trace::Trace> t = DecodeTrace(*contents, path);
  if (!t.ok()) return t.status();
  if (absl::Status s = ValidateTrace(*t, path); !s.ok()) return s;
  return t;
}

}  // namespace quicsim::tools
