#include "tools/quicsim/seed_filter.h"

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::tools {
namespace {

using Seeds = std::vector<uint64_t>;

Seeds Parse(const std::string& filter) {
  absl::StatusOr<Seeds> seeds = ParseSeedFilter(filter);
  EXPECT_TRUE(seeds.ok()) << filter << ": " << seeds.status();
  return seeds.ok() ? *seeds : Seeds{};
}

TEST(SeedFilterTest, NumbersListsRangesAndCombinations) {
  EXPECT_EQ(Parse("17"), Seeds({17}));
  EXPECT_EQ(Parse("0"), Seeds({0}));
  EXPECT_EQ(Parse("3,9,12"), Seeds({3, 9, 12}));
  EXPECT_EQ(Parse("12,3,9,3"), Seeds({3, 9, 12}));
  EXPECT_EQ(Parse("5-7"), Seeds({5, 6, 7}));
  EXPECT_EQ(Parse("7-7"), Seeds({7}));
  EXPECT_EQ(Parse(" 1 , 4 - 5 ,seed_9,seed_20-seed_21"),
            Seeds({1, 4, 5, 9, 20, 21}));
  EXPECT_EQ(Parse("2-4,3-6"), Seeds({2, 3, 4, 5, 6}));
  Seeds hundred = Parse("100-199");
  ASSERT_EQ(hundred.size(), 100u);
  EXPECT_EQ(hundred.front(), 100u);
  EXPECT_EQ(hundred.back(), 199u);
  EXPECT_EQ(Parse("18446744073709551615"), Seeds({18446744073709551615u}));
  EXPECT_EQ(Parse("18446744073709551614-18446744073709551615"),
            Seeds({18446744073709551614u, 18446744073709551615u}));
}

TEST(SeedFilterTest, MalformedFiltersAreOneLineErrors) {
  for (const char* bad : {"",
                          ",",
                          "1,",
                          ",1",
                          "1,,2",
                          "abc",
                          "seed_",
                          "17x",
                          "-5",
                          "5-",
                          "-",
                          "1-2-3",
                          "9-3",
                          "+4",
                          "0x10",
                          "1.5",
                          "18446744073709551616",
                          "1 2",
                          "seed_1-seed_",
                          "0-18446744073709551615",
                          "1-20000000",
                          "\xff\x01",
                          "99999999999999999999999999"}) {
    absl::StatusOr<Seeds> seeds = ParseSeedFilter(bad);
    EXPECT_FALSE(seeds.ok()) << "\"" << bad << "\"";
    if (!seeds.ok()) {
      const std::string message(seeds.status().message());
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_NE(message.find("--test_filter"), std::string::npos) << message;
    }
  }
}

TEST(SeedFilterTest, EnvUnsetOrEmptyMeansNoFilter) {
  auto unset =
      SeedFilterFromEnv([](const char*) -> const char* { return nullptr; });
  ASSERT_TRUE(unset.ok());
  EXPECT_FALSE(unset->has_value());
  auto empty = SeedFilterFromEnv([](const char*) -> const char* { return ""; });
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  auto set = SeedFilterFromEnv([](const char* name) -> const char* {
    return std::string(name) == "TESTBRIDGE_TEST_ONLY" ? "3,1-2" : nullptr;
  });
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE(set->has_value());
  EXPECT_EQ(**set, Seeds({1, 2, 3}));
  auto bad = SeedFilterFromEnv([](const char* name) -> const char* {
    return std::string(name) == "TESTBRIDGE_TEST_ONLY" ? "x" : nullptr;
  });
  EXPECT_FALSE(bad.ok());
}

TEST(SeedFilterTest, ShardsPartitionAFilteredList) {
  const Seeds seeds = Parse("3,9,12,100-110");
  for (uint64_t total : {1u, 2u, 3u, 5u, 20u}) {
    std::map<uint64_t, int> runs;
    for (uint64_t index = 0; index < total; ++index) {
      for (uint64_t seed : SeedsForShardFromList(seeds, {index, total, ""})) {
        ++runs[seed];
      }
    }
    ASSERT_EQ(runs.size(), seeds.size()) << "total " << total;
    for (uint64_t seed : seeds) EXPECT_EQ(runs[seed], 1) << seed;
  }
}

}  // namespace
}  // namespace quicsim::tools
