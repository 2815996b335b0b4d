// All-or-nothing output of several files: each is written in full to a
// temporary name next to its destination, and only when every one has been
// written are they renamed into place. On any failure no temporary file
// remains and no destination has been created.
#ifndef QUICSIM_TOOLS_QUICSIM_STAGED_FILES_H_
#define QUICSIM_TOOLS_QUICSIM_STAGED_FILES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace quicsim::tools {

class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  // Removes the temporary files of an uncommitted set.
  ~StagedFiles();

  // Writes `contents` to a temporary file for `path`. On failure every file
  // staged so far is removed too.
  absl::Status Add(const std::string& path, absl::string_view contents);

  // Renames every staged file into place. If a rename fails, the files
  // already renamed and the remaining temporaries are removed.
  absl::Status Commit();

  // Destinations, in the order added.
  std::vector<std::string> paths() const;

 private:
  void Abandon();

  std::vector<std::pair<std::string, std::string>> files_;  // {path, tmp}
};

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_STAGED_FILES_H_
