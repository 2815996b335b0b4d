#include "scenarios/oracles/amplification_limit.h"

#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {

using endpoints::Perspective;

void AmplificationLimit::OnDatagramSent(Perspective self, size_t bytes,
                                        std::vector<OracleViolation>* out) {
  if (self != Perspective::kServer || validated_) return;
  sent_ += bytes;
  if (sent_ > 3 * received_) {
    out->push_back({kAmplificationLimit,
                    absl::StrFormat("server sent %d bytes having received %d "
                                    "before address validation",
                                    sent_, received_)});
  }
}

void AmplificationLimit::OnDatagramReceived(Perspective self, size_t bytes) {
  if (self == Perspective::kServer && !validated_) received_ += bytes;
}

void AmplificationLimit::OnAddressValidated(Perspective self) {
  if (self == Perspective::kServer) validated_ = true;
}

}  // namespace quicsim::scenarios::oracles
