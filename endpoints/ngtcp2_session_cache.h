// Session resumption and 0-RTT for the ngtcp2 peer (GnuTLS): what one
// pair's priming handshake leaves for its measured handshake.
//
// Server role: both ngtcp2 servers of a pair (priming and measured) share a
// 64-byte GnuTLS session-ticket master key drawn from a seeded stream of the
// run, so the measured server decrypts the tickets the priming one issued,
// and one anti-replay context (gnutls_anti_replay_t; its start time, the
// ticket creation times and the ticket-age window are read from the virtual
// clock, gnutls_clock.h), whose database is an in-memory set: a ClientHello
// seen twice gets no 0-RTT.
//
// Client role: the ngtcp2 client stores the resumption data GnuTLS returns
// (gnutls_session_get_data2) each time a NewSessionTicket arrives, and the
// server's transport parameters that RFC 9000 §7.4.1 lets it remember for
// 0-RTT, as ngtcp2's example client does; the measured client resumes from
// them (gnutls_session_set_data, ngtcp2_conn_set_early_remote_transport_
// params).
#ifndef QUICSIM_ENDPOINTS_NGTCP2_SESSION_CACHE_H_
#define QUICSIM_ENDPOINTS_NGTCP2_SESSION_CACHE_H_

#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// The resumption state of one pair's ngtcp2 side; see the file comment.
class Ngtcp2SessionCache {
 public:
  // The ticket master key is drawn from sim::Rng::ForStream(run_seed, name).
  Ngtcp2SessionCache(uint64_t run_seed, std::string_view name);
  ~Ngtcp2SessionCache();
  Ngtcp2SessionCache(const Ngtcp2SessionCache&) = delete;
  Ngtcp2SessionCache& operator=(const Ngtcp2SessionCache&) = delete;

  // Server: `session` issues and accepts tickets under the shared key; with
  // `early_data` (the session was created with GNUTLS_ENABLE_EARLY_DATA) its
  // tickets allow 0-RTT (max_early_data_size 0xffffffff, RFC 9001 §4.6.1)
  // and early data passes the anti-replay check.
  // `window`: the anti-replay window (gnutls_anti_replay_set_window), how
  // much the server's view of a ticket's age may exceed the client's.
  absl::Status ConfigureServer(gnutls_session_t session, bool early_data,
                               sim::Duration window);

  // Client: resumes the stored session (if any) and calls `on_ticket` after
  // storing the resumption data of every NewSessionTicket received.
  // `on_ticket` must outlive the session.
  absl::Status ConfigureClient(gnutls_session_t session,
                               absl::AnyInvocable<void()>* on_ticket);

  // Client: resumption data stored (a ticket was received).
  bool has_client_session() const { return !client_session_.empty(); }
  uint64_t tickets_received() const { return tickets_received_; }
  // Client: remembers the fields of the server's transport parameters a
  // 0-RTT attempt needs (RFC 9000 §7.4.1).
  void RememberTransportParams(const ngtcp2_transport_params& params);
  // The remembered parameters (defaults for the rest); none before
  // RememberTransportParams.
  std::optional<ngtcp2_transport_params> remembered_params() const {
    return remembered_;
  }

  // Server: ClientHellos the anti-replay database has seen, and those it
  // refused as replays.
  uint64_t anti_replay_entries() const { return replay_keys_.size(); }
  uint64_t replays_refused() const { return replays_refused_; }

 private:
  static int AntiReplayAdd(void* ptr, time_t exp_time,
                           const gnutls_datum_t* key,
                           const gnutls_datum_t* data);
  static int OnNewSessionTicket(gnutls_session_t session, unsigned htype,
                                unsigned when, unsigned incoming,
                                const gnutls_datum_t* msg);

  std::vector<uint8_t> ticket_key_;
  gnutls_anti_replay_t anti_replay_ = nullptr;
  std::set<std::string> replay_keys_;
  uint64_t replays_refused_ = 0;

  // What the client hook finds through gnutls_db_get_ptr (a client never
  // uses GnuTLS's session database, so its pointer is free).
  struct ClientHook {
    Ngtcp2SessionCache* cache;
    absl::AnyInvocable<void()>* on_ticket;
  };
  std::vector<std::unique_ptr<ClientHook>> client_hooks_;
  std::vector<uint8_t> client_session_;
  uint64_t tickets_received_ = 0;
  std::optional<ngtcp2_transport_params> remembered_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_NGTCP2_SESSION_CACHE_H_
