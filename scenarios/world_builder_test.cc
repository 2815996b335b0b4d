#include "scenarios/world_builder.h"

#include <set>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

// `text` plus the fields every scenario needs.
Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s =
      ParseScenario(text + " seeds { count: 1 } expect { outcome: CONFIRMED }",
                    "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario();
}

TEST(WorldBuilderTest, AddressesAreUniqueAcrossPairsAndPrimes) {
  // Beyond 65,536 pairs the ports move on; every address stays unique.
  std::set<std::tuple<uint32_t, uint16_t>> seen;  // (ip, port)
  for (int pair = 0; pair < 1'000'000; pair += 13) {
    for (bool prime : {false, true}) {
      for (const sim::Address& a :
           {ClientAddress(pair, prime), ServerAddress(pair, prime)}) {
        EXPECT_TRUE(seen.emplace(a.ipv4, a.port).second)
            << pair << " " << prime << " " << a.ToString();
      }
    }
  }
  EXPECT_NE(ClientAddress(3, false).ipv4, ServerAddress(3, false).ipv4);
}

TEST(WorldBuilderTest, OneLinkPairPerPairOrOneSharedPair) {
  WorldBuilder builder;
  Scenario scenario = Parse(R"pb(
    network {
      client_to_server { delay: "10ms" }
      server_to_client { delay: "20ms" }
    }
    population { pairs: 3 }
    limits { max_virtual_time: "5s" max_events: 1234 }
  )pb");
  absl::StatusOr<std::unique_ptr<World>> world = builder.Build(scenario, 1, {});
  ASSERT_TRUE(world.ok()) << world.status();
  ASSERT_EQ((*world)->links.size(), 3u);
  EXPECT_EQ((*world)->links[2].first->name(), "pair/2/c2s");
  EXPECT_EQ((*world)->links[2].second->name(), "pair/2/s2c");
  EXPECT_EQ((*world)->links[2].second->config().delay,
            sim::Duration::Millis(20));
  EXPECT_EQ((*world)->scheduler.limits().max_events, 1234u);
  EXPECT_EQ((*world)->scheduler.limits().max_time,
            sim::Time::Zero() + sim::Duration::Seconds(5));
  ASSERT_EQ((*world)->plans.size(), 1u);
  EXPECT_NE((*world)->plans[0].contexts, nullptr);

  scenario.mutable_network()->set_shared_bottleneck(true);
  absl::StatusOr<std::unique_ptr<World>> shared =
      builder.Build(scenario, 1, {});
  ASSERT_TRUE(shared.ok()) << shared.status();
  ASSERT_EQ((*shared)->links.size(), 3u);
  EXPECT_EQ((*shared)->links[0].first, (*shared)->links[2].first);
  EXPECT_EQ((*shared)->links[0].first->name(), "bottleneck/c2s");
  // The TLS contexts are built once for both worlds.
  EXPECT_EQ((*shared)->plans[0].contexts, (*world)->plans[0].contexts);
}

TEST(WorldBuilderTest, DefaultLimits) {
  WorldBuilder builder;
  absl::StatusOr<std::unique_ptr<World>> world =
      builder.Build(Parse("population { pairs: 1 }"), 1, {});
  ASSERT_TRUE(world.ok()) << world.status();
  EXPECT_EQ((*world)->scheduler.limits().max_events, 10'000'000u);
  EXPECT_EQ((*world)->scheduler.limits().max_time,
            sim::Time::Zero() + sim::Duration::Seconds(60));
}

TEST(WorldBuilderTest, RefusesWhatCannotRun) {
  WorldBuilder builder;
  Scenario both = Parse("population { pairs: 1 }");
  both.mutable_client()->set_stack(EndpointConfig::NGTCP2);
  both.mutable_server()->set_stack(EndpointConfig::NGTCP2);
  EXPECT_EQ(builder.Build(both, 1, {}).status().code(),
            absl::StatusCode::kUnimplemented);
  Scenario fault = Parse("population { pairs: 1 }");
  fault.mutable_server()->set_stack(EndpointConfig::NGTCP2);
  fault.mutable_server()->set_fault(SIGNING_FAILURE);
  EXPECT_EQ(builder.Build(fault, 1, {}).status().code(),
            absl::StatusCode::kUnimplemented);
  Scenario ciphers = Parse("population { pairs: 1 }");
  ciphers.mutable_client()->add_cipher_suites("TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(builder.Build(ciphers, 1, {}).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(WorldBuilderTest, EachVariantHasItsPlan) {
  WorldBuilder builder;
  Scenario mixed = Parse(R"pb(
    population {
      pairs: 4
      variants {
        weight: 1
        server { fault: ALPN_MISMATCH }
      }
      variants { weight: 1 }
    }
  )pb");
  absl::StatusOr<std::unique_ptr<World>> world = builder.Build(mixed, 1, {});
  ASSERT_TRUE(world.ok()) << world.status();
  ASSERT_EQ((*world)->plans.size(), 2u);
  EXPECT_TRUE((*world)->plans[0].faults.server.tls.alpn_mismatch);
  EXPECT_FALSE((*world)->plans[1].faults.server.tls.alpn_mismatch);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(&(*world)->plan_of(i), &(*world)->plans[VariantOfPair(mixed, i)]);
  }
}

}  // namespace
}  // namespace quicsim::scenarios
