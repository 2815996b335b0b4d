#include "tools/export/ladder_html.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/export/file_io.h"
#include "tools/export/ladder_layout.h"

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
        // Control characters are not allowed in HTML text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          out += ' ';
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

void AppendText(std::string* svg, const LadderText& t) {
  const double x = t.right_aligned ? t.box.x1 : t.box.x0;
  for (size_t i = 0; i < t.lines.size(); ++i) {
    absl::StrAppendFormat(svg, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>\n", x,
                          t.box.y0 + kLineHeight * (i + 1) - 3,
                          t.right_aligned ? " text-anchor=\"end\"" : "",
                          Escape(t.lines[i]));
  }
}

std::string PairSvg(const PairLadder& p) {
  std::string svg;
  const int height = static_cast<int>(p.height);
  absl::StrAppendFormat(
      &svg,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\">\n",
      static_cast<int>(kLadderWidth), height, static_cast<int>(kLadderWidth),
      height);
  absl::StrAppendFormat(
      &svg,
      "<text class=\"lane\" x=\"%.0f\" y=\"30\">client</text>"
      "<text class=\"lane\" x=\"%.0f\" y=\"30\">server</text>\n"
      "<line class=\"lane-line\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
      "y2=\"%d\"/><line class=\"lane-line\" x1=\"%.0f\" y1=\"%.0f\" "
      "x2=\"%.0f\" y2=\"%d\"/>\n",
      kClientLaneX, kServerLaneX, kClientLaneX, kLadderTop - 20, kClientLaneX,
      height - 20, kServerLaneX, kLadderTop - 20, kServerLaneX, height - 20);
  for (const LadderTick& t : p.ticks) {
    absl::StrAppendFormat(&svg,
                          "<text class=\"tick\" x=\"8\" y=\"%.1f\">%s</text>\n",
                          t.y + 4, Escape(t.text));
  }
  // Lines first, then every text on top of them (its white halo keeps it
  // legible where an arrow crosses it).
  for (const LadderDatagram& g : p.datagrams) {
    absl::StrAppendFormat(&svg, "<g class=\"%s\" data-id=\"%d\">\n", g.css,
                          g.id);
    absl::StrAppendFormat(&svg, "<title>%s</title>\n", Escape(g.title));
    if (g.dropped) {
      const double xm = (g.drop_x.x0 + g.drop_x.x1) / 2;
      const double ym = (g.drop_x.y0 + g.drop_x.y1) / 2;
      absl::StrAppendFormat(
          &svg,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n"
          "<path class=\"x\" d=\"M%.1f,%.1f l10,10 m0,-10 l-10,10\"/>\n",
          g.x_start, g.y_start, xm, ym, xm - 5, ym - 5);
    }
    for (const LadderDatagram::Arrival& a : g.arrivals) {
      absl::StrAppendFormat(&svg,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" marker-end=\"url(#arrow)\"/>\n",
                            g.x_start, g.y_start, a.x, a.y);
    }
    svg += "</g>\n";
  }
  for (const LadderDatagram& g : p.datagrams) {
    absl::StrAppendFormat(&svg, "<g class=\"%s\" data-label=\"%d\">\n", g.css,
                          g.id);
    // A translucent backdrop keeps crossing arrows from striking it out.
    absl::StrAppendFormat(
        &svg,
        "<rect class=\"bg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        "height=\"%.1f\"/>\n",
        g.label.box.x0 - 2, g.label.box.y0, g.label.box.x1 - g.label.box.x0 + 4,
        g.label.box.y1 - g.label.box.y0);
    AppendText(&svg, g.label);
    svg += "</g>\n";
  }
  for (const LadderMark& m : p.marks) {
    absl::StrAppendFormat(&svg, "<g class=\"%s\">\n", m.css);
    absl::StrAppendFormat(&svg,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>\n",
                          (m.glyph.x0 + m.glyph.x1) / 2, m.glyph_y,
                          (m.glyph.x1 - m.glyph.x0) / 2 - 0.5);
    AppendText(&svg, m.text);
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

constexpr char kStyle[] = R"(
body{font-family:sans-serif;margin:16px;background:#fff;color:#222}
svg{display:block}
svg text{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:11px;
 paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.lane{font-size:16px!important;font-weight:bold;text-anchor:middle}
.lane-line{stroke:#888;stroke-width:3}
.tick{fill:#666}
.dgram line{stroke:#1f5fbf;stroke-width:1.4}
.dgram text{fill:#1f3f7f}
rect.bg{fill:#fff;fill-opacity:0.82;stroke:none}
.dropped line{stroke:#c00}.dropped text{fill:#c00}
.x{stroke:#c00;stroke-width:3;fill:none}
.corrupted line{stroke:#e08000;stroke-dasharray:6 3}.corrupted text{fill:#b06000}
.duplicated text{font-weight:bold}
.reordered line{stroke:#8a2be2}.reordered text{fill:#6a1bb2}
.mark circle{stroke:#fff;stroke-width:1}
.timer circle{fill:#d97706}.timer text{fill:#b45309;font-weight:bold}
.key circle{fill:#059669}.key text{fill:#047857}
.state circle{fill:#6b7280}.state text{fill:#4b5563}
.lost circle{fill:#dc2626}.lost text{fill:#b91c1c}
.drop circle{fill:#dc2626}.drop text{fill:#b91c1c}
.close circle{fill:#be123c}.close text{fill:#be123c;font-weight:bold}
.verdict circle{fill:#111}.verdict text{fill:#111;font-weight:bold}
.legend span{margin-right:14px;font-size:13px}
#pairs{margin:8px 0}
.summary{font-size:13px;color:#444}
)";

// Shows the pair picked in the selector (or named by "#pair/N"), and marks
// the page ready.
constexpr char kScript[] = R"(
window.addEventListener('error', function (e) {
  document.body.setAttribute('data-ladder-error', String(e.message));
});
(function () {
  var select = document.getElementById('pair');
  function show(name) {
    var found = false;
    document.querySelectorAll('div.pair').forEach(function (d) {
      var on = d.getAttribute('data-pair') === name;
      d.hidden = !on;
      found = found || on;
    });
    return found;
  }
  select.addEventListener('change', function () {
    show(select.value);
    history.replaceState(null, '', '#' + select.value);
  });
  var wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && show(wanted)) select.value = wanted; else show(select.value);
  document.body.setAttribute('data-ladder', 'ok');
})();
)";

}  // namespace

std::string BuildLadderHtml(const sim::Capture& capture,
                            const std::vector<sim::TraceEvent>& events,
                            const std::string& title, int focus_pair) {
  const std::vector<PairLadder> pairs = LayoutLadder(capture, events);
  const std::string focus_name =
      focus_pair >= 0 ? absl::StrCat("pair/", focus_pair) : "";
  size_t selected = 0;
  bool found = false;
  for (size_t i = 0; i < pairs.size() && !found; ++i) {
    if (pairs[i].pair == focus_name) selected = i, found = true;
  }
  for (size_t i = 0; i < pairs.size() && !found; ++i) {
    if (pairs[i].failed) selected = i, found = true;
  }
  std::string options, bodies;
  size_t drawn = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (drawn >= kMaxLadderPairs && i != selected) continue;
    ++drawn;
    const PairLadder& p = pairs[i];
    absl::StrAppend(&options, "<option value=\"", Escape(p.pair), "\"",
                    i == selected ? " selected" : "", ">",
                    p.failed ? "&#10007; " : "", Escape(p.pair), ": ",
                    Escape(p.summary), "</option>\n");
    absl::StrAppend(&bodies, "<div class=\"pair\" data-pair=\"", Escape(p.pair),
                    "\"", i == selected ? "" : " hidden",
                    "><p class=\"summary\">", Escape(p.pair), ": ",
                    Escape(p.summary), "</p>\n", PairSvg(p), "</div>\n");
  }
  std::string note;
  if (drawn < pairs.size()) {
    note = absl::StrCat(" (", drawn, " of ", pairs.size(), " pairs drawn)");
  }
  return absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>",
      Escape(title), "</title>\n<style>", kStyle, "</style></head><body>\n<h2>",
      Escape(title),
      "</h2>\n<div class=\"legend\"><span style=\"color:#1f5fbf\">&#8594; "
      "delivered</span><span style=\"color:#c00\">&#10007; dropped</span>"
      "<span style=\"color:#e08000\">- - corrupted</span><span "
      "style=\"color:#8a2be2\">&#8594; reordered</span><span><b>bold</b> "
      "duplicated</span><span style=\"color:#b45309\">&#9679; timer</span>"
      "<span style=\"color:#047857\">&#9679; keys</span><span "
      "style=\"color:#be123c\">&#9679; close</span><span>&#9679; "
      "verdict</span></div>\n<div id=\"pairs\"><label>pair "
      "<select id=\"pair\">\n",
      options, "</select></label>", note, "</div>\n", bodies,
      "<svg width=\"0\" height=\"0\" style=\"position:absolute\">"
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 8\" refX=\"10\" refY=\"4\" "
      "markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"8\" "
      "orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" "
      "fill=\"context-stroke\"/></marker></defs></svg>\n<script>",
      kScript, "</script>\n</body></html>\n");
}

absl::Status WriteLadderHtml(const sim::Capture& capture,
                             const std::vector<sim::TraceEvent>& events,
                             const std::string& title, const std::string& path,
                             int focus_pair) {
  return WriteFileAtomically(
      path, BuildLadderHtml(capture, events, title, focus_pair));
}

}  // namespace quicsim::exporter
