// Bazel test sharding for seed sweeps: seed ordinal i (seed base + i) runs
// on shard i % TEST_TOTAL_SHARDS, so the shards partition the seeds.
#ifndef QUICSIM_TOOLS_QUICSIM_SHARDING_H_
#define QUICSIM_TOOLS_QUICSIM_SHARDING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace quicsim::tools {

// This process's shard.
struct ShardSpec {
  uint64_t index = 0;
  uint64_t total = 1;
  // TEST_SHARD_STATUS_FILE, touched to tell Bazel sharding is supported.
  std::string status_file;
};

// Looks up an environment variable; null when unset.
using EnvLookup = absl::FunctionRef<const char*(const char*)>;

// Reads TEST_TOTAL_SHARDS / TEST_SHARD_INDEX / TEST_SHARD_STATUS_FILE;
// unset means one shard. Malformed values are an error.
absl::StatusOr<ShardSpec> ShardSpecFromEnv(EnvLookup getenv);

// The seeds this shard runs out of base, base + 1, ..., base + count - 1.
std::vector<uint64_t> SeedsForShard(uint64_t base, uint64_t count,
                                    const ShardSpec& shard);

// Creates the status file or updates its modification time (no-op if the
// spec has none).
absl::Status TouchShardStatusFile(const ShardSpec& shard);

// The seed base from QUICSIM_SEED_BASE (so CI can pass --test_env), or
// `fallback` when unset; a malformed value is an error.
absl::StatusOr<uint64_t> SeedBaseFromEnv(EnvLookup getenv, uint64_t fallback);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SHARDING_H_
