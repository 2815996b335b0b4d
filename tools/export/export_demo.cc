// Runs one of the export scenarios and writes every export of it:
//   export_demo SCENARIO OUT_BASE
// gives OUT_BASE.sent.pcap, OUT_BASE.delivered.pcap, OUT_BASE.keys,
// OUT_BASE.<actor>.sqlog per connection side and OUT_BASE.html. SCENARIO is
// a name from tools/export/testdata/ ("clean", "impaired", ...) or the path
// of such a file (a path contains a '/').
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "tools/export/keylog.h"
#include "tools/export/ladder_html.h"
#include "tools/export/pcap_writer.h"
#include "tools/export/qlog_writer.h"
#include "tools/export/scenario.h"

int main(int argc, char** argv) {
  using namespace quicsim::exporter;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SCENARIO OUT_BASE\n", argv[0]);
    return 2;
  }
  const std::string scenario = argv[1];
  absl::StatusOr<quicsim::trace::Trace> t = LoadExportScenario(
      absl::StrContains(scenario, "/") ? scenario : ScenarioPath(scenario));
  if (!t.ok()) {
    std::fprintf(stderr, "%s\n", std::string(t.status().message()).c_str());
    return 2;
  }
  auto r = RunExportScenario(*t);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  const std::string base = argv[2];
  absl::Status s = WritePcaps((*r)->capture, base);
  if (s.ok()) s = WriteKeylog((*r)->keylog, base + ".keys");
  if (s.ok()) s = WriteQlogs((*r)->events, base);
  if (s.ok()) {
    s = WriteLadderHtml((*r)->capture, (*r)->events,
                        "quicsim: " + t->scenario().name() + " handshake",
                        base + ".html");
  }
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
