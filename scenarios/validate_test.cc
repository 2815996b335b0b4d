// The schema-wide rules, tested field by field over the whole schema by
// reflection: every enum, string, duration and integer field of
// scenario.proto, including fields added after this test was written.
#include "scenarios/validate.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ::testing::HasSubstr;

constexpr char kMinimal[] = R"pb(
  name: "minimal"
  population { pairs: 1 }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

Scenario Minimal() {
  absl::StatusOr<Scenario> s = ParseScenario(kMinimal, "x");
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// A leaf field of the schema and the chain of message fields leading to it.
struct Leaf {
  std::vector<const FieldDescriptor*> chain;  // messages, then the leaf
  std::string path;                           // "a.b[0].c" as errors print it
};

// Every leaf field reachable from Scenario (repeated messages at index 0).
std::vector<Leaf> AllLeaves() {
  std::vector<Leaf> out;
  std::function<void(const Descriptor*, Leaf, int)> walk =
      [&](const Descriptor* d, Leaf prefix, int depth) {
        ASSERT_LT(depth, 12) << "schema recursion at " << prefix.path;
        for (int i = 0; i < d->field_count(); ++i) {
          const FieldDescriptor* f = d->field(i);
          Leaf leaf = prefix;
          leaf.chain.push_back(f);
          leaf.path = absl::StrCat(leaf.path, leaf.path.empty() ? "" : ".",
                                   f->name(), f->is_repeated() ? "[0]" : "");
          if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            walk(f->message_type(), leaf, depth + 1);
          } else {
            out.push_back(leaf);
          }
        }
      };
  walk(Scenario::descriptor(), Leaf{}, 0);
  return out;
}

// The message that holds the leaf inside `s`, created on the way.
Message* Holder(Scenario* s, const Leaf& leaf) {
  Message* m = s;
  for (size_t i = 0; i + 1 < leaf.chain.size(); ++i) {
    const FieldDescriptor* f = leaf.chain[i];
    if (f->is_repeated()) {
      Message* element =
          m->GetReflection()->FieldSize(*m, f) > 0
              ? m->GetReflection()->MutableRepeatedMessage(m, f, 0)
              : m->GetReflection()->AddMessage(m, f);
      m = element;
    } else {
      m = m->GetReflection()->MutableMessage(m, f);
    }
  }
  return m;
}

std::string ErrorOf(const Scenario& s) {
  absl::Status status = ValidateScenario(s, "x.textproto");
  return status.ok() ? "OK" : std::string(status.message());
}

TEST(SchemaWalkTest, FindsTheFieldsTheIssueNames) {
  std::vector<std::string> paths;
  for (const Leaf& l : AllLeaves()) paths.push_back(l.path);
  EXPECT_THAT(paths, testing::Contains("expect.oracles[0]"));
  EXPECT_THAT(paths,
              testing::Contains("network.phases[0].link.impairments.drops[0]"
                                ".match"));
  EXPECT_THAT(paths, testing::Contains("population.variants[0].client.fault"));
}

// Closed enums: for every enum field anywhere in the schema, a number the
// schema does not name is an error naming the field's path.
TEST(ClosedEnumTest, EveryEnumFieldRejectsUnnamedNumbers) {
  int checked = 0;
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) continue;
    for (int bad : {99, -1, std::numeric_limits<int32_t>::max()}) {
      if (f->enum_type()->FindValueByNumber(bad) != nullptr) continue;
      Scenario s = Minimal();
      Message* m = Holder(&s, leaf);
      if (f->is_repeated()) {
        m->GetReflection()->AddEnumValue(m, f, bad);
      } else {
        m->GetReflection()->SetEnumValue(m, f, bad);
      }
      EXPECT_THAT(ErrorOf(s),
                  testing::StartsWith(absl::StrFormat(
                      "x.textproto: %s: %d is not a value of %s (one of ",
                      leaf.path, bad, f->enum_type()->name())))
          << leaf.path;
      EXPECT_THAT(ErrorOf(s),
                  HasSubstr(absl::StrCat(leaf.path, ": ", bad, " is not a ")))
          << leaf.path;
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// Every string field is classified: a duration or text. A new string field
// must be added to one class in validate.cc.
TEST(StringFieldTest, EveryStringFieldIsClassified) {
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    if (f->type() != FieldDescriptor::TYPE_STRING) continue;
    EXPECT_NE(IsDurationField(*f), IsTextField(*f))
        << f->full_name()
        << ": list it in kDurationFields or kTextFields (validate.cc)";
  }
}

TEST(StringFieldTest, EveryStringFieldRejectsInvalidUtf8) {
  int checked = 0;
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    if (f->type() != FieldDescriptor::TYPE_STRING) continue;
    Scenario s = Minimal();
    Message* m = Holder(&s, leaf);
    if (f->is_repeated()) {
      m->GetReflection()->AddString(m, f, "ok\xff");
    } else {
      m->GetReflection()->SetString(m, f, "ok\xff");
    }
    EXPECT_EQ(ErrorOf(s), absl::StrCat("x.textproto: ", leaf.path,
                                       ": \"ok\\xff\" is not valid UTF-8"));
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// Every duration field: beyond the clock-derived cap is an error that
// states the limit; the cap itself is accepted by the generic rule.
TEST(DurationFieldTest, EveryDurationFieldIsRangeChecked) {
  int checked = 0;
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    if (!IsDurationField(*f)) continue;
    for (const char* text : {"3000000h", "10001h", "1e300h"}) {
      Scenario s = Minimal();
      Message* m = Holder(&s, leaf);
      if (f->is_repeated()) {
        m->GetReflection()->AddString(m, f, text);
      } else {
        m->GetReflection()->SetString(m, f, text);
      }
      const std::string error = ErrorOf(s);
      EXPECT_THAT(error, HasSubstr(absl::StrCat("x.textproto: ", leaf.path,
                                                ": \"", text, "\"")));
      if (std::string(text) != "1e300h") {
        EXPECT_THAT(error, HasSubstr("exceeds the longest duration a "
                                     "scenario may state, 10000h"));
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// Every integer field has a cap; above it is an error naming the field.
TEST(IntegerFieldTest, EveryIntegerFieldHasACap) {
  int checked = 0;
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    uint64_t type_max = 0;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_INT32:
        type_max = f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32
                       ? std::numeric_limits<uint32_t>::max()
                       : std::numeric_limits<int32_t>::max();
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
      case FieldDescriptor::CPPTYPE_INT64:
        type_max = f->cpp_type() == FieldDescriptor::CPPTYPE_UINT64
                       ? std::numeric_limits<uint64_t>::max()
                       : std::numeric_limits<int64_t>::max();
        break;
      default:
        continue;
    }
    const std::optional<uint64_t> cap = IntegerFieldCap(*f);
    ASSERT_TRUE(cap.has_value())
        << f->full_name() << ": give it a cap in kIntegerCaps (validate.cc)";
    ++checked;
    if (*cap >= type_max) continue;
    Scenario s = Minimal();
    Message* m = Holder(&s, leaf);
    const google::protobuf::Reflection* r = m->GetReflection();
    const uint64_t bad = *cap + 1;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_UINT32:
        f->is_repeated() ? r->AddUInt32(m, f, bad) : r->SetUInt32(m, f, bad);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        f->is_repeated() ? r->AddInt32(m, f, bad) : r->SetInt32(m, f, bad);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        f->is_repeated() ? r->AddUInt64(m, f, bad) : r->SetUInt64(m, f, bad);
        break;
      default:
        f->is_repeated() ? r->AddInt64(m, f, bad) : r->SetInt64(m, f, bad);
        break;
    }
    EXPECT_EQ(ErrorOf(s), absl::StrCat("x.textproto: ", leaf.path, ": ", bad,
                                       " exceeds the limit of ", *cap));
  }
  EXPECT_GE(checked, 10);
}

TEST(DoubleFieldTest, EveryDoubleFieldMustBeFinite) {
  for (const Leaf& leaf : AllLeaves()) {
    const FieldDescriptor* f = leaf.chain.back();
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_DOUBLE) continue;
    Scenario s = Minimal();
    Message* m = Holder(&s, leaf);
    if (f->is_repeated()) {
      m->GetReflection()->AddDouble(m, f, std::nan(""));
    } else {
      m->GetReflection()->SetDouble(m, f, std::nan(""));
    }
    EXPECT_THAT(ErrorOf(s), HasSubstr(absl::StrCat(leaf.path, ": ")))
        << leaf.path;
  }
}

TEST(Utf8Test, AcceptsWellFormedRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("h3 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("a\x80"));             // stray continuation
}

TEST(PairStartOffsetTest, SaturatesInsteadOfWrapping) {
  Scenario s = Minimal();
  s.mutable_population()->set_start_spacing("10000h");
  EXPECT_EQ(PairStartOffset(s, 0), sim::Duration::Zero());
  EXPECT_EQ(PairStartOffset(s, 2),
            sim::Duration::Seconds(int64_t{20000} * 3600));
  EXPECT_TRUE(PairStartOffset(s, uint64_t{1} << 40).IsInfinite());
  EXPECT_GT(PairStartOffset(s, 255), PairStartOffset(s, 254));
}

TEST(SaturatingAddTest, NeverWraps) {
  const sim::Duration big =
      sim::Duration::Nanos(std::numeric_limits<int64_t>::max() - 5);
  EXPECT_TRUE(SaturatingAdd(big, sim::Duration::Nanos(10)).IsInfinite());
  EXPECT_EQ(SaturatingAdd(sim::Duration::Nanos(3), sim::Duration::Nanos(4)),
            sim::Duration::Nanos(7));
}

}  // namespace
}  // namespace quicsim::scenarios
