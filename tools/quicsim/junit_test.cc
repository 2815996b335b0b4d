#include "tools/quicsim/junit.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace quicsim::tools {

using scenarios::PairResult;
using scenarios::SeedResult;
using scenarios::VerdictKind;
namespace {

TEST(XmlEscapeTest, MarkupAndWhitespace) {
  EXPECT_EQ(XmlEscape("a<b>&\"'c", false), "a&lt;b&gt;&amp;&quot;&apos;c");
  EXPECT_EQ(XmlEscape("x\ty\nz\r", true), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(XmlEscape("x\ty\nz\r", false), "x\ty\nz&#13;");
}

TEST(XmlEscapeTest, ValidUtf8KeptEverythingElseShownAsBytes) {
  EXPECT_EQ(XmlEscape("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80", false),
            "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80");
  EXPECT_EQ(XmlEscape(std::string("a\0b", 3), false), "a\\x00b");
  EXPECT_EQ(XmlEscape("\x01\x1f\x7f", false), "\\x01\\x1f\x7f");
  EXPECT_EQ(XmlEscape("\xff\xfe", false), "\\xff\\xfe");
  EXPECT_EQ(XmlEscape("\xc0\xaf", false), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(XmlEscape("\xed\xa0\x80", false), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(XmlEscape("\xef\xbf\xbe", false), "\\xef\\xbf\\xbe");  // U+FFFE
  EXPECT_EQ(XmlEscape("\xf4\x90\x80\x80", false),
            "\\xf4\\x90\\x80\\x80");                      // > U+10FFFF
  EXPECT_EQ(XmlEscape("\xe2\x86", false), "\\xe2\\x86");  // truncated
}

SeedResult FailingSeed(uint64_t seed, const std::string& detail) {
  SeedResult r;
  r.seed = seed;
  PairResult ok;
  ok.pair_index = 0;
  ok.client.kind = ok.server.kind = VerdictKind::kConfirmed;
  PairResult bad;
  bad.pair_index = 1;
  bad.client.kind = VerdictKind::kClosedSent;
  bad.client.error_code = 0x178;
  bad.server.kind = VerdictKind::kTimedOut;
  bad.violations.push_back({"verdicts_agree", detail});
  bad.violations.push_back({"expected_outcome", "wanted CONFIRMED"});
  r.pairs = {ok, bad};
  return r;
}

TEST(JUnitTest, FailureLineNamesPairOracleVerdictsAndRest) {
  const std::string line = SeedFailureLine(FailingSeed(3, "one\nside"));
  EXPECT_EQ(line,
            "pair 1: verdicts_agree: one side (client CLOSED_SENT 0x178 after "
            "0, server TIMED_OUT after 0; 1 more violation)");
  SeedResult passing;
  passing.pairs.resize(2);
  EXPECT_EQ(SeedFailureLine(passing), "");
  EXPECT_NE(SeedFailureDetails(FailingSeed(3, "x"))
                .find("VIOLATED expected_outcome: wanted CONFIRMED"),
            std::string::npos);
}

TEST(JUnitTest, UndeclaredOutputPathFollowsBazelTestlogs) {
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "TEST_TARGET" ? "//scenarios:loss_suite_test"
                                              : nullptr;
  };
  EXPECT_EQ(UndeclaredOutputPath(env, {0, 1, ""}, "x-seed3.trace"),
            "bazel-testlogs/scenarios/loss_suite_test/test.outputs/"
            "x-seed3.trace");
  EXPECT_EQ(UndeclaredOutputPath(env, {1, 3, ""}, "x-seed3.trace"),
            "bazel-testlogs/scenarios/loss_suite_test/shard_2_of_3/"
            "test.outputs/x-seed3.trace");
  auto none = [](const char*) -> const char* { return nullptr; };
  EXPECT_EQ(UndeclaredOutputPath(none, {0, 1, ""}, "f.trace"), "f.trace");
}

// Python's XML parser accepts the document and reads back each case.
std::string ParseWithPython(const std::string& xml) {
  const std::string dir = std::getenv("TEST_TMPDIR") != nullptr
                              ? std::getenv("TEST_TMPDIR")
                              : "/tmp";
  const std::string path = absl::StrCat(dir, "/junit.xml");
  std::ofstream(path, std::ios::binary) << xml;
  const std::string cmd = absl::StrCat(
      "python3 -c '\n"
      "import sys, xml.etree.ElementTree as ET\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "for c in root.iter(\"testcase\"):\n"
      "  f = c.find(\"failure\")\n"
      "  print(c.get(\"name\"), \"FAIL\" if f is not None else \"ok\","
      " len(f.get(\"message\")) if f is not None else 0)\n"
      "' ",
      path, " 2>&1");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST(JUnitTest, AnyBytesGiveXmlPythonParses) {
  std::mt19937_64 rng(16);
  std::vector<JUnitCase> cases;
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  for (int i = 0; i < 40; ++i) {
    JUnitCase c;
    c.name = absl::StrCat("seed_", i);
    c.classname = i == 0 ? all_bytes : "//x:y";
    c.failed = i % 2 == 1;
    std::string junk;
    const int len = static_cast<int>(rng() % 300);
    for (int k = 0; k < len; ++k) junk.push_back(static_cast<char>(rng()));
    if (i == 1) junk = all_bytes + "]]></failure><x y=\"";
    c.message = junk;
    c.details = junk + "\n" + all_bytes;
    cases.push_back(c);
  }
  const std::string xml = BuildJUnitXml(all_bytes, cases);
  const std::string parsed = ParseWithPython(xml);
  // Every case is read back, in order, with its verdict.
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = parsed.find('\n', start)) != std::string::npos;
       start = nl + 1) {
    lines.push_back(parsed.substr(start, nl - start));
  }
  ASSERT_EQ(lines.size(), cases.size()) << parsed;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string prefix =
        absl::StrCat(cases[i].name, cases[i].failed ? " FAIL" : " ok");
    EXPECT_EQ(lines[i].rfind(prefix, 0), 0u) << lines[i];
  }
}

TEST(JUnitTest, PlainTextRoundTrips) {
  JUnitCase c;
  c.name = "seed_7";
  c.classname = "s";
  c.failed = true;
  c.message = "pair 0: a <b> & \"c\" 'd' \t caf\xc3\xa9";
  c.details = "x";
  const std::string xml = BuildJUnitXml("s", {c});
  const std::string parsed = ParseWithPython(xml);
  // Python counts characters: the message has 30 code points.
  EXPECT_EQ(parsed, "seed_7 FAIL 30\n");
}

}  // namespace
}  // namespace quicsim::tools
