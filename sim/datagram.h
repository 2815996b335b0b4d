// UDP-like datagrams and the addresses that route them.
#ifndef QUICSIM_SIM_DATAGRAM_H_
#define QUICSIM_SIM_DATAGRAM_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_format.h"

namespace quicsim::sim {

// An IPv4 address and UDP port: where a node receives datagrams.
struct Address {
  uint32_t ipv4 = 0;  // host order: 10.0.0.1 is 0x0a000001
  uint16_t port = 0;

  // Builds an address from dotted-quad parts.
  static constexpr Address V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d,
                              uint16_t port) {
    return Address{(uint32_t{a} << 24) | (uint32_t{b} << 16) |
                       (uint32_t{c} << 8) | uint32_t{d},
                   port};
  }
  // "10.0.0.1:443".
  std::string ToString() const {
    return absl::StrFormat("%d.%d.%d.%d:%d", ipv4 >> 24, (ipv4 >> 16) & 0xff,
                           (ipv4 >> 8) & 0xff, ipv4 & 0xff, port);
  }
  bool operator==(const Address& o) const {
    return ipv4 == o.ipv4 && port == o.port;
  }
  bool operator!=(const Address& o) const { return !(*this == o); }
  bool operator<(const Address& o) const {
    return std::tie(ipv4, port) < std::tie(o.ipv4, o.port);
  }
  template <typename H>
  friend H AbslHashValue(H h, const Address& a) {
    return H::combine(std::move(h), a.ipv4, a.port);
  }
};

// One datagram in flight. `id` is assigned by Network::Send, unique per
// send; duplicates made by an impairment keep the id of their original.
struct Datagram {
  Address src;
  Address dst;
  std::vector<uint8_t> payload;
  uint64_t id = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_DATAGRAM_H_
