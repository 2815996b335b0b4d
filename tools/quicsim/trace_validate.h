// The input rules a trace passes before replay, shrink, export or print use
// it: the scenario embedded in it is validated exactly like a scenario file
// (scenarios/validate.h), and its network script, enums and counts are
// checked so that an edited trace (the checksum is not a signature) cannot
// crash or mislead a command.
#ifndef QUICSIM_TOOLS_QUICSIM_TRACE_VALIDATE_H_
#define QUICSIM_TOOLS_QUICSIM_TRACE_VALIDATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scenarios/runner/trace.pb.h"

namespace quicsim::tools {

// Largest trace file read.
inline constexpr uint64_t kMaxTraceFileBytes = uint64_t{256} << 20;
// Copies one scripted DUPLICATE decision may make.
inline constexpr uint32_t kMaxScriptedCopies = 16;

// Checks `trace` (read from `name`); the first problem as one line
// "NAME: embedded scenario: field.path: message" or "NAME: script[i]...".
absl::Status ValidateTrace(const trace::Trace& trace, absl::string_view name);

// Reads (regular files up to kMaxTraceFileBytes only), decodes and
// validates the trace at `path`.
absl::StatusOr<trace::Trace> ReadValidTraceFile(const std::string& path);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_TRACE_VALIDATE_H_
