#include "scenarios/oracles/resumption_outcome.h"

namespace quicsim::scenarios::oracles {

std::vector<std::string> CheckResumption(const EndpointConfig& client,
                                         const EndpointConfig& server,
                                         bool prime_ticket,
                                         const endpoints::Verdict& v) {
  std::vector<std::string> out;
  if (!client.resumption().enabled() ||
      v.kind != endpoints::Verdict::Kind::kConfirmed) {
    return out;
  }
  const bool want_0rtt = client.resumption().zero_rtt();
  const bool server_0rtt =
      server.resumption().enabled() && server.resumption().zero_rtt();
  if (prime_ticket && !v.resumed) {
    out.push_back("the handshake did not resume the session");
  }
  if (prime_ticket && want_0rtt && server_0rtt && !v.early_data_accepted) {
    out.push_back("the server did not accept 0-RTT");
  }
  if (!server_0rtt && v.early_data_accepted) {
    out.push_back("0-RTT was accepted by a server configured to refuse it");
  }
  return out;
}

std::string CheckPrimingTicket(bool prime_ticket) {
  if (prime_ticket) return "";
  return "priming handshake ended without a session ticket; the measured "
         "handshake could not resume";
}

}  // namespace quicsim::scenarios::oracles
