#include "tools/quicsim/sharding.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace quicsim::tools {
namespace {

absl::StatusOr<uint64_t> ParseEnvNumber(const char* name, const char* value) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(value, &n)) {
    return absl::InvalidArgumentError(
        absl::StrCat("environment variable ", name, "=\"", value,
                     "\" is not a non-negative integer"));
  }
  return n;
}

}  // namespace

absl::StatusOr<ShardSpec> ShardSpecFromEnv(EnvLookup getenv) {
  ShardSpec spec;
  const char* total = getenv("TEST_TOTAL_SHARDS");
  const char* index = getenv("TEST_SHARD_INDEX");
  if (total != nullptr && *total != '\0') {
    absl::StatusOr<uint64_t> t = ParseEnvNumber("TEST_TOTAL_SHARDS", total);
    if (!t.ok()) return t.status();
    if (*t == 0) {
      return absl::InvalidArgumentError("TEST_TOTAL_SHARDS must be positive");
    }
    spec.total = *t;
    if (index == nullptr || *index == '\0') {
      return absl::InvalidArgumentError(
          "TEST_TOTAL_SHARDS is set but TEST_SHARD_INDEX is not");
    }
    absl::StatusOr<uint64_t> i = ParseEnvNumber("TEST_SHARD_INDEX", index);
    if (!i.ok()) return i.status();
    if (*i >= spec.total) {
      return absl::InvalidArgumentError(
          absl::StrCat("TEST_SHARD_INDEX=", *i,
                       " is not below TEST_TOTAL_SHARDS=", spec.total));
    }
    spec.index = *i;
  }
  if (const char* status = getenv("TEST_SHARD_STATUS_FILE");
      status != nullptr) {
    spec.status_file = status;
  }
  return spec;
}

std::vector<uint64_t> SeedsForShard(uint64_t base, uint64_t count,
                                    const ShardSpec& shard) {
  std::vector<uint64_t> seeds;
  if (shard.total == 0) return seeds;
  for (uint64_t i = shard.index; i < count; i += shard.total) {
    seeds.push_back(base + i);
  }
  return seeds;
}

absl::Status TouchShardStatusFile(const ShardSpec& shard) {
  if (shard.status_file.empty()) return absl::OkStatus();
  const int fd =
      open(shard.status_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || futimens(fd, nullptr) != 0) {
    const int err = errno;
    if (fd >= 0) close(fd);
    return absl::UnavailableError(
        absl::StrCat(shard.status_file,
                     ": cannot touch shard status file: ", std::strerror(err)));
  }
  close(fd);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> SeedBaseFromEnv(EnvLookup getenv, uint64_t fallback) {
  const char* value = getenv("QUICSIM_SEED_BASE");
  if (value == nullptr || *value == '\0') return fallback;
  return ParseEnvNumber("QUICSIM_SEED_BASE", value);
}

}  // namespace quicsim::tools
