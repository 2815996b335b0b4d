#include "scenarios/oracles/no_packet_after_draining.h"

#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {
namespace {

int Side(endpoints::Perspective p) {
  return p == endpoints::Perspective::kClient ? 0 : 1;
}

}  // namespace

void NoPacketAfterDraining::OnClosingPeriodEnded(endpoints::Perspective self) {
  ended_[Side(self)] = true;
}

void NoPacketAfterDraining::OnDatagramSent(endpoints::Perspective self,
                                           size_t bytes,
                                           std::vector<OracleViolation>* out) {
  if (!ended_[Side(self)]) return;
  out->push_back(
      {kNoPacketAfterDraining,
       absl::StrFormat(
           "%s sent %d bytes after its closing/draining period",
           self == endpoints::Perspective::kClient ? "client" : "server",
           bytes)});
}

}  // namespace quicsim::scenarios::oracles
