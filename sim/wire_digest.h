// A running SHA-256 over every datagram put on the network: the bytes on the
// wire, in sending order, with their send times and addresses. Two runs with
// equal wire digests sent byte-identical traffic (replay says "byte for
// byte" only then).
#ifndef QUICSIM_SIM_WIRE_DIGEST_H_
#define QUICSIM_SIM_WIRE_DIGEST_H_

#include <openssl/sha.h>

#include <cstdint>
#include <string>

#include "sim/datagram.h"
#include "sim/time.h"

namespace quicsim::sim {

// See the file comment.
class WireDigest {
 public:
  WireDigest();

  // Adds one sent datagram: BE64(time ns) || BE32(src ip) || BE16(src port)
  // || BE32(dst ip) || BE16(dst port) || BE32(length) || payload.
  void Add(Time time, const Datagram& datagram);
  // Lower-case hex SHA-256 of everything added so far.
  std::string DigestHex() const;
  uint64_t datagrams() const { return datagrams_; }

 private:
  SHA256_CTX sha_;
  std::string pending_;  // batched input not yet fed to sha_
  uint64_t datagrams_ = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_WIRE_DIGEST_H_
