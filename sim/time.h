// Virtual time for the simulator: integer nanoseconds, never the wall clock.
#ifndef QUICSIM_SIM_TIME_H_
#define QUICSIM_SIM_TIME_H_

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace quicsim::sim {

// A signed span of virtual time in nanoseconds.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Nanos(int64_t n) { return Duration(n); }
  static constexpr Duration Micros(int64_t n) { return Duration(n * 1000); }
  static constexpr Duration Millis(int64_t n) { return Duration(n * 1000000); }
  static constexpr Duration Seconds(int64_t n) {
    return Duration(n * 1000000000);
  }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Infinite() {
    return Duration(std::numeric_limits<int64_t>::max());
  }

  constexpr int64_t nanos() const { return ns_; }
  constexpr int64_t micros() const { return ns_ / 1000; }
  constexpr int64_t millis() const { return ns_ / 1000000; }
  constexpr double seconds() const { return ns_ / 1e9; }
  constexpr bool IsInfinite() const { return *this == Infinite(); }

  constexpr Duration operator+(Duration o) const {
    return Duration(ns_ + o.ns_);
  }
  constexpr Duration operator-(Duration o) const {
    return Duration(ns_ - o.ns_);
  }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  constexpr bool operator==(Duration o) const { return ns_ == o.ns_; }
  constexpr bool operator!=(Duration o) const { return ns_ != o.ns_; }
  constexpr bool operator<(Duration o) const { return ns_ < o.ns_; }
  constexpr bool operator<=(Duration o) const { return ns_ <= o.ns_; }
  constexpr bool operator>(Duration o) const { return ns_ > o.ns_; }
  constexpr bool operator>=(Duration o) const { return ns_ >= o.ns_; }

  // "1.5ms", "250us", "3s", "0", "inf": the shortest exact unit.
  std::string ToString() const;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// An absolute point on the virtual clock, nanoseconds since the run started.
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time Zero() { return Time(0); }
  static constexpr Time FromNanos(int64_t n) { return Time(n); }
  static constexpr Time Infinite() {
    return Time(std::numeric_limits<int64_t>::max());
  }

  constexpr int64_t nanos() const { return ns_; }
  constexpr bool IsInfinite() const { return *this == Infinite(); }

  constexpr Time operator+(Duration d) const {
    return IsInfinite() || d.IsInfinite() ? Infinite() : Time(ns_ + d.nanos());
  }
  constexpr Time operator-(Duration d) const { return Time(ns_ - d.nanos()); }
  constexpr Duration operator-(Time o) const {
    return Duration::Nanos(ns_ - o.ns_);
  }
  constexpr Time& operator+=(Duration d) {
    *this = *this + d;
    return *this;
  }
  constexpr bool operator==(Time o) const { return ns_ == o.ns_; }
  constexpr bool operator!=(Time o) const { return ns_ != o.ns_; }
  constexpr bool operator<(Time o) const { return ns_ < o.ns_; }
  constexpr bool operator<=(Time o) const { return ns_ <= o.ns_; }
  constexpr bool operator>(Time o) const { return ns_ > o.ns_; }
  constexpr bool operator>=(Time o) const { return ns_ >= o.ns_; }

  // Seconds since the start with nanosecond precision: "12.000345678s".
  std::string ToString() const;

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

std::ostream& operator<<(std::ostream& os, Duration d);
std::ostream& operator<<(std::ostream& os, Time t);

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_TIME_H_
