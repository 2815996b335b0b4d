// The hostile-peer harness behind the endpoint_frames fuzz target: a real
// in-memory handshake (our client and our server) runs to a point the first
// input bytes choose; the rest of the input becomes the plaintext frames of
// one packet from the peer at a chosen level (Initial, 0-RTT, Handshake,
// 1-RTT), sealed with that connection's real packet protection keys and
// delivered to the target side at once (ahead of what the links still
// carry). Then the run continues until it is idle or hits its event budget.
//
// Input layout:
//   byte 0  bit 0    target: 0 the client (the server speaks), 1 the server
//           bits 1-2 level: 0 Initial, 1 0-RTT, 2 Handshake, 3 1-RTT
//           bit 3    the server requires Retry
//           bit 4    pad a client Initial's plaintext to 1200 bytes
//           bit 5    resume a session (always on for 0-RTT; with 0-RTT)
//           bit 6    send the packet twice (the copy one packet number on)
//           bit 7    link delay 25 ms instead of 5 ms
//   byte 1  bits 0-2 the point: inject once the target has received this
//                    many datagrams and the peer holds the level's keys
//           bits 3-7 packet number offset (from 1000)
//   rest    the packet's plaintext (frames)
#ifndef QUICSIM_TESTS_FUZZ_ENDPOINT_FRAMES_HARNESS_H_
#define QUICSIM_TESTS_FUZZ_ENDPOINT_FRAMES_HARNESS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/types/span.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/verdict.h"
#include "scenarios/runner/seed_result.h"

namespace quicsim::fuzz {

// What one injection run ended with.
struct InjectionOutcome {
  // False for inputs shorter than the two control bytes (nothing ran).
  bool ran = false;
  // The packet was built and delivered (false when the input is too short
  // or the point was never reached with the level's keys).
  bool injected = false;
  // The run hit its event budget instead of going idle.
  bool stalled = false;
  uint64_t events = 0;
  endpoints::Verdict client;
  // Unset when the server never created a connection.
  std::optional<endpoints::Verdict> server;
  // What the pair's oracles (amplification_limit,
  // no_packet_after_key_discard, no_packet_after_draining) found.
  std::vector<scenarios::OracleViolation> violations;
};

// Runs one input; see the file comment.
InjectionOutcome RunInjection(absl::Span<const uint8_t> input);

}  // namespace quicsim::fuzz

#endif  // QUICSIM_TESTS_FUZZ_ENDPOINT_FRAMES_HARNESS_H_
