#include "scenarios/scenario_loader.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace quicsim::scenarios {
namespace {

using ::testing::HasSubstr;

constexpr char kMinimal[] = R"pb(
  name: "minimal"
  population { pairs: 1 }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "x.textproto");
  EXPECT_FALSE(s.ok());
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

TEST(ScenarioLoaderTest, LoadsGoodFile) {
  absl::StatusOr<Scenario> s =
      LoadScenarioFile("scenarios/testdata/good.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name(), "lossy_handshake");
  EXPECT_EQ(s->network().client_to_server().impairments().drops(0).match(),
            FIRST_INITIAL);
  EXPECT_EQ(s->network().client_to_server().impairments().drops(1).nth(), 3u);
  EXPECT_EQ(s->server().fault(), ALPN_MISMATCH);
  EXPECT_EQ(s->expect().error_codes(0), 0x178u);
  EXPECT_EQ(s->population().pairs(), 4u);
  EXPECT_EQ(DurationOr(s->network().client_to_server().delay(),
                       sim::Duration::Zero()),
            sim::Duration::Millis(25));
  EXPECT_EQ(
      DurationOr(
          s->network().client_to_server().impairments().blackholes(0).end(),
          sim::Duration::Zero()),
      sim::Duration::Millis(1500));
}

TEST(ScenarioLoaderTest, MinimalFileIsValid) {
  EXPECT_TRUE(ParseScenario(kMinimal, "m.textproto").ok());
}

TEST(ScenarioLoaderTest, UnknownFieldGivesOneBasedLineAndColumn) {
  // Protobuf reports the token after the field name: 0-based (2, 7), the
  // ':' after "bogus", printed 1-based.
  const std::string text =
      "name: \"x\"\n"
      "network {\n"
      "  bogus: 1\n"
      "}\n";
  const std::string error = ErrorOf(text);
  EXPECT_THAT(error, HasSubstr("x.textproto:3:8: "));
  EXPECT_THAT(error, HasSubstr("bogus"));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST(ScenarioLoaderTest, BadEnumValueNamesTheField) {
  // Protobuf reports the enum error at the token after the value: the '}'
  // at 0-based (2, 0).
  const std::string error = ErrorOf("server {\n  fault: NOT_A_FAULT\n}\n");
  EXPECT_THAT(error, HasSubstr("x.textproto:3:1: "));
  EXPECT_THAT(error, HasSubstr("NOT_A_FAULT"));
  EXPECT_THAT(error, HasSubstr("fault"));
}

TEST(ScenarioLoaderTest, BadDuration) {
  const std::string text = absl::StrReplaceAll(
      kMinimal, {{"name: \"minimal\"",
                  "network { client_to_server { delay: \"25 parsecs\" } }"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: network.client_to_server.delay: \"25 parsecs\" is "
            "not a duration (examples: \"750ms\", \"1.5s\")");
}

TEST(ScenarioLoaderTest, NegativeDuration) {
  const std::string text = absl::StrReplaceAll(
      kMinimal,
      {{"name: \"minimal\"", "limits { max_virtual_time: \"-1s\" }"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: limits.max_virtual_time: \"-1s\" is negative");
}

TEST(ScenarioLoaderTest, ProbabilityOutOfRangeNamesThePath) {
  const std::string text = absl::StrReplaceAll(
      kMinimal,
      {{"name: \"minimal\"",
        "network { server_to_client { impairments { gilbert_elliott { "
        "p: 0.1 r: 1.5 } } } }"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: "
            "network.server_to_client.impairments.gilbert_elliott.r: "
            "probability 1.5 is not in [0, 1]");
}

TEST(ScenarioLoaderTest, RepeatedFieldsCarryTheirIndex) {
  const std::string text = absl::StrReplaceAll(
      kMinimal, {{"name: \"minimal\"",
                  "network { phases { at: \"1s\" } phases { at: \"2s\" link { "
                  "impairments { drops { nth: 0 } } } } }"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: network.phases[1].link.impairments.drops[0].nth: "
            "datagrams count from 1");
}

TEST(ScenarioLoaderTest, CountsMustBePositive) {
  EXPECT_EQ(ErrorOf("seeds { count: 1 } expect { outcome: CONFIRMED }"),
            "x.textproto: population.pairs: must be positive");
  EXPECT_EQ(ErrorOf("population { pairs: 1 } expect { outcome: CONFIRMED }"),
            "x.textproto: seeds.count: must be positive");
}

TEST(ScenarioLoaderTest, ClosedNeedsACode) {
  const std::string text = absl::StrReplaceAll(
      kMinimal, {{"outcome: CONFIRMED", "outcome: CLOSED"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: expect.error_codes: outcome CLOSED needs an error "
            "code");
}

TEST(ScenarioLoaderTest, FaultOnTheWrongSide) {
  const std::string text = absl::StrReplaceAll(
      kMinimal, {{"name: \"minimal\"", "client { fault: ALPN_MISMATCH }"}});
  EXPECT_EQ(ErrorOf(text),
            "x.textproto: client.fault: ALPN_MISMATCH is a server fault");
}

TEST(ScenarioLoaderTest, MissingFile) {
  absl::StatusOr<Scenario> s = LoadScenarioFile("/nonexistent/x.textproto");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "/nonexistent/x.textproto: cannot open scenario file: No such "
            "file or directory");
}

TEST(ScenarioLoaderTest, DurationParsing) {
  EXPECT_EQ(*ParseScenarioDuration("750ms"), sim::Duration::Millis(750));
  EXPECT_EQ(*ParseScenarioDuration("1.5s"), sim::Duration::Millis(1500));
  EXPECT_EQ(*ParseScenarioDuration(""), sim::Duration::Zero());
  EXPECT_FALSE(ParseScenarioDuration("inf").ok());
  EXPECT_FALSE(ParseScenarioDuration("5").ok());
}

// Found by the scenario fuzz target: a duration string holding a NUL (text
// format "\0") was echoed raw, so the CLI's one-line message was cut at it;
// terminal escapes went through the same way.
TEST(ScenarioLoaderTest, ErrorsEscapeTheValuesTheyQuote) {
  const std::string value("1\0ms\x1b[2J", 8);
  absl::StatusOr<sim::Duration> d = ParseScenarioDuration(value);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message().find('\0'), absl::string_view::npos);
  EXPECT_EQ(d.status().message().find('\x1b'), absl::string_view::npos);
  EXPECT_THAT(d.status().message(), HasSubstr("\"1\\x00ms\\x1b[2J\""));

  absl::StatusOr<Scenario> s = ParseScenario(
      "network { client_to_server { delay: \"1\\0ms\" } }\n"
      "client { groups: \"X\\033[31m\" }\n"
      "population { pairs: 1 }\n",
      "f.textproto");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find('\0'), absl::string_view::npos);
  EXPECT_THAT(s.status().message(),
              HasSubstr("f.textproto: network.client_to_server.delay: "
                        "\"1\\x00ms\" is not a duration"));
}

}  // namespace
}  // namespace quicsim::scenarios

namespace quicsim::scenarios {
namespace {

constexpr char kMixed[] = R"pb(
  name: "mixed"
  client {}
  server {}
  population {
    pairs: 10
    variants { name: "plain" weight: 3 }
    variants {
      name: "alpn"
      server { fault: ALPN_MISMATCH }
      expect { outcome: CLOSED error_codes: 0x178 }
    }
  }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

TEST(ScenarioVariantsTest, PairsCycleThroughWeightedVariants) {
  absl::StatusOr<Scenario> s = ParseScenario(kMixed, "mixed.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  std::string order;
  for (int i = 0; i < 10; ++i) order += std::to_string(VariantOfPair(*s, i));
  EXPECT_EQ(order, "0001000100");
  const std::vector<Scenario> variants = ExpandVariants(*s);
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].name(), "mixed/plain");
  EXPECT_EQ(variants[0].expect().outcome(), Expectations::CONFIRMED);
  EXPECT_EQ(variants[1].server().fault(), ALPN_MISMATCH);
  EXPECT_EQ(variants[1].expect().outcome(), Expectations::CLOSED);
  EXPECT_TRUE(variants[1].population().variants().empty());
}

TEST(ScenarioVariantsTest, InvalidVariantIsNamedInTheError) {
  absl::StatusOr<Scenario> s = ParseScenario(kMixed, "mixed.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  Variant* bad = s->mutable_population()->add_variants();
  bad->set_name("bad");
  bad->mutable_expect()->set_outcome(Expectations::CLOSED);
  absl::Status status = ValidateScenario(*s, "mixed.textproto");
  EXPECT_EQ(status.message(),
            "mixed.textproto: population.variants[2] (bad): "
            "expect.error_codes: outcome CLOSED needs an error code");
}

}  // namespace
}  // namespace quicsim::scenarios
