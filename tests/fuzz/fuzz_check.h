// FUZZ_CHECK: aborts (a fuzzer-visible crash) when a property that must hold
// for every input fails.
#ifndef QUICSIM_TESTS_FUZZ_FUZZ_CHECK_H_
#define QUICSIM_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                             \
  do {                                                                    \
    if (!(condition)) {                                                   \
      std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, \
                   __LINE__, #condition);                                 \
      std::abort();                                                       \
    }                                                                     \
  } while (0)

#endif  // QUICSIM_TESTS_FUZZ_FUZZ_CHECK_H_
