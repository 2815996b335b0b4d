#include "endpoints/crypto_stream.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

absl::Span<const uint8_t> Bytes(const std::string& s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()),
                             s.size());
}

std::string Str(absl::Span<const uint8_t> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

const std::string kMessage = "abcdefghijklmnopqrstuvwxyz0123456789";

TEST(CryptoStreamTest, InOrderDelivery) {
  CryptoStream s;
  ASSERT_TRUE(s.OnFrame(0, Bytes("hello ")).ok());
  ASSERT_TRUE(s.OnFrame(6, Bytes("world")).ok());
  EXPECT_EQ(Str(s.ReadableBytes()), "hello world");
  s.Consume(6);
  EXPECT_EQ(s.read_offset(), 6u);
  EXPECT_EQ(s.ReadAll(), "world");
  EXPECT_EQ(s.ReadAll(), "");
}

TEST(CryptoStreamTest, OutOfOrderHeldUntilGapFilled) {
  CryptoStream s;
  ASSERT_TRUE(s.OnFrame(5, Bytes("fghij")).ok());
  EXPECT_TRUE(s.ReadableBytes().empty());
  EXPECT_EQ(s.BufferedOutOfOrderBytes(), 5u);
  ASSERT_TRUE(s.OnFrame(0, Bytes("abcde")).ok());
  EXPECT_EQ(s.ReadAll(), "abcdefghij");
  EXPECT_EQ(s.BufferedOutOfOrderBytes(), 0u);
  // Stale retransmission of already-read data is ignored.
  ASSERT_TRUE(s.OnFrame(2, Bytes("cde")).ok());
  EXPECT_EQ(s.ReadAll(), "");
}

// Every permutation of four overlapping chunks yields the same bytes.
TEST(CryptoStreamTest, EveryPermutationOfOverlappingChunks) {
  struct Chunk {
    uint64_t offset;
    size_t len;
  };
  // [0,10) [5,20) [18,30) [8,36): overlaps everywhere, covers [0,36).
  std::array<Chunk, 4> chunks = {Chunk{0, 10}, Chunk{5, 15}, Chunk{18, 12},
                                 Chunk{8, 28}};
  std::array<int, 4> order = {0, 1, 2, 3};
  int permutations = 0;
  do {
    CryptoStream s;
    std::string got;
    for (int i : order) {
      const Chunk& c = chunks[i];
      ASSERT_TRUE(
          s.OnFrame(c.offset, Bytes(kMessage.substr(c.offset, c.len))).ok());
      got += s.ReadAll();  // read as data becomes contiguous
    }
    EXPECT_EQ(got, kMessage);
    EXPECT_EQ(s.contiguous_offset(), 36u);
    EXPECT_EQ(s.BufferedOutOfOrderBytes(), 0u);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 24);
}

TEST(CryptoStreamTest, DuplicateOutOfOrderFramesKeepFirstCopy) {
  CryptoStream s;
  ASSERT_TRUE(s.OnFrame(3, Bytes("DEF")).ok());
  ASSERT_TRUE(s.OnFrame(3, Bytes("xyz")).ok());  // conflicting duplicate
  ASSERT_TRUE(s.OnFrame(0, Bytes("ABC")).ok());
  EXPECT_EQ(s.ReadAll(), "ABCDEF");
}

TEST(CryptoStreamTest, BufferBoundIsCryptoBufferExceeded) {
  CryptoStream s(/*max_buffered_bytes=*/100);
  std::string ten(10, 'x');
  // Ends exactly at the bound: accepted.
  EXPECT_TRUE(s.OnFrame(90, Bytes(ten)).ok());
  // One byte beyond: rejected.
  absl::Status st = s.OnFrame(91, Bytes(ten));
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
  // The bound moves with the contiguous edge.
  ASSERT_TRUE(s.OnFrame(0, Bytes(std::string(50, 'a'))).ok());
  EXPECT_TRUE(s.OnFrame(140, Bytes(ten)).ok());
  EXPECT_EQ(s.OnFrame(141, Bytes(ten)).code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(CryptoStreamTest, OffsetBeyondVarintLimitRejected) {
  CryptoStream s;
  EXPECT_EQ(s.OnFrame(CryptoStream::kMaxOffset, Bytes("ab")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.OnFrame(~uint64_t{0}, Bytes("a")).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CryptoStreamTest, SendChunksNewData) {
  CryptoStream s;
  EXPECT_FALSE(s.HasPendingData());
  EXPECT_TRUE(s.NextChunk(100).empty());
  s.WriteData(Bytes("0123456789"));
  ASSERT_TRUE(s.HasPendingData());
  CryptoChunk c = s.NextChunk(4);
  EXPECT_EQ(c.offset, 0u);
  EXPECT_EQ(Str(c.data), "0123");
  c = s.NextChunk(4);
  EXPECT_EQ(c.offset, 4u);
  EXPECT_EQ(Str(c.data), "4567");
  c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 8u);
  EXPECT_EQ(Str(c.data), "89");
  EXPECT_FALSE(s.HasPendingData());
  EXPECT_TRUE(s.HasUnackedData());
}

TEST(CryptoStreamTest, LostRangesResentBeforeNewData) {
  CryptoStream s;
  s.WriteData(Bytes("0123456789"));
  s.NextChunk(4);  // [0,4)
  s.NextChunk(4);  // [4,8)
  s.WriteData(Bytes("ABCD"));
  s.OnLost(0, 4);
  ASSERT_TRUE(s.HasPendingData());
  CryptoChunk c = s.NextChunk(3);
  EXPECT_EQ(c.offset, 0u);
  EXPECT_EQ(Str(c.data), "012");
  c = s.NextChunk(3);
  EXPECT_EQ(c.offset, 3u);
  EXPECT_EQ(Str(c.data), "3");
  c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 8u);
  EXPECT_EQ(Str(c.data), "89ABCD");
}

TEST(CryptoStreamTest, AckedDataIsFreedAndNeverResent) {
  CryptoStream s;
  s.WriteData(Bytes("0123456789"));
  s.NextChunk(5);   // [0,5)
  s.NextChunk(5);   // [5,10)
  s.OnAcked(5, 5);  // out of order ack: nothing freed yet
  EXPECT_EQ(s.acked_offset(), 0u);
  EXPECT_EQ(s.send_buffer_size(), 10u);
  // Lost packet covered [3,8): only [3,5) must be resent.
  s.OnLost(3, 5);
  CryptoChunk c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 3u);
  EXPECT_EQ(Str(c.data), "34");
  EXPECT_FALSE(s.HasPendingData());
  s.OnAcked(0, 5);
  EXPECT_EQ(s.acked_offset(), 10u);
  EXPECT_EQ(s.send_buffer_size(), 0u);
  EXPECT_FALSE(s.HasUnackedData());
  // Losing acknowledged data afterwards is a no-op.
  s.OnLost(0, 10);
  EXPECT_FALSE(s.HasPendingData());
}

TEST(CryptoStreamTest, AckAfterLossCancelsRetransmission) {
  CryptoStream s;
  s.WriteData(Bytes("0123456789"));
  s.NextChunk(10);
  s.OnLost(0, 10);
  s.OnAcked(2, 3);  // a spuriously lost packet's ack arrives
  CryptoChunk c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 0u);
  EXPECT_EQ(Str(c.data), "01");
  c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 5u);
  EXPECT_EQ(Str(c.data), "56789");
}

TEST(CryptoStreamTest, RetransmitUnackedForProbes) {
  CryptoStream s;
  s.WriteData(Bytes("0123456789"));
  s.NextChunk(6);
  s.OnAcked(0, 2);
  s.RetransmitUnacked();
  CryptoChunk c = s.NextChunk(100);
  EXPECT_EQ(c.offset, 2u);
  EXPECT_EQ(Str(c.data), "2345");
  c = s.NextChunk(100);  // then the never-sent tail
  EXPECT_EQ(c.offset, 6u);
  EXPECT_EQ(Str(c.data), "6789");
}

TEST(CryptoStreamTest, SmallFootprint) {
  // Three per connection; buffers are allocated only when data flows.
  EXPECT_LE(sizeof(CryptoStream), 384u);
}

}  // namespace
}  // namespace quicsim::endpoints
