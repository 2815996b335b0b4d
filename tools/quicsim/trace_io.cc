#include "tools/quicsim/trace_io.h"

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "sim/time.h"

namespace quicsim::tools {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path,
                        int err) {
  return absl::UnavailableError(
      absl::StrCat(path, ": ", what, ": ", std::strerror(err)));
}

// The directory part of `path`, for fsync after rename.
std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string DecisionText(const trace::NetworkDecision& d) {
  std::string out = absl::StrFormat(
      "%s %s#%d (%s)", trace::NetworkDecision::Action_Name(d.action()),
      d.link(), d.index(), d.reason());
  if (d.params().extra_delay_ns() != 0) {
    absl::StrAppend(
        &out, " +",
        sim::Duration::Nanos(d.params().extra_delay_ns()).ToString());
  }
  if (d.params().bit_positions_size() > 0) {
    absl::StrAppend(&out,
                    " bits=", absl::StrJoin(d.params().bit_positions(), ","));
  }
  if (d.params().copies() != 0) {
    absl::StrAppend(&out, " copies=", d.params().copies());
  }
  return out;
}

std::string SideText(const trace::SideVerdict& v) {
  std::string out = trace::SideVerdict::Kind_Name(v.kind());
  if (v.kind() == trace::SideVerdict::CLOSED_SENT ||
      v.kind() == trace::SideVerdict::CLOSED_RECEIVED ||
      v.kind() == trace::SideVerdict::ABORTED || v.error_code() != 0) {
    absl::StrAppend(&out, absl::StrFormat(" 0x%x", v.error_code()));
  }
  if (v.kind() != trace::SideVerdict::NONE) {
    absl::StrAppend(&out, " after ",
                    sim::Duration::Nanos(v.handshake_time_ns()).ToString());
  }
  return out;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string EncodeTrace(const trace::Trace& trace) {
  std::string payload;
  {
    google::protobuf::io::StringOutputStream stream(&payload);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    trace.SerializeToCodedStream(&coded);
  }
  return absl::StrCat(kTraceMagic, "len=", payload.size(),
                      " sha256=", Sha256Hex(payload), "\n", payload);
}

absl::StatusOr<trace::Trace> DecodeTrace(absl::string_view contents,
                                         absl::string_view name) {
  auto error = [&](absl::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", message));
  };
  if (contents.empty()) return error("empty file, not a quicsim trace");
  if (!absl::StartsWith(contents, "quicsim-trace ")) {
    return error(
        "not a quicsim trace (it does not start with \"quicsim-trace v1\")");
  }
  const size_t newline = contents.find('\n');
  if (newline == absl::string_view::npos || newline > 200) {
    return error("truncated trace: the header line is incomplete");
  }
  const absl::string_view header = contents.substr(0, newline);
  if (!absl::StartsWith(header, kTraceMagic)) {
    std::vector<absl::string_view> words = absl::StrSplit(header, ' ');
    return error(absl::StrCat("unsupported trace version \"",
                              words.size() > 1 ? words[1] : "",
                              "\" (this build reads v1)"));
  }
  std::vector<absl::string_view> fields =
      absl::StrSplit(header.substr(kTraceMagic.size()), ' ');
  uint64_t length = 0;
  absl::string_view sha;
  if (fields.size() != 2 || !absl::StartsWith(fields[0], "len=") ||
      !absl::SimpleAtoi(fields[0].substr(4), &length) ||
      !absl::StartsWith(fields[1], "sha256=")) {
    return error("corrupt trace header");
  }
  sha = fields[1].substr(7);
  const absl::string_view payload = contents.substr(newline + 1);
  if (payload.size() < length) {
    return error(absl::StrFormat(
        "truncated trace: the header announces %d bytes, the file holds %d",
        length, payload.size()));
  }
  if (payload.size() > length) {
    return error(
        absl::StrFormat("corrupt trace: %d unexpected bytes after the payload",
                        payload.size() - length));
  }
  if (Sha256Hex(payload) != sha) {
    return error("corrupt trace: the payload's SHA-256 does not match");
  }
  trace::Trace trace;
  if (!trace.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return error(
        "corrupt trace: the payload does not parse as a trace (wrong "
        "structure, or a string that is not UTF-8)");
  }
  return trace;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  const int fd =
      open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot create", tmp, errno);
  auto fail = [&](absl::string_view what) {
    const int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return ErrnoError(what, tmp, err);
  };
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail("fsync failed");
  if (close(fd) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return ErrnoError("close failed", tmp, err);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return ErrnoError("cannot rename over", path, err);
  }
  // Make the rename itself durable; failure here loses nothing written.
  const int dir = open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
  return absl::OkStatus();
}

absl::Status WriteTraceFile(const std::string& path,
                            const trace::Trace& trace) {
  // Round-trip guarantee: a trace that would not read back (a string field
  // that is not UTF-8, say) is not written at all.
  const std::string contents = EncodeTrace(trace);
  if (absl::StatusOr<trace::Trace> back = DecodeTrace(contents, path);
      !back.ok()) {
    return absl::InternalError(absl::StrCat(
        path,
        ": not written, it would not read back: ", back.status().message()));
  }
  return WriteFileAtomically(path, contents);
}

absl::StatusOr<trace::Trace> ReadTraceFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot open trace file"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return DecodeTrace(contents.str(), path);
}

std::string RenderEvent(const trace::Event& event) {
  std::string out = absl::StrFormat(
      "%16s  %-18s %-8s %s", sim::Time::FromNanos(event.time_ns()).ToString(),
      event.actor(), event.kind(), event.details());
  if (event.has_decision()) {
    absl::StrAppend(&out, event.details().empty() ? "" : " ", "[",
                    DecisionText(event.decision()), "]");
  }
  return out;
}

std::string RenderTrace(const trace::Trace& trace) {
  std::string out;
  absl::StrAppend(&out, "scenario:    ", trace.scenario().name(), " (",
                  trace.scenario_path(), ")\n");
  absl::StrAppend(&out, "seed:        ", trace.seed(), "\n");
  absl::StrAppend(&out, "pair:        ", trace.pair_index(), "\n");
  absl::StrAppend(&out, "build:       ", trace.build().version(),
                  ", BoringSSL API ", trace.build().boringssl_api_version(),
                  ", runner ", trace.build().runner(), "\n");
  absl::StrAppend(&out, "determinism: ",
                  trace::DeterminismLevel_Name(trace.determinism()), "\n");
  absl::StrAppend(&out, "digests:     events ", trace.digests().events());
  if (!trace.digests().wire().empty()) {
    absl::StrAppend(&out, ", wire ", trace.digests().wire());
  }
  absl::StrAppend(&out, "\n");
  if (trace.scripted()) {
    absl::StrAppend(&out, "script:      ", trace.script_size(),
                    " network decisions\n");
    for (const trace::NetworkDecision& d : trace.script()) {
      absl::StrAppend(&out, "  ", DecisionText(d), "\n");
    }
  }
  absl::StrAppend(&out, "verdicts:\n");
  for (const trace::PairVerdict& v : trace.verdicts()) {
    absl::StrAppend(&out, "  pair ", v.pair(), ": client ",
                    SideText(v.client()), "; server ", SideText(v.server()),
                    "\n");
    for (const trace::OracleViolation& o : v.violations()) {
      absl::StrAppend(&out, "    VIOLATED ", o.oracle(), ": ", o.detail(),
                      "\n");
    }
  }
  absl::StrAppend(&out, "events (", trace.events_size(), "):\n");
  for (const trace::Event& e : trace.events()) {
    absl::StrAppend(&out, RenderEvent(e), "\n");
  }
  std::string scenario_text;
  google::protobuf::TextFormat::PrintToString(trace.scenario(), &scenario_text);
  absl::StrAppend(&out, "scenario text:\n", scenario_text);
  return out;
}

}  // namespace quicsim::tools
