#include "endpoints/packet_space.h"

namespace quicsim::endpoints {
namespace {

AckTracker::Config AckConfig(PacketNumberSpace space,
                             sim::Duration max_ack_delay) {
  AckTracker::Config config;
  config.space = space;
  config.max_ack_delay = max_ack_delay;
  return config;
}

}  // namespace

PacketSpaces MakePacketSpaces(sim::Duration max_ack_delay) {
  return {
      PacketSpace(AckConfig(PacketNumberSpace::kInitial, max_ack_delay)),
      PacketSpace(AckConfig(PacketNumberSpace::kHandshake, max_ack_delay)),
      PacketSpace(AckConfig(PacketNumberSpace::kApplication, max_ack_delay))};
}

}  // namespace quicsim::endpoints
