// A ladder diagram of a run as one self-contained HTML file (inline SVG and
// CSS, no scripts, no network fetches): a client lane on the left, a server
// lane on the right, virtual time downwards; each datagram an arrow from its
// send time to its arrival time, labelled with the packets it carried (type,
// number, frames) from the endpoint trace. Drops end in a red X half-way,
// corrupted arrivals are orange and dashed, duplicates draw one arrow per
// copy and are tagged, reordered datagrams are purple. The verdicts and
// close codes are listed at the end. Long idle gaps are compressed (the
// axis labels give the real virtual times).
#ifndef QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_
#define QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/capture.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// The HTML page. `title` heads it.
std::string BuildLadderHtml(const sim::Capture& capture,
                            const std::vector<sim::TraceEvent>& events,
                            const std::string& title);

// Writes BuildLadderHtml(...) to `path` atomically.
absl::Status WriteLadderHtml(const sim::Capture& capture,
                             const std::vector<sim::TraceEvent>& events,
                             const std::string& title, const std::string& path);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_
