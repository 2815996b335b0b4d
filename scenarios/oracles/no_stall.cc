#include "scenarios/oracles/no_stall.h"

#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {

std::optional<std::string> CheckNoStall(bool finished, bool stalled,
                                        sim::Time now, uint64_t events) {
  if (finished) return std::nullopt;
  if (!stalled) return "the run went idle before the pair finished";
  return absl::StrFormat(
      "the run hit its limits (%s, %d events) before the pair finished",
      now.ToString(), events);
}

}  // namespace quicsim::scenarios::oracles
