#include "tools/quicsim/progress.h"

#include <string>

namespace quicsim::tools {

Progress::Progress(std::FILE* out, bool tty, uint64_t total)
    : out_(out), tty_(tty), total_(total) {}

void Progress::Update(uint64_t done, uint64_t failing) {
  if (out_ == nullptr || total_ == 0) return;
  const int percent = static_cast<int>(done * 100 / total_);
  // A terminal redraws on every percent, plain output prints every 10%.
  const int step = tty_ ? percent : percent / 10;
  if (step == last_step_) return;
  last_step_ = step;
  if (tty_) {
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '-');
    std::fprintf(out_, "\r[%s] %3d%% %llu/%llu seeds, %llu failing",
                 bar.c_str(), percent, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_),
                 static_cast<unsigned long long>(failing));
  } else {
    std::fprintf(out_, "progress: %llu/%llu seeds (%d%%), %llu failing\n",
                 static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), percent,
                 static_cast<unsigned long long>(failing));
  }
  std::fflush(out_);
}

void Progress::Finish() {
  if (out_ != nullptr && tty_ && last_step_ >= 0) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

}  // namespace quicsim::tools
