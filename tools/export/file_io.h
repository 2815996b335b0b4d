// Atomic file output for exporters: write to "<path>.tmp", then rename.
#ifndef QUICSIM_TOOLS_EXPORT_FILE_IO_H_
#define QUICSIM_TOOLS_EXPORT_FILE_IO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace quicsim::exporter {

// Writes `contents` to `path` atomically: readers see the old file or the
// whole new one, never a prefix.
absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view contents);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_FILE_IO_H_
