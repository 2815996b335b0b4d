// The TLS contexts of a scenario's two sides: the deterministic test PKI its
// CertificateSpec asks for, each side's tls::Config (ALPN, groups, API
// model, 0-RTT, the TLS rows of the fault mapping), built once per distinct
// pair of endpoint configurations and reused across seeds.
#ifndef QUICSIM_SCENARIOS_TLS_CONTEXTS_H_
#define QUICSIM_SCENARIOS_TLS_CONTEXTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/scenario.pb.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::scenarios {

// Both sides' contexts, and the PKI for a side run by another stack.
struct TlsContexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
  tls::TestChain chain;
  // The anchor the client trusts (another root for UNTRUSTED certificates).
  std::vector<uint8_t> trust_anchor;
};

// Builds and caches TlsContexts; see the file comment.
class TlsContextCache {
 public:
  // The contexts for `scenario`'s client and server configurations; errors
  // for settings the tls layer cannot honour.
  absl::StatusOr<const TlsContexts*> For(const Scenario& scenario);

 private:
  // Keyed by the serialized client and server EndpointConfig.
  std::map<std::string, TlsContexts> contexts_;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_TLS_CONTEXTS_H_
