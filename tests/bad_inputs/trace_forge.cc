// Writes a well-formed trace file (header and checksum correct) around any
// scenario text, valid or not, and optionally one scripted network
// decision: the hostile traces of the bad-input corpus, edited as an
// attacker would (the checksum is not a signature).
//
//   trace_forge SCENARIO.textproto OUT.trace [ACTION COPIES DELAY_NS [INDEX]]
//
// The scenario is parsed without validation; exit 3 if it does not parse.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "google/protobuf/text_format.h"
#include "scenarios/runner/trace.pb.h"
#include "tools/quicsim/trace_io.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 6 && argc != 7) {
    std::fprintf(
        stderr,
        "usage: trace_forge SCENARIO OUT [ACTION COPIES DELAY_NS [INDEX]]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  quicsim::trace::Trace t;
  google::protobuf::TextFormat::Parser parser;
  if (!parser.ParseFromString(text.str(), t.mutable_scenario())) return 3;
  t.set_scenario_path(argv[1]);
  t.set_seed(1);
  t.set_pair_index(-1);
  t.set_determinism(quicsim::trace::BYTE_LEVEL);
  t.mutable_build()->set_version("forged");
  if (argc >= 6) {
    t.set_scripted(true);
    quicsim::trace::NetworkDecision* d = t.add_script();
    d->set_link("pair/0/c2s");
    d->set_index(argc == 7 ? std::strtoull(argv[6], nullptr, 10) : 1);
    d->set_action(static_cast<quicsim::trace::NetworkDecision::Action>(
        std::atoi(argv[3])));
    d->mutable_params()->set_copies(
        static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 10)));
    d->mutable_params()->set_extra_delay_ns(std::strtoll(argv[5], nullptr, 10));
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << quicsim::tools::EncodeTrace(t);
  return out.good() ? 0 : 1;
}
