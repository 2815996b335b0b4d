#include "tools/quicsim/junit.h"

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace quicsim::tools {

using scenarios::OracleViolation;
using scenarios::PairResult;
using scenarios::SeedResult;
using scenarios::Verdict;
using scenarios::VerdictKind;
using scenarios::VerdictKindName;
namespace {

bool XmlAllowed(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Length of the valid UTF-8 sequence at s[i] (shortest form, no
// surrogates, at most U+10FFFF) and its code point; 0 when invalid.
size_t DecodeUtf8(absl::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  size_t n;
  uint32_t min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, *cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, *cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(i + k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

std::string VerdictText(const Verdict& v) {
  std::string out = VerdictKindName(v.kind);
  if (v.closed()) absl::StrAppend(&out, absl::StrFormat(" 0x%x", v.error_code));
  if (v.kind != VerdictKind::kNone) {
    absl::StrAppend(&out, " after ", v.handshake_time.ToString());
  }
  return out;
}

}  // namespace

std::string XmlEscape(absl::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0 || !XmlAllowed(cp)) {
      absl::StrAppend(&out,
                      absl::StrFormat("\\x%02x", static_cast<uint8_t>(s[i])));
      ++i;
      continue;
    }
    switch (cp) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";  // a raw CR would be normalised away
        break;
      default:
        out.append(s.data() + i, n);
    }
    i += n;
  }
  return out;
}

std::string BuildJUnitXml(absl::string_view suite,
                          const std::vector<JUnitCase>& cases) {
  int failures = 0;
  double seconds = 0;
  for (const JUnitCase& c : cases) {
    failures += c.failed ? 1 : 0;
    seconds += c.seconds;
  }
  const std::string name = XmlEscape(suite, true);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  absl::StrAppendFormat(
      &out,
      "<testsuites tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">\n"
      "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
      "skipped=\"0\" time=\"%.3f\">\n",
      cases.size(), failures, seconds, name, cases.size(), failures, seconds);
  for (const JUnitCase& c : cases) {
    absl::StrAppendFormat(
        &out, "    <testcase name=\"%s\" classname=\"%s\" time=\"%.3f\"",
        XmlEscape(c.name, true), XmlEscape(c.classname, true), c.seconds);
    if (!c.failed) {
      out += "/>\n";
      continue;
    }
    absl::StrAppendFormat(
        &out,
        ">\n      <failure message=\"%s\" type=\"quicsim.OracleViolation\">"
        "%s</failure>\n    </testcase>\n",
        XmlEscape(c.message, true), XmlEscape(c.details, false));
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string SeedFailureLine(const SeedResult& result) {
  const PairResult* first = nullptr;
  size_t violations = 0;
  for (const PairResult& pair : result.pairs) {
    if (pair.violations.empty()) continue;
    if (first == nullptr) first = &pair;
    violations += pair.violations.size();
  }
  if (first == nullptr) return "";
  const OracleViolation& v = first->violations.front();
  std::string line = absl::StrCat(
      "pair ", first->pair_index, ": ", v.oracle, ": ", v.detail, " (client ",
      VerdictText(first->client), ", server ", VerdictText(first->server));
  if (violations > 1) {
    absl::StrAppend(&line, "; ", violations - 1, " more violation",
                    violations > 2 ? "s" : "");
  }
  line += ")";
  // One line, whatever the details hold.
  return absl::StrReplaceAll(line, {{"\r", " "}, {"\n", " "}});
}

std::string SeedFailureDetails(const SeedResult& result) {
  std::string out;
  for (const PairResult& pair : result.pairs) {
    if (pair.violations.empty()) continue;
    absl::StrAppend(&out, "pair ", pair.pair_index, ": client ",
                    VerdictText(pair.client), ", server ",
                    VerdictText(pair.server), "\n");
    for (const OracleViolation& v : pair.violations) {
      absl::StrAppend(&out, "  VIOLATED ", v.oracle, ": ", v.detail, "\n");
    }
  }
  return out;
}

std::string UndeclaredOutputPath(EnvLookup getenv, const ShardSpec& shard,
                                 absl::string_view trace_file) {
  const char* target = getenv("TEST_TARGET");
  if (target == nullptr || *target == '\0') return std::string(trace_file);
  absl::string_view t = target;
  // "@repo//pkg:name" or "//pkg:name" -> "pkg/name".
  if (const size_t slashes = t.find("//"); slashes != absl::string_view::npos) {
    t.remove_prefix(slashes + 2);
  }
  std::string path = absl::StrReplaceAll(t, {{":", "/"}});
  if (absl::StartsWith(path, "/")) path.erase(0, 1);
  std::string shard_dir;
  if (shard.total > 1) {
    shard_dir = absl::StrCat("/shard_", shard.index + 1, "_of_", shard.total);
  }
  return absl::StrCat("bazel-testlogs/", path, shard_dir, "/test.outputs/",
                      trace_file);
}

}  // namespace quicsim::tools
