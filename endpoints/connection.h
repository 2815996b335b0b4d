// A QUIC v1 connection, client or server, driving the synchronous TLS engine
// on the simulator: CRYPTO streams per level, packet protection, ACKs, RFC
// 9002 loss detection and PTO, the anti-amplification limit, key discard,
// Retry and Version Negotiation (client side), 0-RTT, and closing/draining
// (RFC 9000 §10.2). It ends with a Verdict.
//
// The connection does not own a network address: a client is the
// DatagramReceiver of its address (see ClientEndpoint), a server connection is
// created by a ServerEndpoint on the first valid Initial.
#ifndef QUICSIM_ENDPOINTS_CONNECTION_H_
#define QUICSIM_ENDPOINTS_CONNECTION_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "endpoints/closing.h"
#include "endpoints/connection_event.h"
#include "endpoints/frames.h"
#include "endpoints/loss_detector.h"
#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"
#include "endpoints/packet_space.h"
#include "endpoints/perspective.h"
#include "endpoints/timers.h"
#include "endpoints/trace_text.h"
#include "endpoints/transport_parameters.h"
#include "endpoints/types.h"
#include "endpoints/verdict.h"
#include "sim/datagram.h"
#include "sim/network.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/context.h"
#include "tls/engine.h"
#include "tls/random.h"
#include "tls/session.h"

namespace quicsim::endpoints {

// Faults the QUIC layer injects (design brief, error-injection table, endpoint
// rows). TLS rows are tls::FaultInjection in the tls::Context.
struct EndpointFaults {
  // Server: its transport parameters carry an invalid value
  // (max_udp_payload_size 1000), which the client must reject with
  // TRANSPORT_PARAMETER_ERROR.
  bool invalid_transport_parameters = false;
  // Server: the application refuses the client's transport parameters
  // (TransportParametersRequired), closing with TRANSPORT_PARAMETER_ERROR.
  bool refuse_peer_transport_parameters = false;
  // With refuse_peer_transport_parameters: close with this TLS alert
  // (CRYPTO_ERROR 0x100 + alert) instead; 0 keeps 0x08.
  uint8_t refuse_alert = 0;
  // Every datagram carrying this side's CONNECTION_CLOSE is lost on the way
  // out (the peer must fall back to its idle timeout).
  bool lose_connection_close = false;
};

// Receives what a connection does on the wire, for the oracles. Every
// datagram the connection sends or accepts is reported, none sampled.
class ConnectionObserver {
 public:
  virtual ~ConnectionObserver() = default;
  // A datagram left the connection; `levels` is a bit set of the
  // EncryptionLevels of its packets (1 << level).
  virtual void OnDatagramSent(Perspective self, size_t bytes, uint8_t levels,
                              bool has_connection_close) {}
  // A datagram reached the connection (before any processing).
  virtual void OnDatagramReceived(Perspective self, size_t bytes) {}
  // The server considers the client's address validated.
  virtual void OnAddressValidated(Perspective self) {}
  // Keys of `level` were discarded (both directions).
  virtual void OnKeysDiscarded(Perspective self, EncryptionLevel level) {}
  // A packet at `level` was sent.
  virtual void OnPacketSent(Perspective self, EncryptionLevel level) {}
  // The connection entered the closing (sent) or draining (received) state
  // or finished its closing/draining period.
  virtual void OnClosingPeriodEnded(Perspective self) {}
  // The verdict became final.
  virtual void OnVerdict(Perspective self, const Verdict& verdict) {}
  // The loss-detection timer was recomputed: whether it is armed, and
  // whether RFC 9002 §6.2.2.1 requires it (a client that has not confirmed
  // the handshake and whose peer has not completed address validation must
  // keep a timer, or both sides may wait for each other forever).
  virtual void OnLossTimer(Perspective self, bool armed, bool required) {}
};

// Everything a connection needs to know at creation.
struct ConnectionOptions {
  Perspective perspective = Perspective::kClient;
  // Shared TLS state (must outlive the connection).
  tls::Context* tls_context = nullptr;
  sim::Address local;
  sim::Address peer;
  // Client: the version of its first Initial. Anything but v1 provokes a
  // Version Negotiation packet, after which the client retries with v1.
  uint32_t initial_version = kQuicVersion1;
  // Largest UDP payload this side sends (also bounded by the peer's
  // max_udp_payload_size), and the max_udp_payload_size it advertises.
  size_t max_datagram_size = 1200;
  uint64_t max_udp_payload_size = 1472;
  // Our max_idle_timeout transport parameter.
  sim::Duration idle_timeout = sim::Duration::Seconds(30);
  sim::Duration max_ack_delay = sim::Duration::Millis(25);
  // Length of the connection IDs this side issues.
  size_t connection_id_length = 8;
  // Client: a session to resume (0-RTT if it allows it and early_data).
  tls::Session resume_session;
  // Client: bytes sent on stream 0 (with FIN): in 0-RTT when it can, else in
  // 1-RTT. Server: the number of stream bytes it waits for before its side
  // is done.
  std::vector<uint8_t> request;
  size_t expect_request_bytes = 0;
  // Client: keep running after confirmation until a session ticket arrives.
  bool wait_for_session_ticket = false;
  // Server: answer ResumeSession by refusing 0-RTT (Go: SessionState.
  // EarlyData = false). A client declines whenever it has no request to
  // send early.
  bool decline_early_data = false;
  EndpointFaults faults;
  // Receives this connection's TLS secrets as SSLKEYLOGFILE lines (for
  // pcap decryption); empty: none are produced.
  std::function<void(std::string_view)> keylog_sink;
  // Server: the connection IDs the ServerEndpoint saw / chose.
  ConnectionId original_dcid;  // the client's first DCID
  std::optional<ConnectionId> retry_scid;
  ConnectionId client_initial_dcid;  // DCID of the Initial that created us
};

// What a finished connection reports besides its verdict.
struct ConnectionStats {
  uint64_t datagrams_sent = 0;
  uint64_t datagrams_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  uint64_t packets_sent = 0;
  uint64_t packets_received = 0;
  uint64_t packets_dropped = 0;
  uint64_t packets_lost = 0;
  uint64_t ptos = 0;
};

// One QUIC connection; see the file comment.
class Connection {
 public:
  // `scheduler`, `network`, `trace` (may be null) and `observer` (may be
  // null) must outlive the connection. `rng_seed` seeds its own streams.
  Connection(ConnectionOptions options, sim::Scheduler* scheduler,
             sim::Network* network, uint64_t rng_seed, std::string actor,
             sim::TraceSink* trace, ConnectionObserver* observer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Client: starts the handshake (sends the first flight). Server: prepares
  // the TLS engine; the first datagram comes through OnDatagram.
  void Start();
  // A datagram addressed to this connection arrived (now). `observed`: the
  // caller already reported it to the observer.
  void OnDatagram(sim::Datagram datagram, bool observed = false);
  // Stops every timer and ignores further input (the run is over).
  void Stop();
  // Server: the client's address was validated before the connection
  // existed (a valid Retry token, RFC 9000 §8.1.2).
  void MarkAddressValidated();

  const Verdict& verdict() const { return verdict_; }
  // True when nothing more will happen: the verdict is final and any
  // closing/draining period or post-confirmation work (tickets, request
  // delivery) is over.
  bool done() const { return done_; }
  Perspective perspective() const { return options_.perspective; }
  const ConnectionStats& stats() const { return stats_; }
  // Client: the newest session ticket received (invalid if none).
  const tls::Session& received_session() const { return received_session_; }
  // Server: stream bytes received, and whether they came in 0-RTT.
  size_t request_bytes_received() const { return request_received_; }
  bool request_in_0rtt() const { return request_in_0rtt_; }
  const tls::Engine* engine() const { return engine_.get(); }
  const std::string& actor() const { return tracer_.actor(); }
  // Called once when done() becomes true.
  void set_on_done(absl::AnyInvocable<void()> on_done) {
    on_done_ = std::move(on_done);
  }

 private:
  // A seeded stream for TLS (the RAND_bytes interposer draws from it).
  class TlsRandom : public tls::RandomStream {
   public:
    explicit TlsRandom(sim::Rng rng) : rng_(rng) {}
    void Fill(absl::Span<uint8_t> out) override {
      rng_.Fill(out.data(), out.size());
    }

   private:
    sim::Rng rng_;
  };

  // What one sent packet carried, to act on its acknowledgement or loss.
  struct SentRecord {
    EncryptionLevel level = EncryptionLevel::kInitial;
    uint64_t crypto_offset = 0;
    uint32_t crypto_length = 0;
    bool handshake_done = false;
    bool stream = false;
    uint64_t largest_acked_in_ack = 0;
    bool has_ack = false;
  };

  struct LevelState {
    std::unique_ptr<PacketProtector> read;
    std::unique_ptr<PacketProtector> write;
    bool discarded = false;
  };

  enum class State {
    kIdle,
    kHandshake,
    kConfirmed,
    kClosing,
    kDraining,
    kFinished
  };

  // ---- Input ----
  void ProcessPacket(const PacketHeader& header, absl::Span<uint8_t> packet,
                     size_t datagram_size);
  // Why a packet with `header` (at `level`, in a datagram of
  // `datagram_size` bytes) is dropped before decryption; null: it is not.
  const char* EarlyDropReason(const PacketHeader& header, EncryptionLevel level,
                              size_t datagram_size) const;
  void ProcessVersionNegotiation(const PacketHeader& header);
  void ProcessRetry(const PacketHeader& header);
  // A received payload's frames, parsed once for processing and the trace.
  using ReceivedFrames = absl::InlinedVector<Frame, 8>;
  // Parses `payload` into `frames` up to the first malformed frame, whose
  // error it returns.
  static absl::Status ParseReceivedFrames(EncryptionLevel level,
                                          absl::Span<const uint8_t> payload,
                                          ReceivedFrames* frames);
  // Processes `frames` in order; `parsed` is ParseReceivedFrames' result.
  absl::Status ProcessFrames(EncryptionLevel level,
                             const ReceivedFrames& frames,
                             const absl::Status& parsed, bool* ack_eliciting);
  absl::Status OnAckFrame(EncryptionLevel level, const AckFrame& ack);
  // `largest_acked`: of the ACK that declared them lost (none: the timer).
  void OnPacketsLost(absl::Span<const SentPacketInfo> lost,
                     std::optional<uint64_t> largest_acked = std::nullopt);
  absl::Status OnCryptoFrame(EncryptionLevel level, uint64_t offset,
                             absl::Span<const uint8_t> data);
  void OnConnectionClose(uint64_t code, absl::string_view reason);

  // ---- TLS (connection_tls.cc) ----
  absl::Status DrainTlsEvents();
  // Traces one side's transport parameters.
  void TraceTransportParameters(events::TransportParametersSet::Owner owner,
                                const TransportParameters& params);
  // Traces each TLS handshake message this side writes (type, length).
  void TraceHandshakeMessages(tls::Level level, absl::Span<const uint8_t> data);
  absl::Status OnPeerTransportParameters(absl::Span<const uint8_t> bytes);
  // What the stack does at ResumeSession and FirstFlightReady (proposal
  // #74922; connection_first_flight.cc).
  absl::Status OnResumeSession(const tls::Event& event);
  absl::Status OnFirstFlightReady();
  absl::StatusOr<std::vector<uint8_t>> LocalTransportParameters();
  absl::Status InstallKeys(bool write, tls::Level level, uint16_t suite,
                           absl::Span<const uint8_t> secret);
  void OnHandshakeComplete();
  void ConfirmHandshake();
  void DiscardKeys(EncryptionLevel level);
  // Initial keys for both directions from the client's first DCID.
  void InstallInitialKeys(const ConnectionId& client_dcid);

  // ---- Output (connection_send.cc) ----
  // One packet of a datagram being built (defined in connection_send.cc).
  struct PacketPlan;
  using PacketPlans = absl::InlinedVector<PacketPlan, 4>;
  void SendPending();
  // Builds and sends one datagram; false if there was nothing to send.
  bool SendOneDatagram();
  // The largest datagram this side may send now (its own limit, the
  // peer's max_udp_payload_size, the anti-amplification budget).
  size_t DatagramSizeLimit(uint64_t budget) const;
  // Fills `plan` with the frames due at `level` in `room` bytes; false if
  // there is nothing to send at that level. `cwnd_open`: the congestion
  // window has room for a full datagram; `any_probe`: some space owes a PTO
  // probe.
  bool PlanPacket(EncryptionLevel level, size_t room, bool cwnd_open,
                  bool any_probe, PacketPlan* plan);
  // Pads the datagram to 1200 bytes when it must be (RFC 9000 §14.1);
  // false if the amplification limit forbids it (the plans' data is then
  // put back).
  bool PadDatagram(PacketPlans& plans, size_t limit, uint64_t budget,
                   size_t* used);
  // Seals the planned packets, records them and sends the datagram.
  void SealAndSend(PacketPlans& plans, size_t used);
  bool HasDataToSend(EncryptionLevel level) const;
  // Bytes of the header (up to and including the packet number) of a
  // packet this connection would send at `level` now.
  size_t PacketHeaderLength(EncryptionLevel level) const;
  // The header of a packet this connection sends at `level` now.
  PacketHeader OutgoingHeader(EncryptionLevel level) const;
  void SendVersionProbe();
  void ArmVersionAlarm();
  void Transmit(std::vector<uint8_t> payload, uint8_t levels, bool has_close);

  // ---- Closing and draining (connection_closing.cc, which also defines
  // OnConnectionClose, CloseConnection and CloseWithStatus) ----
  // Sends CONNECTION_CLOSE in one datagram, at every level with keys.
  void SendConnectionClosePackets();
  void OnCloseAlarm();
  void OnCloseRepeatAlarm();

  // ---- Timers and state ----
  void OnTimer(ConnectionTimer timer);
  void OnLossDetectionAlarm();
  void OnIdleAlarm();
  void OnVersionAlarm();
  void UpdateRecoveryFlags();
  void ArmTimers();
  void ResetIdleTimer();
  sim::Duration CurrentPto() const;
  // Closes with `code` (sent to the peer at every level with keys).
  void CloseConnection(uint64_t code, absl::string_view reason);
  void CloseWithStatus(const absl::Status& status);
  void SetVerdict(Verdict::Kind kind, uint64_t code, absl::string_view reason);
  void MaybeDone();
  // Records `event` now (callers check TraceOn() first).
  void Trace(const ConnectionEvent& event) {
    tracer_.Record(scheduler_->Now(), event);
  }
  // Recovery events for the trace (connection_recovery_trace.cc).
  void TracePacketLost(const SentPacketInfo& info, PacketNumberSpace space,
                       std::optional<uint64_t> largest_acked);
  // After re-arming the loss alarm: records a change from `before`.
  void TraceLossTimer(sim::Time before);
  void TraceLossTimerExpired();
  bool TraceOn() const { return tracer_.enabled(); }

  EncryptionLevel LevelFromTls(tls::Level level) const {
    return static_cast<EncryptionLevel>(level);
  }
  LevelState& L(EncryptionLevel level) {
    return levels_[static_cast<int>(level)];
  }
  const LevelState& L(EncryptionLevel level) const {
    return levels_[static_cast<int>(level)];
  }
  PacketSpace& Space(PacketNumberSpace space) {
    return spaces_[static_cast<int>(space)];
  }
  const PacketSpace& Space(PacketNumberSpace space) const {
    return spaces_[static_cast<int>(space)];
  }
  CryptoStream& Crypto(EncryptionLevel level) {
    return Space(SpaceOf(level)).crypto;
  }
  // Frames waiting in the Application space (HANDSHAKE_DONE, the request).
  PendingFrames& AppPending() {
    return Space(PacketNumberSpace::kApplication).pending;
  }
  const PendingFrames& AppPending() const {
    return Space(PacketNumberSpace::kApplication).pending;
  }
  bool is_client() const {
    return options_.perspective == Perspective::kClient;
  }
  bool AddressValidated() const { return is_client() || address_validated_; }
  uint64_t AmplificationBudget() const;

  ConnectionOptions options_;
  sim::Scheduler* scheduler_;
  sim::Network* network_;
  // Renders typed events as the trace's text lines (and attaches them).
  TextTracer tracer_;
  ConnectionObserver* observer_;
  sim::Rng rng_;
  TlsRandom tls_random_;
  std::unique_ptr<tls::Engine> engine_;

  State state_ = State::kIdle;
  Verdict verdict_;
  sim::Time start_time_;
  bool done_ = false;
  absl::AnyInvocable<void()> on_done_;

  // Connection IDs.
  ConnectionId local_cid_;
  ConnectionId peer_cid_;  // the DCID we send to
  ConnectionId original_dcid_;
  std::optional<ConnectionId> retry_scid_;
  ConnectionId peer_initial_scid_;
  bool received_from_peer_ = false;
  std::vector<uint8_t> retry_token_;
  uint32_t version_ = kQuicVersion1;
  bool awaiting_version_negotiation_ = false;
  int version_rounds_ = 0;

  LevelState levels_[4];
  PacketSpaces spaces_;
  LossDetector loss_;
  RecoveryOutcome outcome_;
  absl::flat_hash_map<uint64_t, SentRecord> sent_records_;
  uint64_t next_token_ = 1;

  // Peer transport parameters.
  uint64_t peer_ack_delay_exponent_ = 3;
  uint64_t peer_max_udp_payload_size_ = 65527;
  sim::Duration idle_timeout_;

  // Address validation and amplification (server).
  bool address_validated_ = false;
  uint64_t bytes_received_before_validation_ = 0;
  uint64_t bytes_sent_before_validation_ = 0;
  bool peer_completed_address_validation_ = false;  // client's view

  // Handshake progress.
  bool handshake_complete_ = false;
  bool handshake_done_acked_ = false;
  bool sent_handshake_packet_ = false;
  tls::Session received_session_;

  // Stream 0 (client request / server receipt).
  bool request_acked_ = false;
  size_t request_received_ = 0;
  bool request_in_0rtt_ = false;

  // Closing.
  CloseState closing_;
  uint64_t ack_eliciting_sent_since_receive_ = 0;

  // Undecryptable packets held until their keys arrive (RFC 9001 §5.7).
  struct Buffered {
    std::vector<uint8_t> bytes;
    EncryptionLevel level;
    size_t datagram_size;
  };
  std::vector<Buffered> undecryptable_;

  // Where each level's outgoing handshake-message stream stands (traces).
  struct HandshakeMessageCursor {
    uint8_t header[4] = {};
    size_t header_length = 0;
    size_t body_remaining = 0;
  };
  HandshakeMessageCursor hs_cursor_[4];

  ConnectionStats stats_;
  TimerTable timers_;
  std::vector<PacketNumberRange> range_scratch_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_CONNECTION_H_
