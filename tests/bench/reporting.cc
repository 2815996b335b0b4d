#include "tests/bench/reporting.h"

#include <iostream>
#include <string>

namespace quicsim::bench {

CollectingReporter::CollectingReporter()
    : display_(benchmark::CreateDefaultDisplayReporter()) {
  display_->SetOutputStream(&std::cout);
  display_->SetErrorStream(&std::cerr);
}

bool CollectingReporter::ReportContext(const Context& context) {
  return display_->ReportContext(context);
}

void CollectingReporter::ReportRuns(const std::vector<Run>& runs) {
  display_->ReportRuns(runs);
  runs_.insert(runs_.end(), runs.begin(), runs.end());
}

void CollectingReporter::Finalize() { display_->Finalize(); }

FILE* SummaryStream(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string flag = "--benchmark_format=";
    if (arg.rfind(flag, 0) == 0 && arg.substr(flag.size()) != "console") {
      return stderr;
    }
  }
  return stdout;
}

}  // namespace quicsim::bench
