// Seed filters: which seeds of a suite to run, from Bazel's --test_filter
// (TESTBRIDGE_TEST_ONLY). A filter is a comma list of seed numbers and
// inclusive ranges, each optionally written as its JUnit test case name:
// "17", "3,9,12", "100-199", "seed_17,seed_40-seed_49", "3, 100-199".
#ifndef QUICSIM_TOOLS_QUICSIM_SEED_FILTER_H_
#define QUICSIM_TOOLS_QUICSIM_SEED_FILTER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/quicsim/sharding.h"

namespace quicsim::tools {

// At most this many seeds in one filter (a typo like "1-99999999999" is an
// error, not a run that never ends).
inline constexpr uint64_t kMaxFilteredSeeds = 10'000'000;

// The seeds `filter` names, ascending, without duplicates. Malformed input
// (empty elements, non-numbers, a range whose end is below its start, more
// than kMaxFilteredSeeds seeds) is an InvalidArgument error quoting it.
absl::StatusOr<std::vector<uint64_t>> ParseSeedFilter(absl::string_view filter);

// The filter from TESTBRIDGE_TEST_ONLY: nullopt when unset or empty.
absl::StatusOr<std::optional<std::vector<uint64_t>>> SeedFilterFromEnv(
    EnvLookup getenv);

// This shard's part of an explicit seed list: the seeds at ordinals
// shard.index, shard.index + shard.total, ...
std::vector<uint64_t> SeedsForShardFromList(const std::vector<uint64_t>& seeds,
                                            const ShardSpec& shard);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SEED_FILTER_H_
