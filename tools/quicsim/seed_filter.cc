#include "tools/quicsim/seed_filter.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace quicsim::tools {
namespace {

// "17" or "seed_17"; digits only (no sign, no spaces inside).
bool ParseSeed(absl::string_view text, uint64_t* seed) {
  absl::ConsumePrefix(&text, "seed_");
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, seed);
}

absl::Status Malformed(absl::string_view filter, absl::string_view why) {
  std::string shown(filter.substr(0, 80));
  for (char& c : shown) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--test_filter=\"", shown, filter.size() > 80 ? "..." : "", "\": ", why,
      " (want seed numbers and ranges, e.g. 17 or 3,9,12 or 100-199)"));
}

}  // namespace

absl::StatusOr<std::vector<uint64_t>> ParseSeedFilter(
    absl::string_view filter) {
  std::vector<uint64_t> seeds;
  uint64_t total = 0;
  for (absl::string_view element : absl::StrSplit(filter, ',')) {
    element = absl::StripAsciiWhitespace(element);
    if (element.empty()) return Malformed(filter, "empty element");
    const size_t dash = element.find('-');
    uint64_t first = 0, last = 0;
    if (dash == absl::string_view::npos) {
      if (!ParseSeed(element, &first)) {
        return Malformed(filter, absl::StrCat("\"", element.substr(0, 40),
                                              "\" is not a seed number"));
      }
      last = first;
    } else {
      const absl::string_view a =
          absl::StripAsciiWhitespace(element.substr(0, dash));
      const absl::string_view b =
          absl::StripAsciiWhitespace(element.substr(dash + 1));
      if (!ParseSeed(a, &first) || !ParseSeed(b, &last)) {
        return Malformed(filter, absl::StrCat("\"", element.substr(0, 40),
                                              "\" is not a range A-B"));
      }
      if (last < first) {
        return Malformed(filter, absl::StrCat("range ", first, "-", last,
                                              " ends before it starts"));
      }
    }
    if (last - first >= kMaxFilteredSeeds ||
        total + (last - first + 1) > kMaxFilteredSeeds) {
      return Malformed(filter,
                       absl::StrCat("more than ", kMaxFilteredSeeds, " seeds"));
    }
    total += last - first + 1;
    for (uint64_t s = first;; ++s) {
      seeds.push_back(s);
      if (s == last) break;
    }
  }
  std::sort(seeds.begin(), seeds.end());
  seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
  return seeds;
}

absl::StatusOr<std::optional<std::vector<uint64_t>>> SeedFilterFromEnv(
    EnvLookup getenv) {
  const char* value = getenv("TESTBRIDGE_TEST_ONLY");
  if (value == nullptr || *value == '\0') {
    return std::optional<std::vector<uint64_t>>();
  }
  absl::StatusOr<std::vector<uint64_t>> seeds = ParseSeedFilter(value);
  if (!seeds.ok()) return seeds.status();
  return std::optional<std::vector<uint64_t>>(*std::move(seeds));
}

std::vector<uint64_t> SeedsForShardFromList(const std::vector<uint64_t>& seeds,
                                            const ShardSpec& shard) {
  std::vector<uint64_t> out;
  if (shard.total == 0) return out;
  for (uint64_t i = shard.index; i < seeds.size(); i += shard.total) {
    out.push_back(seeds[i]);
  }
  return out;
}

}  // namespace quicsim::tools
