// The text form of connection events: the trace line's kind and key=value
// details, exactly as the event digest has always hashed them (the golden
// digests in tests/golden pin this), and the tracer that writes them to a
// sim::TraceSink with the typed record attached.
#ifndef QUICSIM_ENDPOINTS_TRACE_TEXT_H_
#define QUICSIM_ENDPOINTS_TRACE_TEXT_H_

#include <string>
#include <string_view>

#include "endpoints/connection_event.h"
#include "endpoints/frames.h"
#include "sim/trace.h"

namespace quicsim::endpoints {

// The trace kind of `event` ("packet_sent", "keys_installed", ...).
const char* TraceKindName(const ConnectionEvent& event);

// "initial", "0rtt", "handshake", "1rtt": a level as trace lines name it.
const char* TraceLevelName(EncryptionLevel level);
// "initial", "handshake", "application".
const char* TraceSpaceName(PacketNumberSpace space);

// Appends the key=value details of `event` to `out`.
void AppendTraceDetails(const ConnectionEvent& event, std::string* out);

// " ack crypto=0+245 connection_close=CRYPTO_ERROR(0x178)": a packet's frames
// as its trace line lists them (each with a leading space).
void AppendFrameSummary(const TracedFrames& frames, std::string* out);

// How a traced packet lists a frame the connection parsed.
TracedFrame TracedFrameOf(const Frame& frame);

// Writes each event as one text line to a sink (which hashes it), with the
// event attached so that kept events carry their typed record.
class TextTracer final : public ConnectionTracer {
 public:
  // `sink` may be null (tracing off); `actor` names the side
  // ("pair/3/client").
  TextTracer(sim::TraceSink* sink, std::string actor);

  bool enabled() const override { return sim::TraceOn(sink_); }
  void Record(sim::Time now, const ConnectionEvent& event) override;

  const std::string& actor() const { return actor_; }

 private:
  sim::TraceSink* sink_;
  std::string actor_;
  // Reused for every line: no allocation per event once it has grown.
  std::string details_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_TRACE_TEXT_H_
