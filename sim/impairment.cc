#include "sim/impairment.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace quicsim::sim {
namespace {

Decision Make(Action action, std::string reason) {
  Decision d;
  d.action = action;
  d.reason = std::move(reason);
  return d;
}

}  // namespace

const char* ActionName(Action action) {
  switch (action) {
    case Action::kDrop:
      return "drop";
    case Action::kDelay:
      return "delay";
    case Action::kReorder:
      return "reorder";
    case Action::kDuplicate:
      return "duplicate";
    case Action::kCorrupt:
      return "corrupt";
  }
  return "unknown";
}

std::string Decision::ToString() const {
  std::string s = absl::StrCat("index=", index, " action=", ActionName(action),
                               " reason=", reason);
  if (action == Action::kDelay || action == Action::kReorder) {
    absl::StrAppend(&s, " delay=", delay.ToString());
  }
  if (action == Action::kReorder && until_next) {
    absl::StrAppend(&s, " until_next");
  }
  if (action == Action::kDuplicate) absl::StrAppend(&s, " copies=", copies);
  if (action == Action::kCorrupt) {
    absl::StrAppend(&s, " bits=", absl::StrJoin(bits, ","));
  }
  return s;
}

bool Decision::operator==(const Decision& o) const {
  return link == o.link && index == o.index && action == o.action &&
         reason == o.reason && delay == o.delay && copies == o.copies &&
         bits == o.bits && until_next == o.until_next && physical == o.physical;
}

void BernoulliLoss::Decide(const Datagram&, uint64_t, Time,
                           std::vector<Decision>* out) {
  const bool lose = rng_.Bernoulli(p_);
  if (lose && (max_burst_ == 0 || run_ < max_burst_)) {
    ++run_;
    out->push_back(Make(Action::kDrop, "bernoulli"));
  } else {
    run_ = 0;
  }
}

void GilbertElliottLoss::Decide(const Datagram&, uint64_t, Time,
                                std::vector<Decision>* out) {
  const bool flip = rng_.Bernoulli(bad_ ? params_.r : params_.p);
  if (flip) bad_ = !bad_;
  const bool lose =
      rng_.Bernoulli(bad_ ? params_.loss_in_bad : params_.loss_in_good);
  if (lose) {
    out->push_back(Make(Action::kDrop,
                        bad_ ? "gilbert_elliott/bad" : "gilbert_elliott/good"));
  }
}

DropNth::DropNth(std::vector<uint64_t> indices) : indices_(std::move(indices)) {
  std::sort(indices_.begin(), indices_.end());
  indices_.erase(std::unique(indices_.begin(), indices_.end()), indices_.end());
}

void DropNth::Decide(const Datagram&, uint64_t index, Time,
                     std::vector<Decision>* out) {
  if (std::binary_search(indices_.begin(), indices_.end(), index)) {
    out->push_back(Make(Action::kDrop, "nth"));
  }
}

void DropIf::Decide(const Datagram& d, uint64_t index, Time,
                    std::vector<Decision>* out) {
  if (predicate_(d, index)) {
    out->push_back(Make(Action::kDrop, absl::StrCat("predicate/", name_)));
  }
}

void Blackhole::Decide(const Datagram&, uint64_t, Time now,
                       std::vector<Decision>* out) {
  for (const Window& w : windows_) {
    if (now >= w.start && now < w.end) {
      out->push_back(Make(Action::kDrop, "blackhole"));
      return;
    }
  }
}

void Reorder::Decide(const Datagram&, uint64_t, Time,
                     std::vector<Decision>* out) {
  if (rng_.Bernoulli(p_)) {
    Decision d = Make(Action::kReorder, "reorder");
    d.delay = extra_delay_;
    out->push_back(std::move(d));
  }
}

void Duplicate::Decide(const Datagram&, uint64_t, Time,
                       std::vector<Decision>* out) {
  if (rng_.Bernoulli(p_)) {
    Decision d = Make(Action::kDuplicate, "duplicate");
    d.copies = 1;
    out->push_back(std::move(d));
  }
}

void Corrupt::Decide(const Datagram& dg, uint64_t, Time,
                     std::vector<Decision>* out) {
  const bool hit = rng_.Bernoulli(p_);
  if (!hit || (max_burst_ > 0 && run_ >= max_burst_)) {
    run_ = 0;
    return;
  }
  ++run_;
  if (dg.payload.empty() || bits_ == 0) return;
  const uint64_t total = uint64_t{dg.payload.size()} * 8;
  const uint64_t k = std::min<uint64_t>(bits_, total);
  Decision d = Make(Action::kCorrupt, "corrupt");
  // Distinct positions by rejection; k is small next to the payload.
  while (d.bits.size() < k) {
    const uint32_t bit = static_cast<uint32_t>(rng_.Uniform(total));
    if (std::find(d.bits.begin(), d.bits.end(), bit) == d.bits.end()) {
      d.bits.push_back(bit);
    }
  }
  out->push_back(std::move(d));
}

}  // namespace quicsim::sim
