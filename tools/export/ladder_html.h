// A ladder diagram of a run as one self-contained HTML file (inline SVG, CSS
// and a small script; no network fetches), laid out by LayoutLadder
// (ladder_layout.h): per client/server pair, a client lane on the left and a
// server lane on the right, virtual time downwards; each datagram an arrow
// from its send to its arrival labelled with its packets, frames and the
// TLS messages they carry; drops end in a red X, corrupted arrivals are
// orange and dashed, duplicates tagged, reordered datagrams purple; timers,
// key installs and discards, CONNECTION_CLOSE codes with their names and the
// verdicts are marks on the lanes. A selector picks the pair shown (also
// "#pair/3" in the URL). When its script has run without error the page
// sets data-ladder="ok" on <body> (headless tests check it); an error sets
// data-ladder-error.
#ifndef QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_
#define QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/capture.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// At most this many pairs are drawn (the focus pair always is).
inline constexpr size_t kMaxLadderPairs = 400;

// The HTML page. `title` heads it; `focus_pair` (e.g. a trace's failing
// pair) is shown first, else the first pair that did not confirm.
std::string BuildLadderHtml(const sim::Capture& capture,
                            const std::vector<sim::TraceEvent>& events,
                            const std::string& title, int focus_pair = -1);

// Writes BuildLadderHtml(...) to `path` atomically.
absl::Status WriteLadderHtml(const sim::Capture& capture,
                             const std::vector<sim::TraceEvent>& events,
                             const std::string& title, const std::string& path,
                             int focus_pair = -1);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_LADDER_HTML_H_
