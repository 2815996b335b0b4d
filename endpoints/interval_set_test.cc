#include "endpoints/interval_set.h"

#include <vector>

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

std::vector<Interval> All(const IntervalSet& s) {
  return std::vector<Interval>(s.begin(), s.end());
}

TEST(IntervalSetTest, AddMergesAdjacentAndOverlapping) {
  IntervalSet s;
  s.Add(10, 20);
  s.Add(30, 40);
  s.Add(0, 5);
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 5}, {10, 20}, {30, 40}}));
  s.Add(20, 30);  // bridges the two upper intervals exactly
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 5}, {10, 40}}));
  s.Add(3, 12);  // overlaps both
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 40}}));
  s.Add(5, 5);  // empty
  EXPECT_EQ(s.size(), 1u);
}

TEST(IntervalSetTest, InsertBetweenWithoutTouching) {
  IntervalSet s;
  s.Add(0, 2);
  s.Add(10, 12);
  s.Add(5, 6);
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 2}, {5, 6}, {10, 12}}));
}

TEST(IntervalSetTest, RemoveSplitsTrimsAndDeletes) {
  IntervalSet s;
  s.Add(0, 100);
  s.Remove(10, 20);
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 10}, {20, 100}}));
  s.Remove(5, 25);
  EXPECT_EQ(All(s), (std::vector<Interval>{{0, 5}, {25, 100}}));
  s.Remove(0, 5);
  EXPECT_EQ(All(s), (std::vector<Interval>{{25, 100}}));
  s.Remove(90, 200);
  EXPECT_EQ(All(s), (std::vector<Interval>{{25, 90}}));
}

TEST(IntervalSetTest, ContainsCoversRemoveBelow) {
  IntervalSet s;
  s.Add(5, 10);
  s.Add(20, 30);
  EXPECT_FALSE(s.Contains(4));
  EXPECT_TRUE(s.Contains(5));
  EXPECT_TRUE(s.Contains(9));
  EXPECT_FALSE(s.Contains(10));
  EXPECT_TRUE(s.Covers(21, 30));
  EXPECT_FALSE(s.Covers(8, 21));
  EXPECT_TRUE(s.Covers(7, 7));
  s.RemoveBelow(25);
  EXPECT_EQ(All(s), (std::vector<Interval>{{25, 30}}));
}

}  // namespace
}  // namespace quicsim::endpoints
