// Reading the trace: which packet_sent events went into which datagram, and
// the key=value details of the link events (sim/ traces text only).
#ifndef QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_
#define QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// Parsed details: "type=Initial pn=0 size=1200 ack reason=\"x y\"" gives
// fields type, pn, size, reason and the bare flag "ack" (value "").
class Details {
 public:
  explicit Details(std::string_view text);
  // The value of `key`, or `fallback` when absent.
  std::string Get(std::string_view key, std::string_view fallback = "") const;
  // The value of `key` as an integer, or `fallback` if absent or not one.
  int64_t GetInt(std::string_view key, int64_t fallback = -1) const;
  bool Has(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const {
    return fields_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// The packets a datagram carried, from the endpoint's packet_sent events.
struct DatagramPackets {
  std::string actor;                            // "pair/0/client"
  std::vector<const sim::TraceEvent*> packets;  // packet_sent events
};

// Maps datagram ids to the packets sent (typed endpoint events) just before the
// link "send" (or network "drop") event that names the id. Events must outlive
// the result.
absl::flat_hash_map<uint64_t, DatagramPackets> MatchPacketsToDatagrams(
    const std::vector<sim::TraceEvent>& events);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_
