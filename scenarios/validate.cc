#include "scenarios/validate.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kPackage = "quicsim.scenarios.";

struct Cap {
  const char* field;  // without the package prefix
  uint64_t max;
};

// The cap of every integer field of the schema. Most are far above any
// meaningful value; they exist so that no count can reach an allocation, a
// loop or an arithmetic overflow unbounded.
constexpr Cap kIntegerCaps[] = {
    {"LinkSpec.bandwidth_bps", uint64_t{1} << 50},
    {"LinkSpec.queue_limit_packets", uint64_t{1} << 24},
    {"LinkSpec.queue_limit_bytes", uint64_t{1} << 40},
    {"LinkSpec.mtu", 65535},
    {"Impairments.loss_max_burst", uint64_t{1} << 24},
    {"ScriptedDrop.nth", uint64_t{1} << 48},
    {"ScriptedDrop.count", uint64_t{1} << 24},
    // Positions are drawn distinct by rejection: k must stay small.
    {"Corrupt.bits", 256},
    {"Corrupt.max_burst", uint64_t{1} << 24},
    {"CertificateSpec.chain_length", 16},
    {"CertificateSpec.leaf_padding_bytes", 16384},
    {"EndpointConfig.max_udp_payload_size", 65527},
    {"EndpointConfig.fault_alert", 255},
    {"Population.pairs", kMaxPairsPerSeed},
    {"Variant.weight", kMaxTotalVariantWeight},
    {"Seeds.count", kMaxSeedsPerRun},
    {"Seeds.base", std::numeric_limits<uint64_t>::max()},
    // QUIC error codes are varints: at most 2^62 - 1.
    {"Expectations.error_codes", (uint64_t{1} << 62) - 1},
    {"Limits.max_events", std::numeric_limits<uint64_t>::max()},
};

// String fields holding an absl::ParseDuration duration.
constexpr const char* kDurationFields[] = {
    "LinkSpec.delay",
    "LinkSpec.jitter",
    "Blackhole.start",
    "Blackhole.end",
    "Reorder.extra_delay",
    "Phase.at",
    "EndpointConfig.idle_timeout",
    "Population.start_spacing",
    "Expectations.max_handshake_time",
    "Limits.max_virtual_time",
};

// String fields holding names or free text (UTF-8 is their only generic
// rule; the semantic validator checks the rest).
constexpr const char* kTextFields[] = {
    "Scenario.name",
    "Scenario.description",
    "EndpointConfig.alpn",
    "EndpointConfig.server_name",
    "EndpointConfig.cipher_suites",
    "EndpointConfig.groups",
    "Variant.name",
};

absl::string_view ShortName(const FieldDescriptor& field) {
  absl::string_view name = field.full_name();
  if (name.substr(0, kPackage.size()) == kPackage) {
    name.remove_prefix(kPackage.size());
  }
  return name;
}

std::string EnumValueList(const EnumDescriptor& e) {
  std::vector<std::string> names;
  for (int i = 0; i < e.value_count(); ++i) {
    names.push_back(e.value(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

class SchemaWalker {
 public:
  explicit SchemaWalker(absl::string_view filename) : filename_(filename) {}

  void Walk(const Message& m, const std::string& prefix) {
    const Reflection* r = m.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    r->ListFields(m, &fields);
    for (const FieldDescriptor* f : fields) {
      if (!status_.ok()) return;
      const std::string path =
          prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
      if (f->is_repeated()) {
        const int n = r->FieldSize(m, f);
        for (int i = 0; i < n && status_.ok(); ++i) {
          Element(m, *f, i, absl::StrFormat("%s[%d]", path, i));
        }
      } else {
        Element(m, *f, -1, path);
      }
    }
  }

  absl::Status status() const { return status_; }

 private:
  void Fail(absl::string_view path, absl::string_view message) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(filename_, ": ", path, ": ", message));
    }
  }

  void Integer(const FieldDescriptor& f, const std::string& path,
               uint64_t value, bool negative) {
    if (negative) {
      Fail(path, "must not be negative");
      return;
    }
    const std::optional<uint64_t> cap = IntegerFieldCap(f);
    if (cap.has_value() && value > *cap) {
      Fail(path, absl::StrCat(value, " exceeds the limit of ", *cap));
    }
  }

  // Element `index` of repeated field `f` (-1: the singular field).
  void Element(const Message& m, const FieldDescriptor& f, int index,
               const std::string& path) {
    const Reflection* r = m.GetReflection();
    const bool rep = index >= 0;
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Walk(rep ? r->GetRepeatedMessage(m, &f, index) : r->GetMessage(m, &f),
             path);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int value = rep ? r->GetRepeatedEnumValue(m, &f, index)
                              : r->GetEnumValue(m, &f);
        if (f.enum_type()->FindValueByNumber(value) == nullptr) {
          Fail(path, absl::StrFormat("%d is not a value of %s (one of %s)",
                                     value, f.enum_type()->name(),
                                     EnumValueList(*f.enum_type())));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s =
            rep ? r->GetRepeatedStringReference(m, &f, index, &scratch)
                : r->GetStringReference(m, &f, &scratch);
        if (f.type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(s)) {
          Fail(path, absl::StrCat(Quoted(s), " is not valid UTF-8"));
        } else if (IsDurationField(f)) {
          absl::StatusOr<sim::Duration> d = ParseScenarioDuration(s);
          if (!d.ok()) Fail(path, d.status().message());
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
        Integer(f, path,
                rep ? r->GetRepeatedUInt32(m, &f, index) : r->GetUInt32(m, &f),
                false);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        Integer(f, path,
                rep ? r->GetRepeatedUInt64(m, &f, index) : r->GetUInt64(m, &f),
                false);
        break;
      case FieldDescriptor::CPPTYPE_INT32: {
        const int32_t v =
            rep ? r->GetRepeatedInt32(m, &f, index) : r->GetInt32(m, &f);
        Integer(f, path, v < 0 ? 0 : static_cast<uint64_t>(v), v < 0);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        const int64_t v =
            rep ? r->GetRepeatedInt64(m, &f, index) : r->GetInt64(m, &f);
        Integer(f, path, v < 0 ? 0 : static_cast<uint64_t>(v), v < 0);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        const double v = f.cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE
                             ? (rep ? r->GetRepeatedDouble(m, &f, index)
                                    : r->GetDouble(m, &f))
                             : (rep ? r->GetRepeatedFloat(m, &f, index)
                                    : r->GetFloat(m, &f));
        if (!std::isfinite(v)) Fail(path, absl::StrCat(v, " is not finite"));
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        break;
    }
  }

  std::string filename_;
  absl::Status status_;
};

}  // namespace

std::optional<uint64_t> IntegerFieldCap(const FieldDescriptor& field) {
  const absl::string_view name = ShortName(field);
  for (const Cap& cap : kIntegerCaps) {
    if (name == cap.field) return cap.max;
  }
  return std::nullopt;
}

bool IsDurationField(const FieldDescriptor& field) {
  const absl::string_view name = ShortName(field);
  for (const char* d : kDurationFields) {
    if (name == d) return true;
  }
  return false;
}

bool IsTextField(const FieldDescriptor& field) {
  const absl::string_view name = ShortName(field);
  for (const char* t : kTextFields) {
    if (name == t) return true;
  }
  return false;
}

absl::Status CheckSchemaRules(const Message& message,
                              absl::string_view filename) {
  SchemaWalker walker(filename);
  walker.Walk(message, "");
  return walker.status();
}

bool IsValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

sim::Duration SaturatingAdd(sim::Duration a, sim::Duration b) {
  if (a.IsInfinite() || b.IsInfinite() ||
      (b.nanos() > 0 &&
       a.nanos() > std::numeric_limits<int64_t>::max() - b.nanos())) {
    return sim::Duration::Infinite();
  }
  return a + b;
}

sim::Duration PairStartOffset(const Scenario& scenario, uint64_t pair_index) {
  const sim::Duration spacing =
      DurationOr(scenario.population().start_spacing(), sim::Duration::Zero());
  if (pair_index == 0 || spacing <= sim::Duration::Zero()) {
    return sim::Duration::Zero();
  }
  if (spacing.IsInfinite() ||
      static_cast<uint64_t>(spacing.nanos()) >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) /
              pair_index) {
    return sim::Duration::Infinite();
  }
  return sim::Duration::Nanos(spacing.nanos() *
                              static_cast<int64_t>(pair_index));
}

std::string Quoted(absl::string_view s) {
  std::string out = absl::CHexEscape(s.substr(0, 40));
  if (s.size() > 40) absl::StrAppend(&out, "...");
  return absl::StrCat("\"", out, "\"");
}

}  // namespace quicsim::scenarios
