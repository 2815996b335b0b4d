#include "tools/export/ladder_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "endpoints/connection_event.h"
#include "endpoints/trace_text.h"
#include "tools/export/protocol_names.h"
#include "tools/export/trace_details.h"

namespace quicsim::exporter {
namespace {

constexpr double kMiddleX0 = kClientLaneX + kLaneMargin;
constexpr double kMiddleX1 = kServerLaneX - kLaneMargin;
constexpr double kClientMarkX1 = kClientLaneX - 12;
constexpr double kClientMarkX0 = 96;
constexpr double kServerMarkX0 = kServerLaneX + 12;
constexpr double kServerMarkX1 = kLadderWidth - 8;
// Arrowhead: length and half width (the SVG marker draws the same).
constexpr double kHeadLength = 10;
constexpr double kHeadHalfWidth = 4;
constexpr double kGlyphRadius = 4.5;

size_t MaxChars(double x0, double x1) {
  return static_cast<size_t>((x1 - x0) / kCharWidth);
}

int64_t Ns(sim::Time t) { return (t - sim::Time::Zero()).nanos(); }

std::string Ms(int64_t ns) {
  return absl::StrFormat("%.3f ms", static_cast<double>(ns) / 1e6);
}

// "pair/3" for "pair/3/client", "" for other actors.
std::string PairOf(const std::string& actor) {
  if (!absl::StartsWith(actor, "pair/")) return "";
  const size_t slash = actor.find('/', 5);
  return actor.substr(0, slash);
}

int64_t PairNumber(const std::string& pair) {
  int64_t n = -1;
  if (absl::StartsWith(pair, "pair/") &&
      absl::SimpleAtoi(absl::string_view(pair).substr(5), &n)) {
    return n;
  }
  return INT64_MAX;
}

// TLS messages a side sent per level, as CRYPTO stream byte ranges.
struct TlsMessage {
  uint64_t start = 0, end = 0;
  std::string name;
};
using MessageMap =
    std::map<std::pair<std::string, tls::Level>, std::vector<TlsMessage>>;

std::string CryptoText(const MessageMap& messages, const std::string& actor,
                       endpoints::PacketType type, uint64_t offset,
                       uint64_t length) {
  std::string out = absl::StrCat("CRYPTO ", offset, "+", length);
  const tls::Level level =
      static_cast<tls::Level>(endpoints::LevelOfPacketType(type));
  auto it = messages.find({actor, level});
  if (it == messages.end()) return out;
  std::vector<std::string> names;
  for (const TlsMessage& m : it->second) {
    if (m.end <= offset || m.start >= offset + length) continue;
    const bool whole = m.start >= offset && m.end <= offset + length;
    names.push_back(whole ? m.name : absl::StrCat(m.name, "(part)"));
  }
  if (!names.empty()) absl::StrAppend(&out, " ", absl::StrJoin(names, " "));
  return out;
}

// "ACK", "HANDSHAKE_DONE", ...: a frame as a packet's line lists it; empty
// for frames not shown (PADDING, ignored frames).
std::string FrameText(const MessageMap& messages, const std::string& actor,
                      endpoints::PacketType type,
                      const endpoints::TracedFrame& f) {
  using Type = endpoints::TracedFrame::Type;
  switch (f.type) {
    case Type::kCrypto:
      return CryptoText(messages, actor, type, f.offset, f.length);
    case Type::kConnectionClose:
      return absl::StrCat(
          "CONNECTION_CLOSE ",
          NameCloseCodes(endpoints::TransportErrorName(f.code)));
    case Type::kAck:
      return "ACK";
    case Type::kPing:
      return "PING";
    case Type::kNewToken:
      return "NEW_TOKEN";
    case Type::kStream:
      return "STREAM";
    case Type::kNewConnectionId:
      return "NEW_CONNECTION_ID";
    case Type::kHandshakeDone:
      return "HANDSHAKE_DONE";
    case Type::kPadding:
    case Type::kIgnored:
    case Type::kMalformed:
      return "";
  }
  return "";
}

// One line per packet: "Initial 0: CRYPTO 0+221 ClientHello, ACK".
std::vector<std::string> PacketTexts(const DatagramPackets* packets,
                                     const MessageMap& messages) {
  std::vector<std::string> out;
  if (packets == nullptr) return out;
  for (const sim::TraceEvent* p : packets->packets) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(*p);
    if (typed == nullptr) continue;
    std::string line;
    std::vector<std::string> frames;
    if (const auto* sent = typed->get<endpoints::events::PacketSent>()) {
      line = absl::StrCat(endpoints::PacketTypeName(sent->type), " ", sent->pn);
      for (const endpoints::TracedFrame& f : sent->frames) {
        std::string text = FrameText(messages, packets->actor, sent->type, f);
        if (!text.empty()) frames.push_back(std::move(text));
      }
    } else if (typed->get<endpoints::events::VersionProbeSent>() != nullptr) {
      line = "UnknownVersion";
    } else if (const auto* stateless =
                   typed->get<endpoints::events::StatelessPacketSent>()) {
      line = stateless->type;
    } else {
      continue;
    }
    if (!frames.empty())
      absl::StrAppend(&line, ": ", absl::StrJoin(frames, ", "));
    out.push_back(line);
  }
  return out;
}

// A lane mark derived from an endpoint event, or none.
struct MarkSpec {
  std::string css;
  std::string text;
};

// " 1200B" for a known size.
std::string SizeText(std::optional<uint64_t> size) {
  return size.has_value() ? absl::StrCat(" ", *size, "B") : "";
}

// The mark of a typed connection event (the visitor's result is false for
// events that draw none).
struct TypedMark {
  const sim::TraceEvent& e;
  bool have_packet_lost;
  MarkSpec* out;

  bool operator()(const endpoints::events::Pto& p) const {
    *out = {"timer", absl::StrCat("PTO #", p.pto_count, " fired (",
                                  endpoints::TraceSpaceName(p.space), ")",
                                  p.anti_deadlock ? " anti-deadlock" : "")};
    return true;
  }
  bool operator()(const endpoints::events::LossTimer& t) const {
    // PTO expiries show as the "pto" event that follows (with its count).
    if (t.change != endpoints::events::LossTimer::Change::kExpired || t.pto) {
      return false;
    }
    *out = {"timer", absl::StrCat("loss timer expired (",
                                  endpoints::TraceSpaceName(t.space), ")")};
    return true;
  }
  bool operator()(const endpoints::events::IdleTimeout&) const {
    *out = {"timer", "idle timeout"};
    return true;
  }
  bool operator()(const endpoints::events::ClosingPeriodEnded&) const {
    *out = {"timer", "closing period over"};
    return true;
  }
  bool operator()(const endpoints::events::KeysInstalled& k) const {
    *out = {"key", absl::StrCat("+ ", endpoints::TraceLevelName(k.level), " ",
                                k.write ? "write" : "read", " key")};
    return true;
  }
  bool operator()(const endpoints::events::KeysDiscarded& k) const {
    *out = {"key", absl::StrCat("- ", endpoints::TraceLevelName(k.level),
                                " keys discarded")};
    return true;
  }
  bool operator()(const endpoints::events::HandshakeComplete&) const {
    *out = {"state", "handshake complete"};
    return true;
  }
  bool operator()(const endpoints::events::AddressValidated& a) const {
    *out = {"state", absl::StrCat("address validated (", a.by, ")")};
    return true;
  }
  bool operator()(const endpoints::events::AmplificationBlocked&) const {
    *out = {"state", "blocked: amplification limit"};
    return true;
  }
  bool operator()(const endpoints::events::VerdictSet& v) const {
    *out = {
        "verdict",
        absl::StrCat("VERDICT ",
                     NameCloseCodes(endpoints::VerdictToString(v.verdict)))};
    return true;
  }
  bool operator()(const endpoints::events::ConnectionCloseReceived& c) const {
    *out = {
        "close",
        absl::StrCat("CONNECTION_CLOSE received ",
                     NameCloseCodes(endpoints::TransportErrorName(c.code)))};
    return true;
  }
  bool operator()(const endpoints::events::PacketDropped& d) const {
    *out = {"drop", absl::StrCat("dropped ", endpoints::PacketTypeName(d.type),
                                 SizeText(d.size), ": ", d.reason)};
    return true;
  }
  bool operator()(const endpoints::events::DatagramDropped& d) const {
    *out = {"drop",
            absl::StrCat("dropped datagram", SizeText(d.size), ": ", d.reason)};
    return true;
  }
  bool operator()(const endpoints::events::DatagramTrailingDropped& d) const {
    *out = {"drop", absl::StrCat("dropped datagram: ", d.reason)};
    return true;
  }
  bool operator()(const endpoints::events::PacketLost& p) const {
    *out = {"lost",
            absl::StrCat(
                "lost ", endpoints::TraceSpaceName(p.space), " pn ", p.pn, " (",
                p.reordering ? "reordering_threshold" : "time_threshold", ")")};
    return true;
  }
  bool operator()(const endpoints::events::AckReceived& a) const {
    if (have_packet_lost || a.lost == 0) return false;
    *out = {"lost",
            absl::StrCat(a.lost, " ", endpoints::TraceSpaceName(a.space),
                         " packet(s) declared lost")};
    return true;
  }
  bool operator()(const endpoints::events::RetryReceived&) const {
    *out = {"state", absl::StrCat(e.kind, " ", e.details)};
    return true;
  }
  bool operator()(const endpoints::events::VersionNegotiationReceived&) const {
    *out = {"state", absl::StrCat(e.kind, " ", e.details)};
    return true;
  }
  // A third-party stack's own events: its wording, codes named.
  bool operator()(const endpoints::events::AdapterNote& n) const {
    const std::string_view k = n.kind;
    if (k == "idle_timeout") {
      *out = {"timer", "idle timeout"};
    } else if (k == "closing_period_end") {
      *out = {"timer", "closing period over"};
    } else if (k == "handshake_confirmed") {
      *out = {"state", "handshake confirmed"};
    } else if (k == "retry_sent") {
      *out = {"state", absl::StrCat(e.kind, " ", e.details)};
    } else if (k == "close") {
      *out = {"close", absl::StrCat("close ", NameCloseCodes(n.details))};
    } else if (k == "read_error" || k == "write_error" ||
               k == "server_create_failed") {
      *out = {"close", absl::StrCat(n.kind, " ", NameCloseCodes(n.details))};
    } else {
      return false;
    }
    return true;
  }
  template <typename T>
  bool operator()(const T&) const {
    return false;
  }
};

bool MarkFor(const sim::TraceEvent& e, bool have_packet_lost, MarkSpec* out) {
  const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
  if (typed == nullptr) return false;
  return std::visit(TypedMark{e, have_packet_lost, out}, typed->data());
}

// What happens at one instant of one pair.
struct Instant {
  std::vector<size_t> sends;                        // datagram indices
  std::vector<std::pair<size_t, size_t>> arrivals;  // (datagram, delivery)
  std::vector<std::pair<bool, MarkSpec>> marks;     // (client side, mark)
};

struct PairInput {
  std::vector<const sim::CapturedDatagram*> datagrams;
  std::vector<bool> from_client;
  std::vector<std::vector<std::string>> packet_texts;
  std::vector<const sim::TraceEvent*> events;
};

// The arrowhead of a line from (x1, y1) to its tip (x2, y2).
LadderBox HeadBox(double x1, double y1, double x2, double y2) {
  double dx = x2 - x1, dy = y2 - y1;
  const double len = std::hypot(dx, dy);
  if (len <= 0) return {x2 - 1, y2 - 1, x2 + 1, y2 + 1};
  dx /= len;
  dy /= len;
  const double bx = x2 - kHeadLength * dx, by = y2 - kHeadLength * dy;
  const double px[3] = {x2, bx - kHeadHalfWidth * dy, bx + kHeadHalfWidth * dy};
  const double py[3] = {y2, by + kHeadHalfWidth * dx, by - kHeadHalfWidth * dx};
  LadderBox b{px[0], py[0], px[0], py[0]};
  for (int i = 1; i < 3; ++i) {
    b.x0 = std::min(b.x0, px[i]);
    b.x1 = std::max(b.x1, px[i]);
    b.y0 = std::min(b.y0, py[i]);
    b.y1 = std::max(b.y1, py[i]);
  }
  // The stroke's half width around the outline.
  b.x0 -= 1;
  b.y0 -= 1;
  b.x1 += 1;
  b.y1 += 1;
  return b;
}

LadderText MakeText(const std::vector<std::string>& raw, double x0, double x1,
                    bool right_aligned, double y0) {
  LadderText t;
  t.right_aligned = right_aligned;
  const size_t max = MaxChars(x0, x1);
  for (const std::string& r : raw) {
    for (std::string& line : WrapText(r, max)) t.lines.push_back(line);
  }
  size_t widest = 0;
  for (const std::string& l : t.lines) widest = std::max(widest, l.size());
  const double w = static_cast<double>(widest) * kCharWidth;
  t.box = right_aligned ? LadderBox{x1 - w, y0, x1, y0 + 0}
                        : LadderBox{x0, y0, x0 + w, y0};
  t.box.y1 = y0 + kLineHeight * static_cast<double>(t.lines.size());
  return t;
}

bool HasPacketLost(const PairInput& in) {
  for (const sim::TraceEvent* e : in.events) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(*e);
    if (typed != nullptr &&
        typed->get<endpoints::events::PacketLost>() != nullptr) {
      return true;
    }
  }
  return false;
}

// The instants at which datagrams are sent or arrive, keyed by nanoseconds.
std::map<int64_t, Instant> DatagramInstants(const PairInput& in) {
  std::map<int64_t, Instant> instants;
  for (size_t i = 0; i < in.datagrams.size(); ++i) {
    const sim::CapturedDatagram& d = *in.datagrams[i];
    instants[Ns(d.sent)].sends.push_back(i);
    for (size_t k = 0; k < d.deliveries.size(); ++k) {
      instants[Ns(d.deliveries[k].time)].arrivals.push_back({i, k});
    }
  }
  return instants;
}

// Appends the mark of `e` (on the `client` side) to `marks`, merging "+
// handshake write key" and "+ handshake read key" of one side at one instant
// into "+ handshake keys (write, read)".
void AddMark(const endpoints::ConnectionEvent& typed, bool client,
             const MarkSpec& m, std::vector<std::pair<bool, MarkSpec>>* marks) {
  const auto* keys = typed.get<endpoints::events::KeysInstalled>();
  if (keys != nullptr && !marks->empty() && marks->back().first == client &&
      marks->back().second.css == "key") {
    const std::string prefix =
        absl::StrCat("+ ", endpoints::TraceLevelName(keys->level), " ");
    std::string& last = marks->back().second.text;
    if (absl::StartsWith(last, prefix) && absl::EndsWith(last, " key")) {
      last = absl::StrCat(
          prefix, "keys (",
          last.substr(prefix.size(), last.size() - prefix.size() - 4), ", ",
          keys->write ? "write" : "read", ")");
      return;
    }
  }
  marks->push_back({client, m});
}

// Adds the marks of the pair's events to `instants` and sets the pair's
// summary and failed flag from the verdicts.
void AddMarksAndVerdicts(const PairInput& in,
                         std::map<int64_t, Instant>* instants,
                         PairLadder* out) {
  const bool have_packet_lost = HasPacketLost(in);
  std::string client_verdict, server_verdict;
  for (size_t i = 0; i < in.events.size(); ++i) {
    const sim::TraceEvent& e = *in.events[i];
    const bool client = absl::EndsWith(e.actor, "/client");
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    if (typed == nullptr) continue;
    if (const auto* v = typed->get<endpoints::events::VerdictSet>()) {
      (client ? client_verdict : server_verdict) =
          NameCloseCodes(endpoints::VerdictToString(v->verdict));
    }
    MarkSpec m;
    if (!MarkFor(e, have_packet_lost, &m)) continue;
    AddMark(*typed, client, m, &(*instants)[Ns(e.time)].marks);
  }
  out->summary = absl::StrCat(
      "client ", client_verdict.empty() ? "no verdict" : client_verdict,
      "; server ", server_verdict.empty() ? "no verdict" : server_verdict);
  out->failed = !absl::StartsWith(client_verdict, "confirmed") ||
                !absl::StartsWith(server_verdict, "confirmed");
}

// Lays out the `i`-th datagram, sent at `ns`: label, then the start of the
// arrow, then a drop's X, from `*middle` down; moves `*middle` below them.
void LayoutSend(const PairInput& in, size_t i, int64_t ns, double* middle,
                LadderDatagram* g) {
  const sim::CapturedDatagram& d = *in.datagrams[i];
  g->id = d.id;
  g->from_client = in.from_client[i];
  std::vector<std::string> raw = in.packet_texts[i];
  if (raw.empty()) raw.push_back(absl::StrCat(d.payload.size(), " bytes"));
  std::vector<std::string> tags;
  g->css = "dgram";
  if (d.dropped) {
    tags.push_back(absl::StrCat("DROPPED (", d.drop_reason, ")"));
    g->css += " dropped";
  }
  if (d.corrupted) {
    tags.push_back("CORRUPTED");
    g->css += " corrupted";
  }
  if (d.copies > 0) {
    tags.push_back(absl::StrCat("DUPLICATED x", d.copies + 1));
    g->css += " duplicated";
  }
  if (d.reordered) {
    tags.push_back("REORDERED");
    g->css += " reordered";
  }
  if (!tags.empty()) raw.push_back(absl::StrJoin(tags, " "));
  g->title = absl::StrCat("datagram ", d.id, " ", d.link, "#", d.index, " ",
                          d.src.ToString(), " > ", d.dst.ToString(), " ",
                          d.payload.size(), " bytes, sent ", Ms(ns));
  g->label = MakeText(raw, kMiddleX0, kMiddleX1, !g->from_client, *middle);
  g->x_start = g->from_client ? kClientLaneX : kServerLaneX;
  g->y_start = g->label.box.y1 + 3;
  *middle = g->y_start + 4;
  g->dropped = d.dropped || d.deliveries.empty();
  if (g->dropped) {
    const double xm = (kClientLaneX + kServerLaneX) / 2;
    const double ym = g->y_start + 14;
    g->drop_x = {xm - 7, ym - 7, xm + 7, ym + 7};
    *middle = g->drop_x.y1 + 3;
  }
}

// Lays out an arrival on datagram `g`'s receiving lane below `*cursor`.
void LayoutArrival(LadderDatagram* g, double* cursor) {
  const bool to_client = !g->from_client;
  LadderDatagram::Arrival a;
  a.x = to_client ? kClientLaneX : kServerLaneX;
  // The head reaches at most its diagonal above the tip and its half
  // width (plus stroke) below it; the tip stays below the arrow start.
  const double up = std::hypot(kHeadLength, kHeadHalfWidth) + 1;
  a.y = std::max(*cursor + up, g->y_start);
  a.head = HeadBox(g->x_start, g->y_start, a.x, a.y);
  *cursor = std::max(*cursor, a.head.y1) + 1;
  g->arrivals.push_back(a);
}

// Lays out a mark on its side's lane below `*cursor`.
LadderMark LayoutMark(bool client, const MarkSpec& spec, double* cursor) {
  LadderMark m;
  m.client = client;
  m.css = absl::StrCat("mark ", spec.css);
  m.text =
      client
          ? MakeText({spec.text}, kClientMarkX0, kClientMarkX1, true, *cursor)
          : MakeText({spec.text}, kServerMarkX0, kServerMarkX1, false, *cursor);
  const double lane = client ? kClientLaneX : kServerLaneX;
  m.glyph_y = *cursor + kLineHeight / 2;
  m.glyph = {lane - kGlyphRadius, m.glyph_y - kGlyphRadius, lane + kGlyphRadius,
             m.glyph_y + kGlyphRadius};
  *cursor = std::max(m.text.box.y1, m.glyph.y1) + 1;
  return m;
}

// Lays out one instant's sends, arrivals and marks from `block_top` down;
// returns the top of the next block.
double LayoutInstant(const PairInput& in, int64_t ns, const Instant& instant,
                     double block_top, PairLadder* out) {
  double middle = block_top, client_lane = block_top, server_lane = block_top;
  for (size_t i : instant.sends) {
    LayoutSend(in, i, ns, &middle, &out->datagrams[i]);
  }
  // Arrivals, then marks, on each lane.
  for (const auto& [i, k] : instant.arrivals) {
    LadderDatagram& g = out->datagrams[i];
    LayoutArrival(&g, g.from_client ? &server_lane : &client_lane);
  }
  for (const auto& [client, spec] : instant.marks) {
    out->marks.push_back(
        LayoutMark(client, spec, client ? &client_lane : &server_lane));
  }
  return std::max({middle, client_lane, server_lane, block_top + 12});
}

PairLadder LayoutPair(const std::string& name, const PairInput& in) {
  PairLadder out;
  out.pair = name;
  std::map<int64_t, Instant> instants = DatagramInstants(in);
  AddMarksAndVerdicts(in, &instants, &out);

  out.datagrams.resize(in.datagrams.size());
  double block_top = kLadderTop;
  double last_tick = -1e9;
  int64_t prev_ns = -1;
  for (const auto& [ns, instant] : instants) {
    if (prev_ns >= 0) {
      const double gap_ms = static_cast<double>(ns - prev_ns) / 1e6;
      block_top += gap_ms <= 25 ? std::max(gap_ms * 3, 2.0)
                                : 75 + 40 * std::log10(gap_ms / 25);
    }
    prev_ns = ns;
    if (block_top - last_tick >= kLineHeight) {
      out.ticks.push_back({block_top, Ms(ns)});
      last_tick = block_top;
    }
    block_top = LayoutInstant(in, ns, instant, block_top, &out);
  }
  out.height = block_top + 40;
  return out;
}

}  // namespace

std::vector<std::string> WrapText(const std::string& text, size_t max_chars) {
  std::vector<std::string> lines;
  if (max_chars < 8) max_chars = 8;
  std::string rest = text;
  bool first = true;
  while (true) {
    const size_t room = first ? max_chars : max_chars - 2;
    const std::string indent = first ? "" : "  ";
    if (rest.size() <= room) {
      lines.push_back(indent + rest);
      break;
    }
    size_t cut = rest.rfind(' ', room);
    if (cut == std::string::npos || cut < room / 2) cut = room;
    lines.push_back(indent + rest.substr(0, cut));
    rest = rest.substr(cut);
    while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    if (rest.empty()) break;
    first = false;
  }
  return lines;
}

std::vector<PairLadder> LayoutLadder(
    const sim::Capture& capture, const std::vector<sim::TraceEvent>& events) {
  const auto packets = MatchPacketsToDatagrams(events);
  // TLS messages per (actor, level), as CRYPTO stream offsets.
  MessageMap messages;
  for (const sim::TraceEvent& e : events) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    const auto* m = typed == nullptr
                        ? nullptr
                        : typed->get<endpoints::events::TlsMessageSent>();
    if (m == nullptr) continue;
    auto& list = messages[{e.actor, m->level}];
    const uint64_t start = list.empty() ? 0 : list.back().end;
    list.push_back({start, start + 4 + m->length, TlsMessageName(m->type)});
  }
  // Which pair each datagram belongs to, and its direction.
  std::map<std::string, PairInput> pairs;
  std::map<sim::Address, std::pair<std::string, bool>> by_address;
  for (const sim::CapturedDatagram& d : capture.datagrams()) {
    auto it = packets.find(d.id);
    if (it == packets.end()) continue;
    const std::string pair = PairOf(it->second.actor);
    const bool client = absl::EndsWith(it->second.actor, "/client");
    if (!pair.empty()) by_address.emplace(d.src, std::make_pair(pair, client));
  }
  for (const sim::CapturedDatagram& d : capture.datagrams()) {
    auto it = packets.find(d.id);
    const DatagramPackets* p = it == packets.end() ? nullptr : &it->second;
    std::string pair = p != nullptr ? PairOf(p->actor) : "";
    bool client = p != nullptr && absl::EndsWith(p->actor, "/client");
    if (pair.empty()) {
      auto a = by_address.find(d.src);
      if (a != by_address.end()) {
        pair = a->second.first;
        client = a->second.second;
      } else if (auto b = by_address.find(d.dst); b != by_address.end()) {
        pair = b->second.first;
        client = !b->second.second;
      } else {
        pair = PairOf(d.link);
        client = absl::EndsWith(d.link, "c2s");
      }
    }
    if (pair.empty()) pair = "other";
    PairInput& in = pairs[pair];
    in.datagrams.push_back(&d);
    in.from_client.push_back(client);
    in.packet_texts.push_back(PacketTexts(p, messages));
  }
  for (const sim::TraceEvent& e : events) {
    const std::string pair = PairOf(e.actor);
    if (pair.empty() || (!absl::EndsWith(e.actor, "/client") &&
                         !absl::EndsWith(e.actor, "/server"))) {
      continue;
    }
    pairs[pair].events.push_back(&e);
  }
  std::vector<std::pair<std::string, const PairInput*>> order;
  for (const auto& [name, in] : pairs) order.push_back({name, &in});
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) {
                     return PairNumber(a.first) < PairNumber(b.first);
                   });
  std::vector<PairLadder> out;
  for (const auto& [name, in] : order) out.push_back(LayoutPair(name, *in));
  return out;
}

}  // namespace quicsim::exporter
