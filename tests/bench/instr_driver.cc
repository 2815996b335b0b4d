// Runs N handshake pairs of one benchmark subject and exits: the program
// tools/bench.sh --instructions runs under cachegrind at two values of N,
// so that the difference of the two instruction counts divided by the
// difference of N is the cost of one pair, free of start-up costs.
//
//   instr_driver SUBJECT N      (SUBJECT: see tests/bench/subjects.h)
//
// Prints "SUBJECT N confirmed C"; exit 2 on bad arguments.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/bench/subjects.h"

int main(int argc, char** argv) {
  using quicsim::bench::MakeSubject;
  using quicsim::bench::Subject;
  using quicsim::bench::SubjectNames;
  char* end = nullptr;
  const long n = argc == 3 ? std::strtol(argv[2], &end, 10) : -1;
  Subject subject = argc == 3 ? MakeSubject(argv[1]) : nullptr;
  if (!subject || end == nullptr || *end != '\0' || n < 0) {
    std::fprintf(stderr, "usage: instr_driver SUBJECT N; subjects:");
    for (const std::string& s : SubjectNames()) {
      std::fprintf(stderr, " %s", s.c_str());
    }
    std::fprintf(stderr, "\n");
    return 2;
  }
  // Contexts and PKI are built before the first pair: start-up, not pairs.
  long confirmed = 0;
  for (long i = 0; i < n; ++i) confirmed += subject() ? 1 : 0;
  std::printf("%s %ld confirmed %ld\n", argv[1], n, confirmed);
  return 0;
}
