// Reading, writing and printing trace files.
//
// On disk a trace is one header line followed by the serialized
// quicsim.trace.Trace:
//   "quicsim-trace v1 len=<payload bytes> sha256=<hex of payload>\n"
// so a truncated, corrupted or foreign file is recognised before parsing.
#ifndef QUICSIM_TOOLS_QUICSIM_TRACE_IO_H_
#define QUICSIM_TOOLS_QUICSIM_TRACE_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scenarios/runner/trace.pb.h"

namespace quicsim::tools {

// The header line's fixed prefix.
inline constexpr absl::string_view kTraceMagic = "quicsim-trace v1 ";

// The file contents for `trace`: header line + payload.
std::string EncodeTrace(const trace::Trace& trace);

// Parses file contents produced by EncodeTrace. `name` labels errors.
absl::StatusOr<trace::Trace> DecodeTrace(absl::string_view contents,
                                         absl::string_view name);

// Writes `contents` to `path` atomically: `path.tmp.PID` is written,
// fsync'ed and renamed over `path`; on failure nothing is left behind and
// an existing `path` is untouched.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// EncodeTrace + WriteFileAtomically, after checking that the encoding
// decodes again (anything written can be read back).
absl::Status WriteTraceFile(const std::string& path, const trace::Trace& trace);

// Reads and decodes the trace at `path`; errors name the file and say
// whether it is foreign, of another version, truncated or corrupt.
absl::StatusOr<trace::Trace> ReadTraceFile(const std::string& path);

// Human-readable rendering for `quicsim trace print`.
std::string RenderTrace(const trace::Trace& trace);

// One event as a single line (also used by replay's divergence report).
std::string RenderEvent(const trace::Event& event);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_TRACE_IO_H_
