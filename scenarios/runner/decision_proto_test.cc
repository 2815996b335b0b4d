#include "scenarios/runner/decision_proto.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::scenarios {
namespace {

TEST(DecisionConversionTest, RoundTripsWithOneBasedIndices) {
  trace::NetworkDecision d;
  d.set_link("pair/2/s2c");
  d.set_index(4);
  d.set_action(trace::NetworkDecision::CORRUPT);
  d.set_reason("corrupt");
  d.mutable_params()->add_bit_positions(17);
  std::optional<sim::Decision> s = DecisionFromProto(d);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->index, 3u);
  EXPECT_EQ(s->action, sim::Action::kCorrupt);
  EXPECT_EQ(s->bits, std::vector<uint32_t>{17});
  std::optional<trace::NetworkDecision> back = DecisionToProto(*s);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->SerializeAsString(), d.SerializeAsString());
  d.set_index(0);  // not a valid 1-based index
  EXPECT_FALSE(DecisionFromProto(d).has_value());
}

TEST(DecisionConversionTest, EveryActionRoundTrips) {
  for (const auto action :
       {trace::NetworkDecision::DROP, trace::NetworkDecision::DUPLICATE,
        trace::NetworkDecision::REORDER, trace::NetworkDecision::CORRUPT}) {
    trace::NetworkDecision d;
    d.set_link("c2s");
    d.set_index(1);
    d.set_action(action);
    d.set_reason("r");
    if (action == trace::NetworkDecision::DUPLICATE) {
      d.mutable_params()->set_copies(2);
    } else if (action == trace::NetworkDecision::REORDER) {
      d.mutable_params()->set_extra_delay_ns(5000000);
    } else if (action == trace::NetworkDecision::CORRUPT) {
      d.mutable_params()->add_bit_positions(3);
    }
    std::optional<sim::Decision> s = DecisionFromProto(d);
    ASSERT_TRUE(s.has_value()) << action;
    EXPECT_EQ(s->index, 0u);
    std::optional<trace::NetworkDecision> back = DecisionToProto(*s);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->SerializeAsString(), d.SerializeAsString()) << action;
  }
  trace::NetworkDecision unspecified;
  unspecified.set_index(1);
  EXPECT_FALSE(DecisionFromProto(unspecified).has_value());
}

}  // namespace
}  // namespace quicsim::scenarios
