// One set of oracle names: every value of scenario.proto's
// Expectations::Oracle is the name its oracle's file reports violations
// under, and every oracle file's name is a value of the enum.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "scenarios/oracles/amplification_limit.h"
#include "scenarios/oracles/error_propagation.h"
#include "scenarios/oracles/expectations.h"
#include "scenarios/oracles/expected_outcome.h"
#include "scenarios/oracles/handshake_time.h"
#include "scenarios/oracles/no_packet_after_draining.h"
#include "scenarios/oracles/no_packet_after_key_discard.h"
#include "scenarios/oracles/no_stall.h"
#include "scenarios/oracles/verdicts_agree.h"

namespace quicsim::scenarios::oracles {
namespace {

TEST(OracleNamesTest, EveryEnumValueHasItsOracleFile) {
  const std::pair<Expectations::Oracle, std::string> files[] = {
      {Expectations::VERDICTS_AGREE, kVerdictsAgree},
      {Expectations::EXPECTED_OUTCOME, kExpectedOutcome},
      {Expectations::HANDSHAKE_TIME, kHandshakeTime},
      {Expectations::AMPLIFICATION_LIMIT, kAmplificationLimit},
      {Expectations::NO_PACKET_AFTER_KEY_DISCARD, kNoPacketAfterKeyDiscard},
      {Expectations::NO_PACKET_AFTER_DRAINING, kNoPacketAfterDraining},
      {Expectations::NO_STALL, kNoStall},
      {Expectations::ERROR_PROPAGATION, kErrorPropagation},
  };
  std::set<int> covered;
  for (const auto& [value, name] : files) {
    EXPECT_EQ(OracleName(value), name);
    covered.insert(value);
  }
  // Every value but ORACLE_UNSPECIFIED is covered: a new oracle in the enum
  // needs its file (and its line above).
  const auto* descriptor = Expectations::Oracle_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number == Expectations::ORACLE_UNSPECIFIED) continue;
    EXPECT_TRUE(covered.count(number) == 1) << descriptor->value(i)->name();
  }
}

TEST(OracleNamesTest, EnabledByNameAndDeterminismAlways) {
  Expectations expect;
  EXPECT_TRUE(OracleEnabled(expect, kNoStall));  // empty list: all
  expect.add_oracles(Expectations::NO_STALL);
  EXPECT_TRUE(OracleEnabled(expect, kNoStall));
  EXPECT_FALSE(OracleEnabled(expect, kVerdictsAgree));
  EXPECT_TRUE(OracleEnabled(expect, kDeterminismOracle));
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
