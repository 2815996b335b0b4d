#include "tools/quicsim/trace_io.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace quicsim::tools {
namespace {

using ::testing::HasSubstr;

std::string TmpDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  return names;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

trace::Trace SampleTrace() {
  trace::Trace t;
  t.mutable_scenario()->set_name("sample");
  t.set_seed(42);
  t.set_pair_index(1);
  t.mutable_build()->set_version("v");
  trace::Event* e = t.add_events();
  e->set_time_ns(1500000);
  e->set_pair(1);
  e->set_actor("link/pair/1/c2s");
  e->set_kind("drop");
  e->mutable_decision()->set_link("pair/1/c2s");
  e->mutable_decision()->set_index(3);
  e->mutable_decision()->set_action(trace::NetworkDecision::DROP);
  e->mutable_decision()->set_reason("bernoulli");
  return t;
}

TEST(TraceIoTest, RoundTrip) {
  const std::string path = TmpDir("roundtrip") + "/a.trace";
  ASSERT_TRUE(WriteTraceFile(path, SampleTrace()).ok());
  absl::StatusOr<trace::Trace> back = ReadTraceFile(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), SampleTrace().SerializeAsString());
  EXPECT_TRUE(absl::StartsWith(ReadAll(path), "quicsim-trace v1 len="));
}

TEST(TraceIoTest, AtomicWriteLeavesNoTemporaryFile) {
  const std::string dir = TmpDir("atomic");
  ASSERT_TRUE(WriteTraceFile(dir + "/x.trace", SampleTrace()).ok());
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"x.trace"});
}

TEST(TraceIoTest, FailedWriteLeavesNothingAndKeepsTheOldFile) {
  const std::string dir = TmpDir("failed");
  // The target is a non-empty directory: rename must fail.
  const std::string target = dir + "/occupied";
  mkdir(target.c_str(), 0755);
  std::ofstream(target + "/keep") << "x";
  EXPECT_FALSE(WriteFileAtomically(target, "new contents").ok());
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"occupied"});
  EXPECT_EQ(ReadAll(target + "/keep"), "x");
  // A missing directory: nothing can be created.
  EXPECT_FALSE(WriteFileAtomically(dir + "/missing/x.trace", "y").ok());
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"occupied"});
}

TEST(TraceIoTest, TruncatedFileIsReported) {
  const std::string good = EncodeTrace(SampleTrace());
  const std::string truncated = good.substr(0, good.size() - 5);
  absl::StatusOr<trace::Trace> t = DecodeTrace(truncated, "t.trace");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(),
              HasSubstr("t.trace: truncated trace: the header announces"));
  // Cut inside the header line.
  t = DecodeTrace(good.substr(0, 20), "t.trace");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("header line is incomplete"));
}

TEST(TraceIoTest, ForeignFileIsReported) {
  absl::StatusOr<trace::Trace> t =
      DecodeTrace("PK\x03\x04 some zip file", "f.trace");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "f.trace: not a quicsim trace (it does not start with "
            "\"quicsim-trace v1\")");
  t = DecodeTrace("", "f.trace");
  EXPECT_THAT(t.status().message(), HasSubstr("empty file"));
  t = DecodeTrace("quicsim-trace v9 len=0 sha256=x\n", "f.trace");
  EXPECT_THAT(t.status().message(),
              HasSubstr("unsupported trace version \"v9\""));
}

TEST(TraceIoTest, CorruptPayloadIsReported) {
  std::string good = EncodeTrace(SampleTrace());
  good[good.size() - 3] ^= 0x40;
  absl::StatusOr<trace::Trace> t = DecodeTrace(good, "c.trace");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("SHA-256 does not match"));
  t = DecodeTrace(EncodeTrace(SampleTrace()) + "zz", "c.trace");
  EXPECT_THAT(t.status().message(), HasSubstr("2 unexpected bytes"));
}

TEST(TraceIoTest, MissingFile) {
  absl::StatusOr<trace::Trace> t = ReadTraceFile("/nonexistent/x.trace");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "/nonexistent/x.trace: cannot open trace file");
}

TEST(TraceIoTest, RendersEventsAndDecisions) {
  const std::string text = RenderTrace(SampleTrace());
  EXPECT_THAT(text, HasSubstr("seed:        42"));
  EXPECT_THAT(text, HasSubstr("DROP pair/1/c2s#3 (bernoulli)"));
  EXPECT_THAT(text, HasSubstr("0.001500000s"));
}

TEST(TraceIoTest, Sha256KnownAnswer) {
  // FIPS 180-2 example "abc".
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace quicsim::tools
