// QUICSIM_CHECK: asserts an invariant that only a programming error can break.
// Never use it on input from the network, a scenario file or a trace file:
// those return absl::Status.
#ifndef QUICSIM_BASE_CHECK_H_
#define QUICSIM_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define QUICSIM_CHECK(condition)                                            \
  do {                                                                      \
    if (!(condition)) {                                                     \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                   #condition);                                             \
      std::abort();                                                         \
    }                                                                       \
  } while (0)

#endif  // QUICSIM_BASE_CHECK_H_
