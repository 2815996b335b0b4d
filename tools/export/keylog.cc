#include "tools/export/keylog.h"

#include "absl/container/flat_hash_set.h"
#include "tools/export/file_io.h"

namespace quicsim::exporter {

std::string BuildKeylog(const std::vector<std::string>& lines) {
  std::string out = "# SSLKEYLOGFILE written by quicsim\n";
  absl::flat_hash_set<std::string_view> seen;
  for (const std::string& line : lines) {
    if (line.empty() || !seen.insert(line).second) continue;
    out += line;
    out += '\n';
  }
  return out;
}

absl::Status WriteKeylog(const std::vector<std::string>& lines,
                         const std::string& path) {
  return WriteFileAtomically(path, BuildKeylog(lines));
}

}  // namespace quicsim::exporter
