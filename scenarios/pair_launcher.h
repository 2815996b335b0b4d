// Starts every pair of a World at its start offset: builds each pair's
// HandshakePairOptions from its variant's plan (addresses, links, idle
// timeouts, datagram sizes, keylog, Retry, Version Negotiation, 0-RTT, the
// endpoint rows of the fault mapping, an ngtcp2 side (ngtcp2_sides.h)), runs a
// priming handshake first when the client resumes, and releases each pair's
// state once it is done.
#ifndef QUICSIM_SCENARIOS_PAIR_LAUNCHER_H_
#define QUICSIM_SCENARIOS_PAIR_LAUNCHER_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/ngtcp2_session_cache.h"
#include "scenarios/ngtcp2_sides.h"
#include "scenarios/oracles/pair_oracle.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/world_builder.h"
#include "tls/session.h"

namespace quicsim::scenarios {

// One pair of the world: its measured handshake and, for resumption, the
// priming handshake that fetched the session ticket.
struct PairSlot {
  // Each handshake's packet-level oracles (created before the handshake).
  std::unique_ptr<oracles::PairOracle> prime_oracle;
  std::unique_ptr<oracles::PairOracle> oracle;
  std::unique_ptr<endpoints::HandshakePair> prime;
  std::unique_ptr<endpoints::HandshakePair> measured;
  // False when the priming handshake ended without a session ticket.
  bool prime_ticket = true;
  // With an ngtcp2 side and resumption: the ticket key, anti-replay state
  // and stored session its two handshakes share.
  std::shared_ptr<endpoints::Ngtcp2SessionCache> ngtcp2_cache;
};

// Launches the pairs of one World; see the file comment. Must be destroyed
// before the World.
class PairLauncher {
 public:
  PairLauncher(World* world, const RunSeedOptions& options);
  PairLauncher(const PairLauncher&) = delete;
  PairLauncher& operator=(const PairLauncher&) = delete;

  // Schedules each pair's start on the world's scheduler (call once, then
  // run the scheduler).
  void ScheduleAll();

  // The first error a pair's Start() returned (OK if none).
  const absl::Status& start_status() const { return start_status_; }
  // One slot per pair, in pair order.
  const std::vector<PairSlot>& slots() const { return slots_; }

 private:
  endpoints::HandshakePairOptions OptionsFor(int pair, bool prime);
  Ngtcp2SideWorld Ngtcp2World(int pair);
  void StartPrime(int pair);
  void StartMeasured(int pair, tls::Session session);
  void NoteStart(const absl::Status& status);

  World* world_;
  const RunSeedOptions& options_;
  std::vector<PairSlot> slots_;
  absl::Status start_status_;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_PAIR_LAUNCHER_H_
