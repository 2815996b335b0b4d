#include "sim/time.h"

#include <cstdlib>

#include "absl/strings/str_format.h"

namespace quicsim::sim {

std::string Duration::ToString() const {
  if (IsInfinite()) return "inf";
  if (ns_ == 0) return "0";
  const int64_t abs = ns_ < 0 ? -ns_ : ns_;
  const char* sign = ns_ < 0 ? "-" : "";
  struct Unit {
    int64_t ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const Unit& unit : kUnits) {
    if (abs >= unit.ns) {
      if (abs % unit.ns == 0) {
        return absl::StrFormat("%s%d%s", sign, abs / unit.ns, unit.name);
      }
      // Print exactly, trimming trailing zeros of the fraction.
      int digits = 0;
      for (int64_t u = unit.ns; u > 1; u /= 10) ++digits;
      std::string frac = absl::StrFormat("%0*d", digits, abs % unit.ns);
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      return absl::StrFormat("%s%d.%s%s", sign, abs / unit.ns, frac, unit.name);
    }
  }
  return "0";
}

std::string Time::ToString() const {
  if (IsInfinite()) return "inf";
  const int64_t abs = ns_ < 0 ? -ns_ : ns_;
  return absl::StrFormat("%s%d.%09ds", ns_ < 0 ? "-" : "", abs / 1000000000,
                         abs % 1000000000);
}

std::ostream& operator<<(std::ostream& os, Duration d) {
  return os << d.ToString();
}

std::ostream& operator<<(std::ostream& os, Time t) {
  return os << t.ToString();
}

}  // namespace quicsim::sim
