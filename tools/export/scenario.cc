#include "tools/export/scenario.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "scenarios/world.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/trace_validate.h"

namespace quicsim::exporter {
namespace {

constexpr absl::string_view kSuffix = ".textproto";

// Whether the world of `scenario` has a link named `link` (world_builder.cc
// names them "pair/N/c2s" and "pair/N/s2c", or "bottleneck/c2s" and
// "bottleneck/s2c" on a shared bottleneck).
bool HasLink(const scenarios::Scenario& scenario, absl::string_view link) {
  for (absl::string_view direction : {"/c2s", "/s2c"}) {
    if (!absl::ConsumeSuffix(&link, direction)) continue;
    if (scenario.network().shared_bottleneck()) return link == "bottleneck";
    uint64_t pair = 0;
    return absl::ConsumePrefix(&link, "pair/") &&
           absl::SimpleAtoi(link, &pair) && absl::StrCat(pair) == link &&
           pair < scenario.population().pairs();
  }
  return false;
}

// The rules an export scenario adds to the trace input rules.
absl::Status CheckExportScenario(const trace::Trace& t,
                                 absl::string_view filename) {
  auto error = [&](const std::string& path, absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename, ": ", path, ": ", message));
  };
  if (t.events_size() > 0) {
    return error("events",
                 "an export scenario is run, not replayed: no events");
  }
  if (t.verdicts_size() > 0) {
    return error("verdicts", "an export scenario is judged when it runs");
  }
  for (int i = 0; i < t.script_size(); ++i) {
    const trace::NetworkDecision& d = t.script(i);
    const std::string path = absl::StrFormat("script[%d]", i);
    if (!HasLink(t.scenario(), d.link())) {
      return error(
          path + ".link",
          absl::StrCat("\"", d.link(),
                       "\" is not a link of the scenario (pair/N/c2s, "
                       "pair/N/s2c or bottleneck/c2s, bottleneck/s2c)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<trace::Trace> ParseExportScenario(absl::string_view text,
                                                 absl::string_view filename) {
  trace::Trace t;
  if (absl::Status s =
          scenarios::ParseTextProto(text, filename, "export scenario", &t);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = tools::ValidateTrace(t, filename); !s.ok()) return s;
  if (absl::Status s = CheckExportScenario(t, filename); !s.ok()) return s;
  return t;
}

absl::StatusOr<trace::Trace> LoadExportScenario(const std::string& path) {
  absl::StatusOr<std::string> text = scenarios::ReadInputFile(
      path, "export scenario", scenarios::kMaxScenarioFileBytes);
  if (!text.ok()) return text.status();
  return ParseExportScenario(*text, path);
}

absl::StatusOr<std::unique_ptr<ScenarioResult>> RunExportScenario(
    const trace::Trace& scenario) {
  auto out = std::make_unique<ScenarioResult>();
  scenarios::RunSeedOptions options;
  options.capture = &out->capture;
  options.keylog = &out->keylog;
  options.events = &out->events;
  if (scenario.scripted()) {
    options.scripted_decisions.emplace(scenario.script().begin(),
                                       scenario.script().end());
  }
  scenarios::QuicsimSeedRunner runner;
  absl::StatusOr<scenarios::SeedResult> result = tools::RunJudgedSeed(
      runner, scenario.scenario(), scenario.seed(), options);
  if (!result.ok()) return result.status();
  out->result = *std::move(result);
  return out;
}

std::string ScenarioPath(absl::string_view name) {
  return absl::StrCat(kScenarioDir, "/", name, kSuffix);
}

absl::StatusOr<std::unique_ptr<ScenarioResult>> RunScenario(
    absl::string_view name) {
  absl::StatusOr<trace::Trace> scenario =
      LoadExportScenario(ScenarioPath(name));
  if (!scenario.ok()) return scenario.status();
  return RunExportScenario(*scenario);
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(kScenarioDir), error)) {
    const std::string file = entry.path().filename().string();
    if (absl::EndsWith(file, kSuffix)) {
      names.push_back(file.substr(0, file.size() - kSuffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace quicsim::exporter
