#include "tests/fuzz/input_contract.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "scenarios/scenario_loader.h"
#include "sim/time.h"

namespace quicsim::fuzz {

void CheckRejection(const absl::Status& status, absl::string_view filename) {
  const absl::string_view message = status.message();
  const char* problem = nullptr;
  if (status.ok()) {
    problem = "expected a rejection, got OK";
  } else if (message.empty()) {
    problem = "rejection without a message";
  } else if (message.find('\0') != absl::string_view::npos) {
    problem = "rejection message contains a NUL byte";
  } else if (!filename.empty() && !absl::StrContains(message, filename)) {
    problem = "rejection message does not name the file";
  }
  if (problem == nullptr) return;
  std::fprintf(stderr, "fuzz contract broken: %s: %s\n", problem,
               status.ToString().c_str());
  std::abort();
}

void CapScenario(uint32_t input_hash, scenarios::Scenario* scenario) {
  scenarios::Population* population = scenario->mutable_population();
  const uint32_t max_pairs = input_hash % 4 == 0 ? kMaxFuzzPairs : 1;
  if (population->pairs() > max_pairs) population->set_pairs(max_pairs);
  scenarios::Limits* limits = scenario->mutable_limits();
  if (limits->max_events() == 0 || limits->max_events() > kMaxFuzzEvents) {
    limits->set_max_events(kMaxFuzzEvents);
  }
  const sim::Duration cap = sim::Duration::Seconds(kMaxFuzzVirtualSeconds);
  if (scenarios::DurationOr(limits->max_virtual_time(), cap) > cap) {
    limits->set_max_virtual_time(absl::StrCat(kMaxFuzzVirtualSeconds, "s"));
  }
}

void SilenceProtobufLogs() {
  static const bool silenced = [] {
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*,
                                       int, const std::string&) {});
    return true;
  }();
  (void)silenced;
}

uint32_t InputHash(const uint8_t* data, size_t size) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  return h;
}

}  // namespace quicsim::fuzz
