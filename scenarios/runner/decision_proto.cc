#include "scenarios/runner/decision_proto.h"

#include <cstdint>
#include <optional>

namespace quicsim::scenarios {

std::optional<sim::Decision> DecisionFromProto(
    const trace::NetworkDecision& d) {
  if (d.index() == 0) return std::nullopt;
  sim::Decision out;
  out.link = d.link();
  out.index = d.index() - 1;
  out.reason = d.reason();
  switch (d.action()) {
    case trace::NetworkDecision::DROP:
      out.action = sim::Action::kDrop;
      break;
    case trace::NetworkDecision::DUPLICATE:
      out.action = sim::Action::kDuplicate;
      out.copies = d.params().copies() != 0 ? d.params().copies() : 1;
      break;
    case trace::NetworkDecision::REORDER:
      out.action = sim::Action::kReorder;
      out.delay = sim::Duration::Nanos(d.params().extra_delay_ns());
      out.until_next = d.params().until_next();
      break;
    case trace::NetworkDecision::CORRUPT:
      out.action = sim::Action::kCorrupt;
      out.bits.assign(d.params().bit_positions().begin(),
                      d.params().bit_positions().end());
      break;
    default:
      return std::nullopt;
  }
  return out;
}

std::optional<trace::NetworkDecision> DecisionToProto(const sim::Decision& d) {
  trace::NetworkDecision out;
  out.set_link(d.link);
  out.set_index(d.index + 1);
  out.set_reason(d.reason);
  switch (d.action) {
    case sim::Action::kDrop:
      out.set_action(trace::NetworkDecision::DROP);
      break;
    case sim::Action::kDuplicate:
      out.set_action(trace::NetworkDecision::DUPLICATE);
      out.mutable_params()->set_copies(d.copies);
      break;
    case sim::Action::kReorder:
      out.set_action(trace::NetworkDecision::REORDER);
      out.mutable_params()->set_extra_delay_ns(d.delay.nanos());
      out.mutable_params()->set_until_next(d.until_next);
      break;
    case sim::Action::kCorrupt:
      out.set_action(trace::NetworkDecision::CORRUPT);
      for (uint32_t b : d.bits) out.mutable_params()->add_bit_positions(b);
      break;
    default:
      return std::nullopt;
  }
  return out;
}

}  // namespace quicsim::scenarios
