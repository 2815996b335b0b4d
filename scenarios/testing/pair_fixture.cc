#include "scenarios/testing/pair_fixture.h"

#include <utility>

#include "base/check.h"

namespace quicsim::scenarios::testing {

PairFixture::PairFixture() : PairFixture(Options()) {}

PairFixture::PairFixture(Options options) : world_(options) {}

PairFixture::~PairFixture() = default;

endpoints::HandshakePair* PairFixture::AddPair(
    const TlsContexts& contexts,
    absl::AnyInvocable<void(endpoints::HandshakePairOptions&)> edit) {
  endpoints::HandshakePairOptions options =
      world_.PairOptions(contexts, world_.pair_count());
  oracles_.push_back(std::make_unique<oracles::PairOracle>());
  options.observer = oracles_.back().get();
  if (edit) edit(options);
  return world_.AddPair(std::move(options));
}

const oracles::PairOracle& PairFixture::oracle(
    const endpoints::HandshakePair* pair) const {
  for (int i = 0; i < world_.pair_count(); ++i) {
    if (world_.pair(i) == pair) return *oracles_[i];
  }
  QUICSIM_CHECK(false);
  return *oracles_.front();
}

}  // namespace quicsim::scenarios::testing
