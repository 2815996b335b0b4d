// Per-encryption-level CRYPTO stream state (RFC 9000 §19.6, §7.5): receive-side
// reassembly and send-side chunking, retransmission and acknowledgement.
#ifndef QUICSIM_ENDPOINTS_CRYPTO_STREAM_H_
#define QUICSIM_ENDPOINTS_CRYPTO_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "endpoints/interval_set.h"

namespace quicsim::endpoints {

// One CRYPTO frame's worth of outgoing data. `data` points into the stream's
// buffer and stays valid until the next non-const call on the stream.
struct CryptoChunk {
  uint64_t offset = 0;
  absl::Span<const uint8_t> data;
  bool empty() const { return data.empty(); }
};

// The CRYPTO stream of one encryption level, both directions. Pure logic, no
// I/O. Not thread-safe.
class CryptoStream {
 public:
  // RFC 9000 §7.5: at least 4096 bytes of out-of-order data must be accepted.
  static constexpr uint64_t kDefaultMaxBufferedBytes = 64 * 1024;
  // RFC 9000 §19.6: offset + length may not exceed 2^62 - 1.
  static constexpr uint64_t kMaxOffset = (uint64_t{1} << 62) - 1;

  // `max_buffered_bytes` bounds how far beyond the contiguous receive edge a
  // CRYPTO frame may end.
  explicit CryptoStream(uint64_t max_buffered_bytes = kDefaultMaxBufferedBytes)
      : max_buffered_bytes_(max_buffered_bytes) {}

  // ---- Receive side ----

  // Accepts the data of one received CRYPTO frame. Duplicate and overlapping
  // data is fine (the first copy wins). Errors:
  //  - ResourceExhausted: the frame ends more than `max_buffered_bytes` past
  //    the contiguous edge; send CRYPTO_BUFFER_EXCEEDED (0x0d).
  //  - InvalidArgument: offset + length > 2^62 - 1; send
  //    FRAME_ENCODING_ERROR (0x07).
  absl::Status OnFrame(uint64_t offset, absl::Span<const uint8_t> data);
  // Contiguous received bytes not yet consumed, in stream order.
  absl::Span<const uint8_t> ReadableBytes() const;
  // Marks the first `n` readable bytes consumed (n <= ReadableBytes().size()).
  void Consume(size_t n);
  // ReadableBytes() copied out, then consumed.
  std::string ReadAll();
  // Stream offset of the next byte to be consumed.
  uint64_t read_offset() const { return read_offset_; }
  // Stream offset up to which data is contiguous (read or not).
  uint64_t contiguous_offset() const { return contiguous_end_; }
  // Bytes received beyond the contiguous edge (out-of-order data held).
  uint64_t BufferedOutOfOrderBytes() const;

  // ---- Send side ----

  // Appends handshake bytes produced by TLS for this level.
  void WriteData(absl::Span<const uint8_t> data);
  // The next CRYPTO frame payload of at most `max_len` bytes: lost data
  // first (lowest offset first), then new data. Empty when nothing is due.
  // The data counts as sent (in flight) from this call on.
  CryptoChunk NextChunk(size_t max_len);
  // True when NextChunk() would return data.
  bool HasPendingData() const;
  // The peer acknowledged [offset, offset + length).
  void OnAcked(uint64_t offset, uint64_t length);
  // A packet carrying [offset, offset + length) was declared lost: the
  // unacknowledged part is queued for retransmission before new data.
  void OnLost(uint64_t offset, uint64_t length);
  // Queues all sent but unacknowledged data for retransmission (PTO probes
  // that have no new data to send).
  void RetransmitUnacked();
  // True when some sent data is not yet acknowledged.
  bool HasUnackedData() const;
  // Lowest offset not yet acknowledged (everything below is freed).
  uint64_t acked_offset() const { return send_base_; }
  // Bytes currently held by the send buffer.
  size_t send_buffer_size() const { return send_buf_.size(); }

 private:
  // Receive side: recv_buf_[0] is the byte at read_offset_.
  uint64_t max_buffered_bytes_;
  uint64_t read_offset_ = 0;
  uint64_t contiguous_end_ = 0;
  std::vector<uint8_t> recv_buf_;
  IntervalSet received_beyond_;  // out-of-order ranges above contiguous_end_

  // Send side: send_buf_[0] is the byte at send_base_.
  std::vector<uint8_t> send_buf_;
  uint64_t send_base_ = 0;  // everything below is acknowledged
  uint64_t write_end_ = 0;  // end of data written by TLS
  uint64_t next_new_ = 0;   // first never-sent offset
  IntervalSet acked_;       // acknowledged ranges at or above send_base_
  IntervalSet retransmit_;  // lost ranges queued for resending
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_CRYPTO_STREAM_H_
