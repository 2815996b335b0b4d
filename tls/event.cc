#include "tls/event.h"

namespace quicsim::tls {

const char* LevelName(Level level) {
  switch (level) {
    case Level::kInitial:
      return "initial";
    case Level::kEarly:
      return "early";
    case Level::kHandshake:
      return "handshake";
    case Level::kApplication:
      return "application";
  }
  return "unknown";
}

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kNone:
      return "None";
    case EventKind::kSetReadSecret:
      return "SetReadSecret";
    case EventKind::kSetWriteSecret:
      return "SetWriteSecret";
    case EventKind::kWriteData:
      return "WriteData";
    case EventKind::kTransportParameters:
      return "TransportParameters";
    case EventKind::kTransportParametersRequired:
      return "TransportParametersRequired";
    case EventKind::kRejectedEarlyData:
      return "RejectedEarlyData";
    case EventKind::kHandshakeDone:
      return "HandshakeDone";
    case EventKind::kResumeSession:
      return "ResumeSession";
    case EventKind::kStoreSession:
      return "StoreSession";
    case EventKind::kError:
      return "Error";
    case EventKind::kFirstFlightReady:
      return "FirstFlightReady";
  }
  return "Unknown";
}

}  // namespace quicsim::tls
