#include "tools/quicsim/sharding.h"

#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace quicsim::tools {
namespace {

TEST(ShardingTest, ShardsPartitionTheSeeds) {
  for (uint64_t total : {1u, 2u, 3u, 7u, 40u}) {
    std::map<uint64_t, int> runs;
    for (uint64_t index = 0; index < total; ++index) {
      for (uint64_t seed : SeedsForShard(1000, 25, {index, total, ""})) {
        ++runs[seed];
        EXPECT_EQ((seed - 1000) % total, index);
      }
    }
    ASSERT_EQ(runs.size(), 25u) << "total " << total;
    EXPECT_EQ(runs.begin()->first, 1000u);
    EXPECT_EQ(runs.rbegin()->first, 1024u);
    for (const auto& [seed, count] : runs) EXPECT_EQ(count, 1) << seed;
  }
}

TEST(ShardingTest, HandComputedSlice) {
  EXPECT_EQ(SeedsForShard(10, 7, {1, 3, ""}), (std::vector<uint64_t>{11, 14}));
}

TEST(ShardingTest, FromEnvironment) {
  std::map<std::string, std::string> env = {{"TEST_TOTAL_SHARDS", "4"},
                                            {"TEST_SHARD_INDEX", "2"},
                                            {"TEST_SHARD_STATUS_FILE", "/s"}};
  auto lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  absl::StatusOr<ShardSpec> s = ShardSpecFromEnv(lookup);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->total, 4u);
  EXPECT_EQ(s->status_file, "/s");
  env["TEST_SHARD_INDEX"] = "4";
  EXPECT_FALSE(ShardSpecFromEnv(lookup).ok());
  env["TEST_SHARD_INDEX"] = "x";
  EXPECT_FALSE(ShardSpecFromEnv(lookup).ok());
  env.clear();
  s = ShardSpecFromEnv(lookup);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->total, 1u);
  EXPECT_EQ(*SeedBaseFromEnv(lookup, 7), 7u);
  env["QUICSIM_SEED_BASE"] = "123";
  EXPECT_EQ(*SeedBaseFromEnv(lookup, 7), 123u);
  env["QUICSIM_SEED_BASE"] = "-1";
  EXPECT_FALSE(SeedBaseFromEnv(lookup, 7).ok());
}

TEST(ShardingTest, TouchesStatusFile) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(tmp ? tmp : "/tmp", "/shard_status");
  ASSERT_TRUE(TouchShardStatusFile({0, 2, path}).ok());
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_TRUE(TouchShardStatusFile({0, 1, ""}).ok());
  EXPECT_FALSE(TouchShardStatusFile({0, 2, "/nonexistent/dir/s"}).ok());
}

}  // namespace
}  // namespace quicsim::tools
