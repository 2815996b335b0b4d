// The geometry of a ladder diagram, computed before anything is drawn so
// that it can be checked: per client/server pair, every datagram as an arrow
// from its sender's lane (at its send time) to the receiver's lane (at its
// arrival time) with a label naming its packets, their frames and the TLS
// messages their CRYPTO frames carry; every drop as a line ending in an X;
// and marks on each side's lane for timers (PTO, loss, idle), key installs
// and discards, CONNECTION_CLOSE sent or received (code with its name),
// endpoint-level packet drops and the side's verdict.
//
// Layout. Time runs downwards in blocks, one per distinct instant at which
// something is drawn; the gap between blocks grows with the virtual time
// between them (compressed logarithmically beyond 25 ms). Inside a block
// there are three columns, each stacking its items without overlap: the
// client lane column (mark text left of the lane, arrowheads and mark
// glyphs on it), the middle column (datagram labels, each above the start
// of its arrow, and drop X marks) and the server lane column (mirrored).
// The middle column keeps kLaneMargin away from both lanes, where every
// arrowhead lies, so labels, arrowheads and marks never overlap one another
// (only arrow lines cross labels).
#ifndef QUICSIM_TOOLS_EXPORT_LADDER_LAYOUT_H_
#define QUICSIM_TOOLS_EXPORT_LADDER_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/capture.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// Page geometry, in SVG user units (CSS pixels).
inline constexpr double kLadderWidth = 1400;
inline constexpr double kClientLaneX = 400;
inline constexpr double kServerLaneX = 1000;
inline constexpr double kLaneMargin = 16;  // middle column to lane
inline constexpr double kLineHeight = 13;
// Upper bound of the advance of one character of the 11 px monospace font
// (DejaVu Sans Mono: 0.602 em = 6.62 px), used to size and wrap text.
inline constexpr double kCharWidth = 6.8;
inline constexpr double kLadderTop = 60;

// An axis-aligned rectangle, x0 <= x1, y0 <= y1.
struct LadderBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool Overlaps(const LadderBox& o) const {
    return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }
};

// Text drawn line by line from box.y0 (one kLineHeight per line), left
// aligned at box.x0 or right aligned at box.x1.
struct LadderText {
  std::vector<std::string> lines;
  bool right_aligned = false;
  LadderBox box;
};

// One datagram.
struct LadderDatagram {
  uint64_t id = 0;
  std::string css;    // "dgram dropped corrupted duplicated reordered"
  std::string title;  // tooltip
  bool from_client = true;
  double x_start = 0, y_start = 0;
  // One per arrival (duplicates arrive more than once): the tip on the
  // receiver's lane and the bounding box of its arrowhead.
  struct Arrival {
    double x = 0, y = 0;
    LadderBox head;
  };
  std::vector<Arrival> arrivals;
  // A dropped datagram: its line ends at the centre of `drop_x`.
  bool dropped = false;
  LadderBox drop_x;
  LadderText label;
};

// A mark on a side's lane: a glyph on the lane and text beside it.
struct LadderMark {
  bool client = true;
  std::string css;  // "mark timer", "mark key", "mark close", "mark verdict"
  double glyph_y = 0;
  LadderBox glyph;
  LadderText text;
};

// A time label in the left margin.
struct LadderTick {
  double y = 0;
  std::string text;
};

// One pair's diagram.
struct PairLadder {
  std::string pair;     // "pair/3"
  std::string summary;  // "client CONFIRMED after 40ms, server ..."
  bool failed = false;  // a side closed, timed out or reached no verdict
  double height = 0;
  std::vector<LadderDatagram> datagrams;
  std::vector<LadderMark> marks;
  std::vector<LadderTick> ticks;
};

// Lays out every pair found in the events (actors "pair/<n>/client" and
// "pair/<n>/server"), in pair order; datagrams no pair's packets or links
// claim go to a pair named "other". Events must be in time order.
std::vector<PairLadder> LayoutLadder(
    const sim::Capture& capture, const std::vector<sim::TraceEvent>& events);

// Splits `text` into lines of at most `max_chars` characters, at spaces
// where possible (a continuation line starts with two spaces).
std::vector<std::string> WrapText(const std::string& text, size_t max_chars);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_LADDER_LAYOUT_H_
