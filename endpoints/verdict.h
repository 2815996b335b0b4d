// How a connection ended, as each side records it: the unit the scenario
// oracles judge.
#ifndef QUICSIM_ENDPOINTS_VERDICT_H_
#define QUICSIM_ENDPOINTS_VERDICT_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "endpoints/error_codes.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// One side's verdict on its connection.
struct Verdict {
  enum class Kind : uint8_t {
    kNone,            // still running
    kConfirmed,       // handshake confirmed (RFC 9001 §4.1.2)
    kClosedSent,      // closed with an error this side raised and sent
    kClosedReceived,  // closed by the peer's CONNECTION_CLOSE
    kTimedOut,        // idle timeout (or the run's bound) before confirmation
    kAborted,         // failed locally before sending anything
  };
  Kind kind = Kind::kNone;
  // The QUIC error code sent or received (0 for kConfirmed and kTimedOut).
  uint64_t code = 0;
  // Virtual time from the connection's start to the verdict.
  sim::Duration elapsed;
  std::string reason;
  // Resumption and 0-RTT outcome, when the handshake completed.
  bool resumed = false;
  bool early_data_accepted = false;
  // When this side's TLS engine failed after the ClientHello left (whether
  // or not its QUIC stack learned of it, see tls::ApiModel): the error's
  // QUIC code. 0 otherwise. The error_propagation oracle judges the peer by
  // it.
  uint64_t engine_error_code = 0;
  // With engine_error_code: virtual time from the engine's failure to this
  // verdict (zero when the stack closed in the same instant).
  sim::Duration engine_error_to_verdict;

  bool final() const { return kind != Kind::kNone; }
  bool closed() const {
    return kind == Kind::kClosedSent || kind == Kind::kClosedReceived ||
           kind == Kind::kAborted;
  }
};

// "confirmed", "closed_sent", ...
inline const char* VerdictKindName(Verdict::Kind kind) {
  switch (kind) {
    case Verdict::Kind::kNone:
      return "none";
    case Verdict::Kind::kConfirmed:
      return "confirmed";
    case Verdict::Kind::kClosedSent:
      return "closed_sent";
    case Verdict::Kind::kClosedReceived:
      return "closed_received";
    case Verdict::Kind::kTimedOut:
      return "timed_out";
    case Verdict::Kind::kAborted:
      return "aborted";
  }
  return "?";
}

// "confirmed after 12.5ms", "closed_sent CRYPTO_ERROR(0x178) after 3ms".
inline std::string VerdictToString(const Verdict& v) {
  if (v.closed()) {
    return absl::StrFormat("%s %s after %s", VerdictKindName(v.kind),
                           TransportErrorName(v.code), v.elapsed.ToString());
  }
  return absl::StrFormat("%s after %s", VerdictKindName(v.kind),
                         v.elapsed.ToString());
}

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_VERDICT_H_
