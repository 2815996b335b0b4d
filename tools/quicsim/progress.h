// Progress reporting for `quicsim run`: a redrawn bar on a terminal, plain
// lines (every 10%) otherwise. Driven by counts only, never the clock, so
// the output is the same on every run.
#ifndef QUICSIM_TOOLS_QUICSIM_PROGRESS_H_
#define QUICSIM_TOOLS_QUICSIM_PROGRESS_H_

#include <cstdint>
#include <cstdio>

namespace quicsim::tools {

class Progress {
 public:
  // `out` may be null (no output). `total` is the number of seeds to run.
  Progress(std::FILE* out, bool tty, uint64_t total);

  // Reports that `done` seeds ran, `failing` of them failed.
  void Update(uint64_t done, uint64_t failing);
  // Ends the bar's line on a terminal.
  void Finish();

 private:
  std::FILE* out_;
  bool tty_;
  uint64_t total_;
  int last_step_ = -1;
};

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_PROGRESS_H_
