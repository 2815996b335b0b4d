// The per-variant table `quicsim run` prints for a mixed population: each
// variant (e.g. "SERVER_INTERNAL_ERROR/GO_1_21": error row x TLS API model)
// with the outcome on each side, the time until both sides had a verdict,
// and how the error_propagation oracle came out.
#ifndef QUICSIM_TOOLS_QUICSIM_VARIANT_TABLE_H_
#define QUICSIM_TOOLS_QUICSIM_VARIANT_TABLE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"
#include "sim/time.h"

namespace quicsim::tools {

// Accumulates judged seed results per variant; see the file comment.
class VariantTable {
 public:
  explicit VariantTable(const scenarios::Scenario& scenario);

  // Adds every pair of a judged seed (violations already filtered).
  void AddSeed(const scenarios::SeedResult& result);
  // Whether the scenario has variants at all.
  bool empty() const { return rows_.empty(); }
  // A Markdown table, one line per variant, in the scenario's order.
  std::string Render() const;

 private:
  struct Row {
    std::string name;
    bool expects_propagation_violation = false;
    bool checks_propagation = false;
    int64_t pairs = 0;
    int64_t failing = 0;
    // Pairs that demonstrated an expected violation.
    int64_t demonstrated = 0;
    // Pairs violating error_propagation (not expected).
    int64_t propagation_violated = 0;
    std::map<std::string, int64_t> client;
    std::map<std::string, int64_t> server;
    sim::Duration max_time;
  };
  scenarios::Scenario scenario_;
  std::vector<Row> rows_;
};

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_VARIANT_TABLE_H_
