#include "tools/quicsim/staged_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace quicsim::tools {

StagedFiles::~StagedFiles() { Abandon(); }

void StagedFiles::Abandon() {
  for (const auto& [path, tmp] : files_) unlink(tmp.c_str());
  files_.clear();
}

absl::Status StagedFiles::Add(const std::string& path,
                              absl::string_view contents) {
  const std::string tmp =
      absl::StrCat(path, ".tmp.", getpid(), ".", files_.size());
  auto fail = [&](absl::string_view what, int err) {
    unlink(tmp.c_str());
    Abandon();
    return absl::UnavailableError(
        absl::StrCat(path, ": ", what, ": ", std::strerror(err)));
  };
  const int fd =
      open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    Abandon();
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot create: ", std::strerror(err)));
  }
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      return fail("write failed", err);
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    const int err = errno;
    close(fd);
    return fail("fsync failed", err);
  }
  if (close(fd) != 0) return fail("close failed", errno);
  files_.emplace_back(path, tmp);
  return absl::OkStatus();
}

absl::Status StagedFiles::Commit() {
  for (size_t i = 0; i < files_.size(); ++i) {
    if (rename(files_[i].second.c_str(), files_[i].first.c_str()) != 0) {
      const int err = errno;
      const std::string path = files_[i].first;
      for (size_t j = 0; j < i; ++j) unlink(files_[j].first.c_str());
      for (size_t j = i; j < files_.size(); ++j) {
        unlink(files_[j].second.c_str());
      }
      files_.clear();
      return absl::UnavailableError(absl::StrCat(
          path, ": cannot rename into place: ", std::strerror(err)));
    }
  }
  files_.clear();
  return absl::OkStatus();
}

std::vector<std::string> StagedFiles::paths() const {
  std::vector<std::string> out;
  for (const auto& f : files_) out.push_back(f.first);
  return out;
}

}  // namespace quicsim::tools
