// Fuzzes the transport parameter decoder, for both senders. Parameters that
// decode must serialize and decode back to the same value.
#include <cstddef>
#include <cstdint>

#include "endpoints/error_codes.h"
#include "endpoints/transport_parameters.h"
#include "tests/fuzz/fuzz_check.h"

namespace ep = quicsim::endpoints;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (ep::Perspective sender :
       {ep::Perspective::kClient, ep::Perspective::kServer}) {
    absl::StatusOr<ep::TransportParameters> params =
        ep::ParseTransportParameters(absl::MakeConstSpan(data, size), sender);
    if (!params.ok()) {
      FUZZ_CHECK(ep::QuicErrorCodeOf(params.status()) == 0x08);
      continue;
    }
    absl::StatusOr<std::vector<uint8_t>> wire =
        ep::SerializeTransportParameters(*params, sender);
    FUZZ_CHECK(wire.ok());
    absl::StatusOr<ep::TransportParameters> again =
        ep::ParseTransportParameters(*wire, sender);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *params);
  }
  return 0;
}
