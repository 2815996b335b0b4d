// The bad-input contract the scenario and trace fuzz targets assert, and the
// caps that keep one fuzz execution small.
//
// quicsim's contract for untrusted input (README, "Exit codes"): either a
// bad-input rejection (exit 2) with exactly one line of message, or a valid
// run. A fuzz target sees the library's Status instead of the exit code, so
// a rejection is a non-OK Status with a message.
#ifndef QUICSIM_TESTS_FUZZ_INPUT_CONTRACT_H_
#define QUICSIM_TESTS_FUZZ_INPUT_CONTRACT_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::fuzz {

// Pairs per run, events per run and virtual time per run in a fuzz
// execution: a fuzzer's scenario is capped to these after validation, the
// way `quicsim run --pairs=N` overrides the file. One input in four keeps
// two pairs (variants, shared links); the rest run one.
inline constexpr uint32_t kMaxFuzzPairs = 2;
inline constexpr uint64_t kMaxFuzzEvents = 4000;
inline constexpr int64_t kMaxFuzzVirtualSeconds = 20;

// Aborts (a fuzzer finding) unless `status` is a rejection that the CLI
// prints as its one-line exit-2 message (it escapes line breaks): non-OK,
// with a non-empty message without NUL bytes. When `filename` is non-empty
// the message must also name it (the loader's "FILE:LINE:COL: ..." /
// "FILE: field: ...").
void CheckRejection(const absl::Status& status, absl::string_view filename);

// Caps a validated scenario to the fuzz budget above (pairs, max_events,
// max_virtual_time); every other field is left as the input had it.
// `input_hash` picks the inputs that keep two pairs.
void CapScenario(uint32_t input_hash, scenarios::Scenario* scenario);

// FNV-1a of the input, for per-input choices that must repeat.
uint32_t InputHash(const uint8_t* data, size_t size);

// Drops protobuf's own log lines (e.g. "invalid UTF-8" while parsing): the
// contract is about the returned Status, and a fuzzer printing a line per
// execution slows down. Call once, from the first execution.
void SilenceProtobufLogs();

}  // namespace quicsim::fuzz

#endif  // QUICSIM_TESTS_FUZZ_INPUT_CONTRACT_H_
