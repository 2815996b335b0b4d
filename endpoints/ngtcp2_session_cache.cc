#include "endpoints/ngtcp2_session_cache.h"

#include "absl/strings/str_cat.h"
#include "sim/random.h"

namespace quicsim::endpoints {
namespace {

// GnuTLS's TICKET_MASTER_KEY_SIZE.
constexpr size_t kTicketKeySize = 64;

}  // namespace

Ngtcp2SessionCache::Ngtcp2SessionCache(uint64_t run_seed, std::string_view name)
    : ticket_key_(kTicketKeySize) {
  sim::Rng rng = sim::Rng::ForStream(run_seed, name);
  rng.Fill(ticket_key_.data(), ticket_key_.size());
}

Ngtcp2SessionCache::~Ngtcp2SessionCache() {
  if (anti_replay_ != nullptr) gnutls_anti_replay_deinit(anti_replay_);
}

int Ngtcp2SessionCache::AntiReplayAdd(void* ptr, time_t,
                                      const gnutls_datum_t* key,
                                      const gnutls_datum_t*) {
  auto* self = static_cast<Ngtcp2SessionCache*>(ptr);
  std::string k(reinterpret_cast<const char*>(key->data), key->size);
  if (!self->replay_keys_.insert(std::move(k)).second) {
    ++self->replays_refused_;
    return GNUTLS_E_DB_ENTRY_EXISTS;
  }
  return 0;
}

absl::Status Ngtcp2SessionCache::ConfigureServer(gnutls_session_t session,
                                                 bool early_data,
                                                 sim::Duration window) {
  gnutls_datum_t key{ticket_key_.data(),
                     static_cast<unsigned int>(ticket_key_.size())};
  int rv = gnutls_session_ticket_enable_server(session, &key);
  if (rv != 0) {
    return absl::InternalError(absl::StrCat(
        "gnutls_session_ticket_enable_server: ", gnutls_strerror(rv)));
  }
  if (!early_data) return absl::OkStatus();
  if (anti_replay_ == nullptr) {
    // Its start time is now (virtual): tickets issued before it are refused
    // 0-RTT, so the first server of the pair creates it.
    rv = gnutls_anti_replay_init(&anti_replay_);
    if (rv != 0) {
      return absl::InternalError(
          absl::StrCat("gnutls_anti_replay_init: ", gnutls_strerror(rv)));
    }
    gnutls_anti_replay_set_add_function(anti_replay_, &AntiReplayAdd);
    gnutls_anti_replay_set_ptr(anti_replay_, this);
    gnutls_anti_replay_set_window(
        anti_replay_, static_cast<unsigned>(window.nanos() / 1'000'000));
  }
  gnutls_anti_replay_enable(session, anti_replay_);
  rv = gnutls_record_set_max_early_data_size(session, 0xffffffffu);
  if (rv != 0) {
    return absl::InternalError(absl::StrCat(
        "gnutls_record_set_max_early_data_size: ", gnutls_strerror(rv)));
  }
  return absl::OkStatus();
}

int Ngtcp2SessionCache::OnNewSessionTicket(gnutls_session_t session, unsigned,
                                           unsigned, unsigned incoming,
                                           const gnutls_datum_t*) {
  if (!incoming) return 0;
  auto* hook = static_cast<ClientHook*>(gnutls_db_get_ptr(session));
  if (hook == nullptr) return 0;
  gnutls_datum_t data{nullptr, 0};
  if (gnutls_session_get_data2(session, &data) != 0) return 0;
  hook->cache->client_session_.assign(data.data, data.data + data.size);
  gnutls_free(data.data);
  ++hook->cache->tickets_received_;
  if (hook->on_ticket != nullptr && *hook->on_ticket) (*hook->on_ticket)();
  return 0;
}

absl::Status Ngtcp2SessionCache::ConfigureClient(
    gnutls_session_t session, absl::AnyInvocable<void()>* on_ticket) {
  if (!client_session_.empty()) {
    gnutls_datum_t d{client_session_.data(),
                     static_cast<unsigned int>(client_session_.size())};
    const int rv = gnutls_session_set_data(session, d.data, d.size);
    if (rv != 0) {
      return absl::InternalError(
          absl::StrCat("gnutls_session_set_data: ", gnutls_strerror(rv)));
    }
  }
  client_hooks_.push_back(
      std::make_unique<ClientHook>(ClientHook{this, on_ticket}));
  gnutls_db_set_ptr(session, client_hooks_.back().get());
  gnutls_handshake_set_hook_function(session,
                                     GNUTLS_HANDSHAKE_NEW_SESSION_TICKET,
                                     GNUTLS_HOOK_POST, &OnNewSessionTicket);
  return absl::OkStatus();
}

void Ngtcp2SessionCache::RememberTransportParams(
    const ngtcp2_transport_params& params) {
  // The fields ngtcp2's example client remembers (the ones RFC 9000 §7.4.1
  // requires a 0-RTT client to keep).
  ngtcp2_transport_params p;
  ngtcp2_transport_params_default(&p);
  p.initial_max_streams_bidi = params.initial_max_streams_bidi;
  p.initial_max_streams_uni = params.initial_max_streams_uni;
  p.initial_max_stream_data_bidi_local =
      params.initial_max_stream_data_bidi_local;
  p.initial_max_stream_data_bidi_remote =
      params.initial_max_stream_data_bidi_remote;
  p.initial_max_stream_data_uni = params.initial_max_stream_data_uni;
  p.initial_max_data = params.initial_max_data;
  p.active_connection_id_limit = params.active_connection_id_limit;
  p.max_datagram_frame_size = params.max_datagram_frame_size;
  remembered_ = p;
}

}  // namespace quicsim::endpoints
