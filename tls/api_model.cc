// The three Go API models of tls::Engine (see tls/engine.h): how an error the
// engine raised reaches the caller, which pauses exist, and what Go does
// while reading a ClientHello that BoringSSL does later.
#include <utility>

#include "tls/client_hello.h"
#include "tls/engine.h"

namespace quicsim::tls {

const char* ApiModelName(ApiModel model) {
  switch (model) {
    case ApiModel::kProposal74922:
      return "PROPOSAL_74922";
    case ApiModel::kGo121:
      return "GO_1_21";
    case ApiModel::kGo126:
      return "GO_1_26";
  }
  return "?";
}

bool Engine::first_flight_enabled() const {
  return config().enable_send_first_flight &&
         config().api_model == ApiModel::kProposal74922;
}

const std::vector<std::string>& Engine::alpn() const {
  static const std::vector<std::string>* const kMismatch =
      new std::vector<std::string>{"quicsim-no-such-protocol"};
  return config().faults.alpn_mismatch ? *kMismatch : config().alpn;
}

void Engine::MaybeEmitServerResumeSession(
    const SSL_CLIENT_HELLO* client_hello) {
  std::optional<std::vector<uint8_t>> plaintext =
      OpenOfferedTicket(client_hello, context_);
  if (!plaintext.has_value()) return;
  Event& ev = Push(EventKind::kResumeSession);
  size_t session_len = plaintext->size();
  if (!SplitTicketExtra(*plaintext, &session_len, &ev.extra)) {
    session_len = plaintext->size();
  }
  plaintext->resize(session_len);
  absl::StatusOr<Session> session =
      Session::Parse(context_->ssl_ctx(), *plaintext, {});
  if (session.ok()) ev.session = *std::move(session);
  ev.data = *std::move(plaintext);
}

absl::StatusOr<std::vector<uint8_t>> Engine::ResealTicket(
    absl::Span<const uint8_t> ticket,
    const std::vector<std::vector<uint8_t>>& extra) const {
  std::vector<uint8_t> plaintext(ticket.size());
  size_t len = 0;
  if (!context_->OpenTicket(plaintext.data(), &len, plaintext.size(),
                            ticket.data(), ticket.size())) {
    return absl::InternalError("cannot open the held session ticket");
  }
  plaintext.resize(len);
  size_t session_len = 0;
  std::vector<std::vector<uint8_t>> old_extra;
  if (SplitTicketExtra(plaintext, &session_len, &old_extra)) {
    plaintext.resize(session_len);
  }
  const std::vector<uint8_t> with_extra = AppendTicketExtra(plaintext, extra);
  std::vector<uint8_t> sealed(with_extra.size() + context_->TicketOverhead());
  size_t sealed_len = 0;
  if (!context_->SealTicket(sealed.data(), &sealed_len, sealed.size(),
                            with_extra.data(), with_extra.size())) {
    return absl::InternalError("cannot seal the session ticket");
  }
  sealed.resize(sealed_len);
  if (sealed.size() > 0xffff) {
    return absl::InvalidArgumentError("session ticket extra data too large");
  }
  return sealed;
}

absl::Status Engine::Report(Call call, absl::Status status) {
  if (!fresh_failure_) return status;  // no new failure in this call
  fresh_failure_ = false;
  switch (config().api_model) {
    case ApiModel::kProposal74922:
      // Synchronous: the call that raised the error returns it.
      return status;
    case ApiModel::kGo126: {
      // QUICErrorEvent: pending events are discarded and the error comes
      // once from NextEvent; the call itself returns nil.
      Event error_event = std::move(events_.back());
      events_.clear();
      events_.push_back(std::move(error_event));
      return absl::OkStatus();
    }
    case ApiModel::kGo121:
      // No error event exists before Go 1.26.
      if (!events_.empty() && events_.back().kind == EventKind::kError) {
        events_.pop_back();
      }
      if (is_server() && call == Call::kSetTransportParameters) {
        // The goroutine failed writing the flight after asking for the
        // parameters; SetTransportParameters returns nothing. The error
        // waits for the next HandleData (the sticky check returns it).
        return absl::OkStatus();
      }
      return status;
  }
  return status;
}

}  // namespace quicsim::tls
