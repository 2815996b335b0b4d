#include "sim/trace.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

constexpr char kEmptySha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Reference digests computed with Python's hashlib over
// BE64(ns) || BE32(len) actor || BE32(len) kind || BE32(len) details.
TEST(TraceRecorderTest, DigestMatchesSpecifiedEncoding) {
  TraceRecorder rec;
  EXPECT_EQ(rec.DigestHex(), kEmptySha256);
  rec.Record(Time::FromNanos(1500), "a", "k", "d");
  EXPECT_EQ(rec.DigestHex(),
            "973576ca8018466df8927ae1688a84c12bc8dee0c04de25b09fcf05fef35b370");
  rec.Record(Time::FromNanos(2000000000), "c2s", "drop",
             "index=3 action=drop reason=bernoulli");
  EXPECT_EQ(rec.DigestHex(),
            "a114cb8bf169ea6d59b1cd4683f9ff75847b8e1c2d6a87f75f107dbb6158b566");
  EXPECT_EQ(rec.count(), 2u);
  ASSERT_EQ(rec.events().size(), 2u);
  EXPECT_EQ(rec.events()[1].ToString(),
            "2.000000000s c2s drop index=3 action=drop reason=bernoulli");
}

TEST(TraceRecorderTest, FieldBoundariesMatter) {
  TraceRecorder a, b;
  a.Record(Time::Zero(), "ab", "c", "");
  b.Record(Time::Zero(), "a", "bc", "");
  EXPECT_NE(a.DigestHex(), b.DigestHex());
}

TEST(TraceRecorderTest, DisabledRecordsNothing) {
  TraceRecorder rec;
  rec.set_enabled(false);
  EXPECT_FALSE(TraceOn(&rec));
  EXPECT_FALSE(TraceOn(nullptr));
  rec.Record(Time::Zero(), "a", "k", "d");
  EXPECT_EQ(rec.count(), 0u);
  EXPECT_TRUE(rec.events().empty());
  EXPECT_EQ(rec.DigestHex(), kEmptySha256);
}

TEST(TraceRecorderTest, DigestOnlyModeAndListener) {
  TraceRecorder::Options options;
  options.keep_events = false;
  TraceRecorder rec(options);
  std::vector<std::string> lines;
  rec.set_listener([&](const TraceEvent& e) { lines.push_back(e.ToString()); });
  rec.Record(Time::FromNanos(1500), "a", "k", "d");
  EXPECT_TRUE(rec.events().empty());
  EXPECT_EQ(rec.count(), 1u);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "0.000001500s a k d");
  EXPECT_EQ(rec.DigestHex(),
            "973576ca8018466df8927ae1688a84c12bc8dee0c04de25b09fcf05fef35b370");
}

// A typed record for the test: one number.
struct NumberRecord final : TypedRecord {
  explicit NumberRecord(int v) : value(v) {}
  std::unique_ptr<TypedRecord> Clone() const override {
    return std::make_unique<NumberRecord>(*this);
  }
  int value;
};

TEST(TraceRecorderTest, KeepsACopyOfTheTypedRecordOutsideTheDigest) {
  TraceRecorder with_record;
  TraceRecorder text_only;
  {
    NumberRecord record(7);
    with_record.Record(Time::Zero(), "a", "k", "v=7", &record);
    record.value = 8;  // the recorder kept its own copy
  }
  text_only.Record(Time::Zero(), "a", "k", "v=7");
  ASSERT_EQ(with_record.events().size(), 1u);
  const auto* kept =
      dynamic_cast<const NumberRecord*>(with_record.events()[0].typed.get());
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->value, 7);
  EXPECT_EQ(text_only.events()[0].typed, nullptr);
  // The digest hashes the text only: the record is what the text says.
  EXPECT_EQ(with_record.DigestHex(), text_only.DigestHex());
}

}  // namespace
}  // namespace quicsim::sim
