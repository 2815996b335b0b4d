// JUnit XML for CI front-ends: one <testcase name="seed_<n>"> per seed a
// suite shard ran, a <failure> for each failing seed carrying its summary
// line and where its trace is. Bazel reads the file a test writes to
// $XML_OUTPUT_FILE instead of generating its own one-testcase test.xml.
#ifndef QUICSIM_TOOLS_QUICSIM_JUNIT_H_
#define QUICSIM_TOOLS_QUICSIM_JUNIT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scenarios/runner/seed_result.h"
#include "tools/quicsim/sharding.h"

namespace quicsim::tools {

// One test case (one seed).
struct JUnitCase {
  std::string name;       // "seed_17"
  std::string classname;  // the suite (Bazel target or scenario name)
  double seconds = 0;     // CPU time spent on the seed
  bool failed = false;
  std::string message;  // <failure message="...">: one line
  std::string details;  // the <failure> element's text
};

// `s` as XML 1.0 character data (attribute = true: for a double-quoted
// attribute value, with tabs and line breaks as character references).
// Whatever the bytes: markup characters become entities, valid UTF-8 of
// characters XML 1.0 allows is kept, and every other byte (controls,
// invalid or overlong UTF-8, surrogates, U+FFFE/U+FFFF) is shown as the
// text "\xNN".
std::string XmlEscape(absl::string_view s, bool attribute);

// The whole document: <testsuites><testsuite name=suite ...> with the cases
// in order.
std::string BuildJUnitXml(absl::string_view suite,
                          const std::vector<JUnitCase>& cases);

// One line saying why a seed failed: its first failing pair's first
// violation and both verdicts, and how many more violations there are,
// e.g. "pair 1: handshake_time: client took 1.059s, bound 100ms (client
// CONFIRMED after 1.059s, server CONFIRMED after 1.039s; 1 more violation)".
// Empty when no pair failed.
std::string SeedFailureLine(const scenarios::SeedResult& result);

// Every violation of every failing pair with its verdicts, one per line.
std::string SeedFailureDetails(const scenarios::SeedResult& result);

// Where a trace written to TEST_UNDECLARED_OUTPUTS_DIR ends up after
// `bazel test`: "bazel-testlogs/<package>/<test>[/shard_<i+1>_of_<n>]/
// test.outputs/<file>" from TEST_TARGET and the shard; the plain file name
// when TEST_TARGET is unset.
std::string UndeclaredOutputPath(EnvLookup getenv, const ShardSpec& shard,
                                 absl::string_view trace_file);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_JUNIT_H_
