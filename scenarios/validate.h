// The schema-wide input rules every scenario passes before anything runs,
// whichever command loaded it (run, replay, shrink, export, trace print):
//
// - enums are closed: a number the schema does not name is an error;
// - strings are valid UTF-8 (a trace holding anything else cannot be read
//   back);
// - every duration field parses and stays within kMaxScenarioDuration;
// - every integer field stays within its documented cap;
// - every double is finite.
//
// The rules are applied by walking the message with protobuf reflection, so
// a field added to scenario.proto is covered without touching this file; the
// classification tables below (which string fields are durations, the cap of
// each integer field) are checked for completeness by validate_test.cc.
//
// ValidateScenario (scenario_loader.h) runs these rules first, then the
// semantic ones; both report "FILE: field.path: message".
#ifndef QUICSIM_SCENARIOS_VALIDATE_H_
#define QUICSIM_SCENARIOS_VALIDATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "scenarios/scenario.pb.h"
#include "sim/time.h"

namespace quicsim::scenarios {

// The longest duration a scenario may state: 10,000 hours. The virtual clock
// spans 2^63 ns (about 2,562,047 hours); the cap leaves room for the sums the
// simulator forms (delay + jitter + reorder delay + phase start + ...).
inline constexpr sim::Duration kMaxScenarioDuration =
    sim::Duration::Seconds(int64_t{10000} * 3600);
inline constexpr absl::string_view kMaxScenarioDurationText = "10000h";

// Client/server pairs in one seed's world (population.pairs, --pairs). A
// pair in flight takes about 45 KB and a finished one about 1 KiB (its
// endpoints are released), so peak memory follows the pairs in flight at
// once: a million pairs started 100 us apart peak near 1 GB; pairs that all
// start together need 45 KB each.
inline constexpr uint64_t kMaxPairsPerSeed = 1000000;
// Seeds in one run (seeds.count, --seeds); seeds are streamed, so this only
// bounds the run's length, not its memory.
inline constexpr uint64_t kMaxSeedsPerRun = uint64_t{1} << 40;
// Sum of the variant weights of a mixed population.
inline constexpr uint64_t kMaxTotalVariantWeight = 1000000;
// The smallest link mtu: a link's mtu counts the IPv4 and UDP headers (28
// bytes), so 1228 is the least that carries QUIC's 1200-byte datagrams.
inline constexpr uint32_t kMinLinkMtu = 1200 + 28;
// An endpoint's ALPN list as encoded in the ClientHello (1 length byte per
// name). RFC 7301 allows 65535, but the whole ClientHello must fit the
// 16384-byte handshake message limit of the server's TLS stack.
inline constexpr uint64_t kMaxAlpnListBytes = 8192;
// A TLS host name (SNI): BoringSSL's TLSEXT_MAXLEN_host_name.
inline constexpr uint64_t kMaxServerNameBytes = 255;
// Largest scenario file read.
inline constexpr uint64_t kMaxScenarioFileBytes = uint64_t{16} << 20;

// The cap of an integer field, by full field name
// ("quicsim.scenarios.Population.pairs"); nullopt for a field the table does
// not know (validate_test.cc requires every integer field to be listed).
std::optional<uint64_t> IntegerFieldCap(
    const google::protobuf::FieldDescriptor& field);

// Whether a string field holds a duration (by full field name).
bool IsDurationField(const google::protobuf::FieldDescriptor& field);
// Whether a string field is known to hold free text or a name (the other
// class; validate_test.cc requires every string field to be in one).
bool IsTextField(const google::protobuf::FieldDescriptor& field);

// Applies the schema-wide rules above to `message` (any message of the
// scenario schema); the first violation as "FILE: path: message".
absl::Status CheckSchemaRules(const google::protobuf::Message& message,
                              absl::string_view filename);

// `s` as a message may quote it: in double quotes, non-printable and
// non-ASCII bytes escaped (so a NUL or a terminal escape in a field cannot
// cut or garble the one-line error), long values shortened.
std::string Quoted(absl::string_view s);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points beyond U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// When pair `pair_index` starts: pair_index * population.start_spacing,
// saturating at sim::Duration::Infinite() instead of wrapping.
sim::Duration PairStartOffset(const Scenario& scenario, uint64_t pair_index);

// a + b, saturating at sim::Duration::Infinite().
sim::Duration SaturatingAdd(sim::Duration a, sim::Duration b);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_VALIDATE_H_
