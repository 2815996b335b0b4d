#include "endpoints/crypto_stream.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace quicsim::endpoints {

absl::Status CryptoStream::OnFrame(uint64_t offset,
                                   absl::Span<const uint8_t> data) {
  if (offset > kMaxOffset || data.size() > kMaxOffset - offset) {
    return absl::InvalidArgumentError(
        absl::StrCat("CRYPTO frame beyond 2^62-1: offset ", offset, " length ",
                     data.size()));
  }
  uint64_t end = offset + data.size();
  if (end <= contiguous_end_) return absl::OkStatus();  // all duplicate
  if (end - contiguous_end_ > max_buffered_bytes_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "CRYPTO data at ", offset, "+", data.size(), " exceeds buffer of ",
        max_buffered_bytes_, " bytes beyond offset ", contiguous_end_));
  }
  // Drop the prefix that was already delivered contiguously.
  if (offset < contiguous_end_) {
    data.remove_prefix(contiguous_end_ - offset);
    offset = contiguous_end_;
  }
  size_t needed = end - read_offset_;
  if (recv_buf_.size() < needed) recv_buf_.resize(needed);
  // Copy only the gaps so the first copy of each byte wins.
  uint64_t pos = offset;
  while (pos < end) {
    int idx = received_beyond_.Find(pos);
    if (idx >= 0) {
      pos = received_beyond_[idx].end;
      continue;
    }
    uint64_t gap_end = end;
    for (const Interval& iv : received_beyond_) {
      if (iv.start > pos) {
        gap_end = std::min(gap_end, iv.start);
        break;
      }
    }
    std::memcpy(recv_buf_.data() + (pos - read_offset_),
                data.data() + (pos - offset), gap_end - pos);
    pos = gap_end;
  }
  received_beyond_.Add(offset, end);
  if (!received_beyond_.empty() &&
      received_beyond_.front().start == contiguous_end_) {
    contiguous_end_ = received_beyond_.front().end;
    received_beyond_.PopFront();
  }
  return absl::OkStatus();
}

absl::Span<const uint8_t> CryptoStream::ReadableBytes() const {
  return absl::MakeConstSpan(recv_buf_.data(), contiguous_end_ - read_offset_);
}

void CryptoStream::Consume(size_t n) {
  QUICSIM_CHECK(n <= contiguous_end_ - read_offset_);
  if (n == 0) return;
  recv_buf_.erase(recv_buf_.begin(), recv_buf_.begin() + n);
  read_offset_ += n;
}

std::string CryptoStream::ReadAll() {
  absl::Span<const uint8_t> bytes = ReadableBytes();
  std::string out(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Consume(bytes.size());
  return out;
}

uint64_t CryptoStream::BufferedOutOfOrderBytes() const {
  uint64_t total = 0;
  for (const Interval& iv : received_beyond_) total += iv.length();
  return total;
}

void CryptoStream::WriteData(absl::Span<const uint8_t> data) {
  send_buf_.insert(send_buf_.end(), data.begin(), data.end());
  write_end_ += data.size();
}

CryptoChunk CryptoStream::NextChunk(size_t max_len) {
  CryptoChunk chunk;
  if (max_len == 0) return chunk;
  uint64_t start;
  uint64_t end;
  if (!retransmit_.empty()) {
    const Interval& iv = retransmit_.front();
    start = iv.start;
    end = std::min<uint64_t>(iv.end, start + max_len);
    retransmit_.Remove(start, end);
  } else if (next_new_ < write_end_) {
    start = next_new_;
    end = std::min<uint64_t>(write_end_, start + max_len);
    next_new_ = end;
  } else {
    return chunk;
  }
  chunk.offset = start;
  chunk.data =
      absl::MakeConstSpan(send_buf_.data() + (start - send_base_), end - start);
  return chunk;
}

bool CryptoStream::HasPendingData() const {
  return !retransmit_.empty() || next_new_ < write_end_;
}

void CryptoStream::OnAcked(uint64_t offset, uint64_t length) {
  uint64_t end = std::min(offset + length, next_new_);
  if (end <= offset) return;
  acked_.Add(offset, end);
  retransmit_.Remove(offset, end);
  // Free the acknowledged prefix.
  if (!acked_.empty() && acked_.front().start <= send_base_ &&
      acked_.front().end > send_base_) {
    uint64_t new_base = acked_.front().end;
    send_buf_.erase(send_buf_.begin(),
                    send_buf_.begin() + (new_base - send_base_));
    send_base_ = new_base;
  }
  acked_.RemoveBelow(send_base_);
}

void CryptoStream::OnLost(uint64_t offset, uint64_t length) {
  uint64_t start = std::max(offset, send_base_);
  uint64_t end = std::min(offset + length, next_new_);
  if (start >= end) return;
  retransmit_.Add(start, end);
  // Never resend what the peer already acknowledged.
  for (const Interval& iv : acked_) {
    if (iv.start >= end) break;
    retransmit_.Remove(iv.start, iv.end);
  }
}

void CryptoStream::RetransmitUnacked() {
  OnLost(send_base_, next_new_ - send_base_);
}

bool CryptoStream::HasUnackedData() const { return send_base_ < next_new_; }

}  // namespace quicsim::endpoints
