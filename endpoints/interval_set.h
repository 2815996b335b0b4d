// A set of uint64_t values stored as sorted, disjoint, non-adjacent half-open
// intervals. Used for received packet numbers and CRYPTO stream offsets.
#ifndef QUICSIM_ENDPOINTS_INTERVAL_SET_H_
#define QUICSIM_ENDPOINTS_INTERVAL_SET_H_

#include <cstddef>
#include <cstdint>

#include "absl/container/inlined_vector.h"

namespace quicsim::endpoints {

// The half-open interval [start, end).
struct Interval {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t length() const { return end - start; }
  bool operator==(const Interval& o) const {
    return start == o.start && end == o.end;
  }
};

// Sorted ascending, merged interval set. Small sets stay inline (no heap).
// Adding at the top end (the common case for in-order data) is O(1).
class IntervalSet {
 public:
  using Storage = absl::InlinedVector<Interval, 4>;

  // Adds [start, end); empty intervals are ignored.
  void Add(uint64_t start, uint64_t end);
  // Removes [start, end) from the set.
  void Remove(uint64_t start, uint64_t end);
  // Removes every value below `value`.
  void RemoveBelow(uint64_t value);
  // Drops the lowest interval (no-op when empty).
  void PopFront();
  // True when `value` is in the set.
  bool Contains(uint64_t value) const;
  // True when all of [start, end) is in the set (true for empty input).
  bool Covers(uint64_t start, uint64_t end) const;
  // Index of the interval containing `value`, or -1.
  int Find(uint64_t value) const;

  bool empty() const { return intervals_.empty(); }
  size_t size() const { return intervals_.size(); }
  const Interval& front() const { return intervals_.front(); }
  const Interval& back() const { return intervals_.back(); }
  const Interval& operator[](size_t i) const { return intervals_[i]; }
  Storage::const_iterator begin() const { return intervals_.begin(); }
  Storage::const_iterator end() const { return intervals_.end(); }
  void Clear() { intervals_.clear(); }

 private:
  // First interval whose end >= value (the first that may touch `value`).
  size_t LowerIndex(uint64_t value) const;

  Storage intervals_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_INTERVAL_SET_H_
