#include "endpoints/interval_set.h"

#include <algorithm>

namespace quicsim::endpoints {

size_t IntervalSet::LowerIndex(uint64_t value) const {
  auto it = std::lower_bound(
      intervals_.begin(), intervals_.end(), value,
      [](const Interval& iv, uint64_t v) { return iv.end < v; });
  return static_cast<size_t>(it - intervals_.begin());
}

void IntervalSet::Add(uint64_t start, uint64_t end) {
  if (start >= end) return;
  // Fast paths: append above or extend the last interval.
  if (intervals_.empty() || intervals_.back().end < start) {
    intervals_.push_back({start, end});
    return;
  }
  if (intervals_.back().start <= start) {
    intervals_.back().end = std::max(intervals_.back().end, end);
    return;
  }
  // General case: merge every interval touching [start, end].
  size_t first = LowerIndex(start);
  size_t last = first;
  while (last < intervals_.size() && intervals_[last].start <= end) ++last;
  if (first == last) {
    intervals_.insert(intervals_.begin() + first, Interval{start, end});
    return;
  }
  Interval merged{std::min(start, intervals_[first].start),
                  std::max(end, intervals_[last - 1].end)};
  intervals_[first] = merged;
  intervals_.erase(intervals_.begin() + first + 1, intervals_.begin() + last);
}

void IntervalSet::Remove(uint64_t start, uint64_t end) {
  if (start >= end || intervals_.empty()) return;
  // Find the first interval with end > start.
  auto it = std::upper_bound(
      intervals_.begin(), intervals_.end(), start,
      [](uint64_t v, const Interval& iv) { return v < iv.end; });
  size_t i = static_cast<size_t>(it - intervals_.begin());
  while (i < intervals_.size() && intervals_[i].start < end) {
    Interval& iv = intervals_[i];
    if (iv.start < start && iv.end > end) {
      // Split in two.
      Interval upper{end, iv.end};
      iv.end = start;
      intervals_.insert(intervals_.begin() + i + 1, upper);
      return;
    }
    if (iv.start < start) {
      iv.end = start;
      ++i;
    } else if (iv.end > end) {
      iv.start = end;
      return;
    } else {
      intervals_.erase(intervals_.begin() + i);
    }
  }
}

void IntervalSet::RemoveBelow(uint64_t value) {
  size_t drop = 0;
  while (drop < intervals_.size() && intervals_[drop].end <= value) ++drop;
  intervals_.erase(intervals_.begin(), intervals_.begin() + drop);
  if (!intervals_.empty() && intervals_.front().start < value) {
    intervals_.front().start = value;
  }
}

void IntervalSet::PopFront() {
  if (!intervals_.empty()) intervals_.erase(intervals_.begin());
}

int IntervalSet::Find(uint64_t value) const {
  auto it = std::upper_bound(
      intervals_.begin(), intervals_.end(), value,
      [](uint64_t v, const Interval& iv) { return v < iv.end; });
  if (it == intervals_.end() || it->start > value) return -1;
  return static_cast<int>(it - intervals_.begin());
}

bool IntervalSet::Contains(uint64_t value) const { return Find(value) >= 0; }

bool IntervalSet::Covers(uint64_t start, uint64_t end) const {
  if (start >= end) return true;
  int i = Find(start);
  return i >= 0 && intervals_[i].end >= end;
}

}  // namespace quicsim::endpoints
