// Composable per-direction impairments and the structured decisions they
// make. Every impairment sees every datagram that enters its link (after the
// MTU check), draws from its own named Rng stream, and appends zero or more
// Decisions; a datagram with no decision passes untouched. Because each
// impairment always evaluates every datagram, its random sequence depends
// only on its own stream and the datagram sequence, not on other impairments.
//
// Decisions go to the trace and, when requested, to a list that a link in
// scripted mode applies instead of random draws (replay and shrinking).
#ifndef QUICSIM_SIM_IMPAIRMENT_H_
#define QUICSIM_SIM_IMPAIRMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/datagram.h"
#include "sim/random.h"
#include "sim/time.h"

namespace quicsim::sim {

// What a decision does to a datagram.
enum class Action {
  kDrop,     // the datagram is lost
  kDelay,    // extra delay, order with other datagrams kept
  kReorder,  // extra delay, exempt from FIFO order (may overtake/be overtaken)
  kDuplicate,  // `copies` extra copies are delivered with the original
  kCorrupt,    // the bits listed in `bits` are flipped
};
// "drop", "delay", "reorder", "duplicate", "corrupt".
const char* ActionName(Action action);

// One recorded decision about one datagram on one link.
struct Decision {
  std::string link;    // the link's name
  uint64_t index = 0;  // per-link index of the datagram (0-based)
  Action action = Action::kDrop;
  // Who decided and why: "bernoulli", "gilbert_elliott/bad", "nth",
  // "predicate/<name>", "blackhole", "reorder", "duplicate", "corrupt", and
  // for link-made decisions "mtu", "queue_full".
  std::string reason;
  Duration delay;              // kDelay, kReorder
  uint32_t copies = 0;         // kDuplicate
  std::vector<uint32_t> bits;  // kCorrupt: bit i is byte i/8, mask 1<<(i%8)
  // kReorder: held back until the next datagram on the link is scheduled,
  // then delivered right after it (a swap with the next datagram); `delay`
  // is the fallback when no datagram follows before then.
  bool until_next = false;
  // Made by the link itself (MTU, queue); scripted mode never applies these
  // because the link re-derives them.
  bool physical = false;

  // "index=3 action=drop reason=bernoulli" plus delay=/copies=/bits= when
  // relevant. Does not include the link name.
  std::string ToString() const;
  bool operator==(const Decision& o) const;
};

// A per-direction impairment. Implementations append decisions with action,
// reason and parameters; the link fills in `link` and `index`.
class Impairment {
 public:
  virtual ~Impairment() = default;
  // Decides the fate of `d`, the `index`-th datagram on the link, at `now`.
  virtual void Decide(const Datagram& d, uint64_t index, Time now,
                      std::vector<Decision>* out) = 0;
};

// Independent loss with probability p. One draw per datagram.
class BernoulliLoss : public Impairment {
 public:
  // `max_burst` > 0 caps consecutive drops: after that many in a row the
  // next datagram passes (the QUIC interop runner's drop-rate --burst). The
  // draw is made either way, so the stream stays aligned.
  BernoulliLoss(double p, Rng rng, uint32_t max_burst = 0)
      : p_(p), rng_(rng), max_burst_(max_burst) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  double p_;
  Rng rng_;
  uint32_t max_burst_;
  uint32_t run_ = 0;
};

// Gilbert–Elliott burst loss: a two-state Markov chain, starting Good.
// For each datagram: first the state transitions (Good→Bad with probability
// p, Bad→Good with probability r), then the datagram is lost with the new
// state's loss probability. Two draws per datagram, always.
// In netem's `loss gemodel p r 1-h 1-k` terms: loss_in_bad = 1-h,
// loss_in_good = 1-k. With loss_in_bad = 1 and loss_in_good = 0 the
// stationary loss rate is p/(p+r) and the mean burst length is 1/r.
class GilbertElliottLoss : public Impairment {
 public:
  struct Params {
    double p = 0;             // P(Good -> Bad) per datagram
    double r = 1;             // P(Bad -> Good) per datagram
    double loss_in_good = 0;  // 1-k
    double loss_in_bad = 1;   // 1-h
  };
  GilbertElliottLoss(Params params, Rng rng) : params_(params), rng_(rng) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;
  bool in_bad_state() const { return bad_; }

 private:
  Params params_;
  Rng rng_;
  bool bad_ = false;
};

// Drops exactly the datagrams whose per-link indices are listed. No draws.
class DropNth : public Impairment {
 public:
  explicit DropNth(std::vector<uint64_t> indices);
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  std::vector<uint64_t> indices_;  // sorted, unique
};

// Drops datagrams for which a caller-supplied predicate returns true (e.g.
// "the first Initial"). Reason "predicate/<name>".
class DropIf : public Impairment {
 public:
  using Predicate =
      absl::AnyInvocable<bool(const Datagram&, uint64_t index_on_link)>;
  DropIf(std::string name, Predicate predicate)
      : name_(std::move(name)), predicate_(std::move(predicate)) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  std::string name_;
  Predicate predicate_;
};

// Drops every datagram entering the link inside any [start, end) window.
class Blackhole : public Impairment {
 public:
  struct Window {
    Time start;
    Time end;
  };
  explicit Blackhole(std::vector<Window> windows)
      : windows_(std::move(windows)) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  std::vector<Window> windows_;
};

// With probability p, delays a datagram by `extra_delay` outside FIFO order
// so later datagrams overtake it. One draw per datagram.
class Reorder : public Impairment {
 public:
  Reorder(double p, Duration extra_delay, Rng rng)
      : p_(p), extra_delay_(extra_delay), rng_(rng) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  double p_;
  Duration extra_delay_;
  Rng rng_;
};

// With probability p, delivers one extra copy together with the original
// (the copy does not use link bandwidth). One draw per datagram.
class Duplicate : public Impairment {
 public:
  Duplicate(double p, Rng rng) : p_(p), rng_(rng) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  double p_;
  Rng rng_;
};

// With probability p, flips `bits` distinct random bits of the payload (all
// of them if the payload is smaller). One draw per datagram plus the bit
// positions when it corrupts.
class Corrupt : public Impairment {
 public:
  // `max_burst` > 0 caps consecutive corrupted datagrams, as for
  // BernoulliLoss.
  Corrupt(double p, uint32_t bits, Rng rng, uint32_t max_burst = 0)
      : p_(p), bits_(bits), rng_(rng), max_burst_(max_burst) {}
  void Decide(const Datagram& d, uint64_t index, Time now,
              std::vector<Decision>* out) override;

 private:
  double p_;
  uint32_t bits_;
  Rng rng_;
  uint32_t max_burst_;
  uint32_t run_ = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_IMPAIRMENT_H_
