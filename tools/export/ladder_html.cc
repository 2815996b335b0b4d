#include "tools/export/ladder_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/export/file_io.h"
#include "tools/export/trace_details.h"

namespace quicsim::exporter {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Ms(sim::Time t) {
  return absl::StrFormat(
      "%.3f ms", static_cast<double>((t - sim::Time::Zero()).nanos()) / 1e6);
}

// Maps virtual times to y pixels: 10 px per ms, gaps over 25 ms shown as
// 250 px plus a logarithmic remainder.
class TimeAxis {
 public:
  explicit TimeAxis(const std::set<int64_t>& times_ns) {
    double y = 0;
    int64_t prev = -1;
    for (int64_t t : times_ns) {
      if (prev >= 0) {
        const double gap_ms = static_cast<double>(t - prev) / 1e6;
        y += gap_ms <= 25 ? std::max(gap_ms * 10, 18.0)
                          : 250 + 40 * std::log10(gap_ms / 25);
      }
      y_[t] = y;
      prev = t;
    }
    height_ = y;
  }
  double Y(sim::Time t) const {
    auto it = y_.find((t - sim::Time::Zero()).nanos());
    return it == y_.end() ? 0 : it->second;
  }
  double height() const { return height_; }
  const std::map<int64_t, double>& ticks() const { return y_; }

 private:
  std::map<int64_t, double> y_;
  double height_ = 0;
};

}  // namespace

std::string BuildLadderHtml(const sim::Capture& capture,
                            const std::vector<sim::TraceEvent>& events,
                            const std::string& title) {
  const auto packets = MatchPacketsToDatagrams(events);
  const auto& datagrams = capture.datagrams();
  // Client addresses: senders whose packets came from a "/client" actor,
  // else the first sender seen.
  std::set<sim::Address> clients;
  for (const sim::CapturedDatagram& d : datagrams) {
    auto it = packets.find(d.id);
    if (it != packets.end() && absl::EndsWith(it->second.actor, "/client")) {
      clients.insert(d.src);
    }
  }
  if (clients.empty() && !datagrams.empty()) clients.insert(datagrams[0].src);

  constexpr double kDropDy = 16;  // a drop's X sits this far below its send
  std::set<int64_t> times;
  for (const sim::CapturedDatagram& d : datagrams) {
    times.insert((d.sent - sim::Time::Zero()).nanos());
    for (const auto& delivery : d.deliveries) {
      times.insert((delivery.time - sim::Time::Zero()).nanos());
    }
  }
  const TimeAxis axis(times);
  constexpr double kTop = 70, kLeft = 300, kRight = 900, kWidth = 1200;
  const double height = kTop + axis.height() + 80;

  std::string svg;
  absl::StrAppendFormat(
      &svg,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\">\n",
      static_cast<int>(kWidth), static_cast<int>(height),
      static_cast<int>(kWidth), static_cast<int>(height));
  svg +=
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" "
      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "fill=\"context-stroke\"/></marker></defs>\n";
  absl::StrAppendFormat(
      &svg,
      "<text class=\"lane\" x=\"%d\" y=\"40\">client</text>"
      "<text class=\"lane\" x=\"%d\" y=\"40\">server</text>\n",
      static_cast<int>(kLeft), static_cast<int>(kRight));
  absl::StrAppendFormat(
      &svg,
      "<line class=\"lane-line\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
      "<line class=\"lane-line\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
      static_cast<int>(kLeft), static_cast<int>(kTop) - 10,
      static_cast<int>(kLeft), static_cast<int>(height) - 40,
      static_cast<int>(kRight), static_cast<int>(kTop) - 10,
      static_cast<int>(kRight), static_cast<int>(height) - 40);
  double last_tick = -100;
  for (const auto& [t, y] : axis.ticks()) {
    if (y - last_tick < 12) continue;
    last_tick = y;
    absl::StrAppendFormat(
        &svg, "<text class=\"tick\" x=\"10\" y=\"%.1f\">%s</text>\n",
        kTop + y + 4, Ms(sim::Time::Zero() + sim::Duration::Nanos(t)));
  }

  for (const sim::CapturedDatagram& d : datagrams) {
    const bool from_client = clients.count(d.src) > 0;
    const double x1 = from_client ? kLeft : kRight;
    const double x2 = from_client ? kRight : kLeft;
    const double y1 = kTop + axis.Y(d.sent);
    std::vector<std::string> labels;
    auto it = packets.find(d.id);
    if (it != packets.end()) {
      for (const sim::TraceEvent* p : it->second.packets) {
        const Details pd(p->details);
        std::string label = PacketLabel(pd);
        std::vector<std::string> frames;
        for (const SentFrame& f : FramesOf(pd)) {
          frames.push_back(f.args.empty() ? f.type
                                          : absl::StrCat(f.type, " ", f.args));
        }
        if (!frames.empty()) {
          absl::StrAppend(&label, " [", absl::StrJoin(frames, ", "), "]");
        }
        labels.push_back(label);
      }
    }
    std::vector<std::string> tags;
    if (d.dropped)
      tags.push_back(absl::StrCat("DROPPED (", d.drop_reason, ")"));
    if (d.corrupted) tags.push_back("CORRUPTED");
    if (d.copies > 0)
      tags.push_back(absl::StrCat("DUPLICATED x", d.copies + 1));
    if (d.reordered) tags.push_back("REORDERED");
    std::string cls = "dgram";
    if (d.dropped) cls += " dropped";
    if (d.corrupted) cls += " corrupted";
    if (d.copies > 0) cls += " duplicated";
    if (d.reordered) cls += " reordered";
    absl::StrAppendFormat(&svg, "<g class=\"%s\" data-id=\"%d\">\n", cls, d.id);
    absl::StrAppendFormat(
        &svg, "<title>%s</title>\n",
        Escape(absl::StrCat("datagram ", d.id, " ", d.link, "#", d.index, " ",
                            d.src.ToString(), " > ", d.dst.ToString(), " ",
                            d.payload.size(), " bytes, sent ", Ms(d.sent))));
    if (d.dropped || d.deliveries.empty()) {
      const double xm = (x1 + x2) / 2, ym = y1 + kDropDy;
      absl::StrAppendFormat(&svg,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\"/>\n",
                            x1, y1, xm, ym);
      absl::StrAppendFormat(
          &svg, "<path class=\"x\" d=\"M%.1f,%.1f l12,12 m0,-12 l-12,12\"/>\n",
          xm - 6, ym - 6);
    }
    for (size_t i = 0; i < d.deliveries.size(); ++i) {
      const double y2 = kTop + axis.Y(d.deliveries[i].time) + 3.0 * i;
      absl::StrAppendFormat(&svg,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" marker-end=\"url(#arrow)\"/>\n",
                            x1, y1, x2, y2);
    }
    std::string text = labels.empty() ? absl::StrCat(d.payload.size(), " bytes")
                                      : absl::StrJoin(labels, " | ");
    if (!tags.empty()) absl::StrAppend(&text, "  ", absl::StrJoin(tags, " "));
    absl::StrAppendFormat(&svg,
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s"
                          "</text>\n",
                          from_client ? x1 + 8 : x1 - 8, y1 - 3,
                          from_client ? "start" : "end", Escape(text));
    svg += "</g>\n";
  }
  svg += "</svg>\n";

  // Verdicts and close codes.
  std::string verdicts;
  for (const sim::TraceEvent& e : events) {
    if (e.kind == "verdict" || e.kind == "connection_close_received" ||
        (e.kind == "packet_sent" &&
         absl::StrContains(e.details, "connection_close="))) {
      absl::StrAppend(&verdicts, "<li class=\"verdict\"><b>", Escape(e.actor),
                      "</b> ", Ms(e.time), " ", Escape(e.kind), " ",
                      Escape(e.details), "</li>\n");
    }
  }

  return absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>",
      Escape(title),
      "</title>\n<style>\n"
      "body{font-family:sans-serif;margin:16px;background:#fff;color:#222}\n"
      "svg text{font-family:monospace;font-size:11px}\n"
      ".lane{font-size:16px!important;font-weight:bold;text-anchor:middle}\n"
      ".lane-line{stroke:#888;stroke-width:3}\n"
      ".tick{fill:#666}\n"
      ".dgram line{stroke:#1f5fbf;stroke-width:1.6}\n"
      ".dgram text{fill:#1f3f7f}\n"
      ".dropped line{stroke:#c00}.dropped text{fill:#c00}\n"
      ".x{stroke:#c00;stroke-width:3;fill:none}\n"
      ".corrupted line{stroke:#e08000;stroke-dasharray:6 3}"
      ".corrupted text{fill:#b06000}\n"
      ".duplicated text{font-weight:bold}\n"
      ".reordered line{stroke:#8a2be2}.reordered text{fill:#6a1bb2}\n"
      ".legend span{margin-right:18px}\n"
      "</style></head><body>\n<h2>",
      Escape(title),
      "</h2>\n<div class=\"legend\"><span style=\"color:#1f5fbf\">&#8594; "
      "delivered</span><span style=\"color:#c00\">&#10007; dropped</span>"
      "<span style=\"color:#e08000\">- - corrupted</span><span "
      "style=\"color:#8a2be2\">&#8594; reordered</span><span><b>bold</b> "
      "duplicated</span></div>\n",
      svg, "<h3>Verdicts</h3>\n<ul class=\"verdicts\">\n", verdicts,
      "</ul>\n</body></html>\n");
}

absl::Status WriteLadderHtml(const sim::Capture& capture,
                             const std::vector<sim::TraceEvent>& events,
                             const std::string& title,
                             const std::string& path) {
  return WriteFileAtomically(path, BuildLadderHtml(capture, events, title));
}

}  // namespace quicsim::exporter
