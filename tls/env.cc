#include "tls/env.h"

namespace quicsim::tls {
namespace {

thread_local RandomStream* current_random = nullptr;
thread_local const Clock* current_clock = nullptr;

}  // namespace

absl::Time VirtualEpoch() { return absl::FromUnixSeconds(1767225600); }

ScopedEnv::ScopedEnv(RandomStream* random, const Clock* clock)
    : prev_random_(current_random), prev_clock_(current_clock) {
  current_random = random;
  current_clock = clock;
}

ScopedEnv::~ScopedEnv() {
  current_random = prev_random_;
  current_clock = prev_clock_;
}

RandomStream* CurrentRandomStream() { return current_random; }

absl::Time CurrentTime() {
  if (current_clock == nullptr || !*current_clock) return VirtualEpoch();
  return (*current_clock)();
}

}  // namespace quicsim::tls
