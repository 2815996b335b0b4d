// Ngtcp2Endpoint: session resumption and 0-RTT (the state shared between a
// pair's priming and measured connections is in ngtcp2_session_cache.h).
#include <gnutls/gnutls.h>

#include "absl/strings/str_format.h"
#include "endpoints/ngtcp2_endpoint.h"

namespace quicsim::endpoints {

unsigned Ngtcp2Endpoint::ResumptionFlags() const {
  if (options_.session_cache == nullptr) return GNUTLS_NO_TICKETS;
  return options_.early_data ? GNUTLS_ENABLE_EARLY_DATA : 0;
}

absl::Status Ngtcp2Endpoint::ConfigureResumption(gnutls_session_t s) {
  Ngtcp2SessionCache* cache = options_.session_cache.get();
  if (cache == nullptr) return absl::OkStatus();
  if (perspective_ == Perspective::kServer) {
    // GnuTLS sends its tickets with its first flight, so the client's view
    // of a ticket's age can trail the server's by as long as that flight
    // took to arrive (retransmitted until the idle timeout) plus the
    // ClientHello's trip: twice the idle timeout, not GnuTLS's default 10 s
    // (which long lossy handshakes exceed).
    return cache->ConfigureServer(s, options_.early_data,
                                  options_.idle_timeout * 2);
  }
  on_ticket_ = [this] {
    ticket_received_ = true;
    Trace("session_ticket",
          absl::StrFormat("stored=%d",
                          options_.session_cache->tickets_received()));
    if (verdict_.kind == Verdict::Kind::kConfirmed) MarkDone();
  };
  return cache->ConfigureClient(s, &on_ticket_);
}

void Ngtcp2Endpoint::PrepareEarlyData() {
  Ngtcp2SessionCache* cache = options_.session_cache.get();
  if (cache == nullptr || !options_.early_data || options_.request.empty() ||
      !cache->has_client_session() || !cache->remembered_params()) {
    return;
  }
  // Not on an attempt with a version ngtcp2 does not support itself (the
  // offer_unknown_version_first knob): ngtcp2 0.12 then leaves the Initial
  // unpadded for a 0-RTT packet it does not write, and the 617-byte
  // datagram is dropped (RFC 9000 §14.1). The v1 attempt after Version
  // Negotiation sends 0-RTT.
  if (options_.first_version != 0 && !restarted_) return;
  // GnuTLS offers early data when the session it resumes allows it; ngtcp2
  // then has the 0-RTT key once the ClientHello is written.
  const ngtcp2_transport_params params = *cache->remembered_params();
  ngtcp2_conn_set_early_remote_transport_params(conn_, &params);
  early_data_attempted_ = true;
}

ngtcp2_ssize Ngtcp2Endpoint::WriteRequestPacket(ngtcp2_path* path,
                                                ngtcp2_pkt_info* pi,
                                                uint8_t* buf, size_t max) {
  const std::vector<uint8_t>& request = options_.request;
  const bool pending = perspective_ == Perspective::kClient &&
                       !request.empty() && !request_fin_written_;
  if (pending && request_stream_ < 0 &&
      (early_data_attempted_ || ngtcp2_conn_get_handshake_completed(conn_))) {
    int64_t id;
    const int rv = ngtcp2_conn_open_bidi_stream(conn_, &id, nullptr);
    if (rv == 0) {
      request_stream_ = id;
      request_written_ = 0;
      Trace("stream_open",
            absl::StrFormat("id=%d early=%d", id,
                            ngtcp2_conn_get_handshake_completed(conn_) == 0));
    }
  }
  if (!pending || request_stream_ < 0) {
    return ngtcp2_conn_write_pkt(conn_, path, pi, buf, max, Ts());
  }
  ngtcp2_vec v{const_cast<uint8_t*>(request.data()) + request_written_,
               request.size() - request_written_};
  ngtcp2_ssize written = -1;
  const ngtcp2_ssize n = ngtcp2_conn_writev_stream(
      conn_, path, pi, buf, max, &written, NGTCP2_WRITE_STREAM_FLAG_FIN,
      request_stream_, &v, 1, Ts());
  if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED || n == NGTCP2_ERR_STREAM_SHUT_WR ||
      n == NGTCP2_ERR_STREAM_NOT_FOUND) {
    // Nothing of the request can go now; the other frames still can.
    return ngtcp2_conn_write_pkt(conn_, path, pi, buf, max, Ts());
  }
  if (n > 0 && written >= 0) {
    request_written_ += static_cast<size_t>(written);
    if (request_written_ == request.size()) request_fin_written_ = true;
  }
  return n;
}

void Ngtcp2Endpoint::RecordResumption() {
  auto s =
      static_cast<gnutls_session_t>(ngtcp2_conn_get_tls_native_handle(conn_));
  verdict_.resumed = gnutls_session_is_resumed(s) != 0;
  verdict_.early_data_accepted =
      (gnutls_session_get_flags(s) & GNUTLS_SFLAGS_EARLY_DATA) != 0;
  if (verdict_.resumed || early_data_attempted_) {
    // GnuTLS offers early data only when the resumed ticket allows it; it
    // then derived the 0-RTT key, which the crypto helper installed.
    const ngtcp2_crypto_ctx* early = ngtcp2_conn_get_early_crypto_ctx(conn_);
    const bool offered = perspective_ == Perspective::kClient &&
                         early_data_attempted_ && early != nullptr &&
                         early->aead.native_handle != nullptr;
    Trace("resumption",
          absl::StrFormat("resumed=%d early_data=%s", verdict_.resumed,
                          verdict_.early_data_accepted ? "accepted"
                          : offered                    ? "rejected"
                          : early_data_attempted_      ? "not_offered"
                                                       : "none"));
  }
}

void Ngtcp2Endpoint::OnClientHandshakeCompleted() {
  Ngtcp2SessionCache* cache = options_.session_cache.get();
  if (cache != nullptr) {
    const ngtcp2_transport_params* params =
        ngtcp2_conn_get_remote_transport_params(conn_);
    if (params != nullptr) cache->RememberTransportParams(*params);
  }
  if (!early_data_attempted_ || verdict_.early_data_accepted) return;
  // As ngtcp2's example client: GnuTLS reports the rejection only now; the
  // 0-RTT streams are gone and the request goes again in 1-RTT.
  ngtcp2_conn_early_data_rejected(conn_);
  request_stream_ = -1;
  request_written_ = 0;
  request_fin_written_ = false;
}

}  // namespace quicsim::endpoints
