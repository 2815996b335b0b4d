// Minimal JSON text helpers for the exporters (no JSON library is in the
// build): string quoting and number formatting. Objects are composed by the
// callers with absl::StrCat.
#ifndef QUICSIM_TOOLS_EXPORT_JSON_H_
#define QUICSIM_TOOLS_EXPORT_JSON_H_

#include <string>
#include <string_view>

namespace quicsim::exporter {

// `s` as a JSON string literal, quotes included; control characters and
// bytes >= 0x80 that are not valid UTF-8 are escaped as \u00XX.
std::string JsonQuote(std::string_view s);

// A JSON number for a time in milliseconds with nanosecond precision.
std::string JsonMillis(int64_t nanos);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_JSON_H_
