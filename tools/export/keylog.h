// SSLKEYLOGFILE output (RFC 9850): one "<LABEL> <client_random> <secret>"
// line per TLS secret; Wireshark reads it with -o tls.keylog_file:PATH.
#ifndef QUICSIM_TOOLS_EXPORT_KEYLOG_H_
#define QUICSIM_TOOLS_EXPORT_KEYLOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace quicsim::exporter {

// The keylog file for `lines` (each without a terminator): a comment line,
// then every distinct line once, in order, each ending in "\n".
std::string BuildKeylog(const std::vector<std::string>& lines);

// Writes BuildKeylog(lines) to `path` atomically.
absl::Status WriteKeylog(const std::vector<std::string>& lines,
                         const std::string& path);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_KEYLOG_H_
