// The closing and draining states of a connection (RFC 9000 §10.2): the
// CONNECTION_CLOSE a closing endpoint keeps sending, how many incoming
// datagrams it answers, the backoff of its unprovoked repetitions, and how
// long each period lasts.
#ifndef QUICSIM_ENDPOINTS_CLOSING_H_
#define QUICSIM_ENDPOINTS_CLOSING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// What a closing connection remembers about its close.
class CloseState {
 public:
  // Incoming datagrams answered with CONNECTION_CLOSE in the closing state.
  static constexpr int kMaxResponses = 32;
  // Unprovoked repetitions of CONNECTION_CLOSE in the closing state.
  static constexpr int kMaxRepeats = 5;

  // Enters the closing state: the CONNECTION_CLOSE carries `code` and
  // `reason`; the repetition backoff starts over.
  void Enter(uint64_t code, absl::string_view reason) {
    code_ = code;
    reason_ = std::string(reason);
    repeats_ = 0;
  }
  uint64_t code() const { return code_; }
  const std::string& reason() const { return reason_; }

  // A datagram arrived in the closing state: true if it is to be answered
  // with CONNECTION_CLOSE (at most kMaxResponses times, §10.2.1).
  bool TakeResponse() {
    if (responses_ >= kMaxResponses) return false;
    ++responses_;
    return true;
  }
  // The repetition timer fired: true if CONNECTION_CLOSE is to be repeated
  // now (at most kMaxRepeats times).
  bool TakeRepeat() {
    if (repeats_ >= kMaxRepeats) return false;
    ++repeats_;
    return true;
  }
  // Delay from now to the next repetition: PTO, 2 PTO, 4 PTO, ...
  sim::Duration RepeatDelay(sim::Duration pto) const {
    return pto * (int64_t{1} << repeats_);
  }

  // How long the closing state lasts. RFC 9000 §10.2 asks for at least
  // three PTOs. A peer still on its initial RTT estimate retransmits after
  // ~1 s, 3 s, 7 s, 15 s, ... until its idle timeout, so the closing state
  // lasts that long: every retransmission that gets through is answered,
  // and a lost CONNECTION_CLOSE is not the end of the story.
  static sim::Duration ClosingPeriod(sim::Duration pto,
                                     sim::Duration idle_timeout);
  // How long the draining state lasts: three PTOs (§10.2.2).
  static sim::Duration DrainingPeriod(sim::Duration pto) { return pto * 3; }

 private:
  uint64_t code_ = 0;
  std::string reason_;
  int responses_ = 0;
  int repeats_ = 0;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_CLOSING_H_
