// Fuzzes the frame decoder. Input: one byte selecting the encryption level,
// then a packet payload. Frames that decode must re-encode (except frames
// parsed-and-ignored) and decode again to the same kind of frame.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "endpoints/error_codes.h"
#include "endpoints/frames.h"
#include "tests/fuzz/fuzz_check.h"

namespace ep = quicsim::endpoints;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto level = static_cast<ep::EncryptionLevel>(data[0] & 3);
  absl::StatusOr<std::vector<ep::Frame>> frames =
      ep::ParseFrames(absl::MakeConstSpan(data + 1, size - 1), level);
  if (!frames.ok()) {
    const uint64_t code = ep::QuicErrorCodeOf(frames.status());
    (void)code;
    return 0;
  }
  std::vector<uint8_t> buf(size * 2 + 64);
  for (const ep::Frame& frame : *frames) {
    if (std::holds_alternative<ep::IgnoredFrame>(frame)) continue;
    ep::QuicDataWriter w(absl::MakeSpan(buf));
    FUZZ_CHECK(ep::WriteFrame(frame, &w));
    ep::QuicDataReader r(w.written());
    absl::StatusOr<ep::Frame> again = ep::ParseFrame(&r, level);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->index() == frame.index());
  }
  return 0;
}
