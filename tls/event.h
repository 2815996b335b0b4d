// What the TLS engine tells its QUIC stack: encryption levels and events,
// modelled on Go's crypto/tls QUICEvent plus proposal #74922's
// FirstFlightReady.
#ifndef QUICSIM_TLS_EVENT_H_
#define QUICSIM_TLS_EVENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tls/error.h"
#include "tls/session.h"

namespace quicsim::tls {

// Encryption levels; numerically equal to BoringSSL's ssl_encryption_level_t,
// Go's QUICEncryptionLevel and endpoints::EncryptionLevel.
enum class Level : uint8_t {
  kInitial = 0,
  kEarly = 1,
  kHandshake = 2,
  kApplication = 3,
};
inline constexpr int kNumLevels = 4;

// Human-readable level name ("initial", "early", "handshake", "application").
const char* LevelName(Level level);

// Kinds of engine events. Callers must ignore kinds they do not know.
enum class EventKind : uint8_t {
  kNone = 0,                     // the queue is empty
  kSetReadSecret,                // level, cipher_suite, data = secret
  kSetWriteSecret,               // level, cipher_suite, data = secret
  kWriteData,                    // level, data = CRYPTO bytes (coalesced)
  kTransportParameters,          // data = the peer's transport parameters
  kTransportParametersRequired,  // call SetTransportParameters
  kRejectedEarlyData,            // client: the server rejected 0-RTT
  kHandshakeDone,                // the TLS handshake completed
  kResumeSession,                // client: session offered; server: data =
                                 // the client's decrypted session
  kStoreSession,                 // client: session = a new ticket
  kError,                        // error; the last event ever
  kFirstFlightReady,             // call SendFirstFlight (or abort)
};

// Human-readable kind name.
const char* EventKindName(EventKind kind);

// One event. Fields not listed for a kind are empty.
struct Event {
  EventKind kind = EventKind::kNone;
  Level level = Level::kInitial;
  uint16_t cipher_suite = 0;  // IANA id, e.g. 0x1301
  std::vector<uint8_t> data;
  Session session;
  // ResumeSession (server): the extra data SendSessionTicket sealed into
  // the ticket (Go's SessionState.Extra).
  std::vector<std::vector<uint8_t>> extra;
  Error error;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_EVENT_H_
