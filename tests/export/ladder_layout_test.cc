// The ladder layout on large lossy multi-pair runs of the real endpoints:
// no label, arrowhead, drop mark or lane mark overlaps another, every text
// stays in its column, and the labels name the TLS messages and timers.
#include "tools/export/ladder_layout.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "sim/capture.h"
#include "tools/export/ladder_html.h"

namespace quicsim::exporter {
namespace {

struct CapturedRun {
  sim::Capture capture;
  std::vector<sim::TraceEvent> events;
};

std::unique_ptr<CapturedRun> RunScenarioText(const std::string& text,
                                             uint64_t seed) {
  absl::StatusOr<scenarios::Scenario> scenario =
      scenarios::ParseScenario(text, "test");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return nullptr;
  auto run = std::make_unique<CapturedRun>();
  scenarios::RunSeedOptions options;
  options.capture = &run->capture;
  options.events = &run->events;
  scenarios::QuicsimSeedRunner runner;
  absl::StatusOr<scenarios::SeedResult> result =
      runner.RunSeed(*scenario, seed, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? std::move(run) : nullptr;
}

// 16 pairs, 30% burst-free loss, reordering, duplication and corruption
// both ways, a mix of plain, Retry and failing (ALPN) pairs.
constexpr char kLossyMix[] = R"(
name: "lossy_mix"
network {
  client_to_server { delay: "10ms" jitter: "3ms" impairments { loss: 0.3
    duplicate { probability: 0.1 } corrupt { probability: 0.05 bits: 3 }
    reorder { probability: 0.2 extra_delay: "5ms" } } }
  server_to_client { delay: "10ms" jitter: "3ms" impairments { loss: 0.3
    duplicate { probability: 0.1 } corrupt { probability: 0.05 bits: 3 }
    reorder { probability: 0.2 extra_delay: "5ms" } } }
}
population {
  pairs: 16
  start_spacing: "2ms"
  variants { name: "plain" weight: 2 }
  variants { name: "retry" server { retry: true } }
  variants { name: "alpn" server { fault: ALPN_MISMATCH }
    expect { outcome: CLOSED error_codes: 0x178 } }
}
seeds { count: 4 }
expect { outcome: CONFIRMED }
)";

struct Owned {
  LadderBox box;
  std::string what;
};

std::string Describe(const LadderBox& b) {
  return absl::StrCat("[", b.x0, ",", b.y0, " - ", b.x1, ",", b.y1, "]");
}

// Every box drawn for a pair, with what it belongs to.
std::vector<Owned> Boxes(const PairLadder& p) {
  std::vector<Owned> boxes;
  for (const LadderDatagram& g : p.datagrams) {
    const std::string id = absl::StrCat("datagram ", g.id);
    boxes.push_back({g.label.box, id + " label"});
    for (const auto& a : g.arrivals) boxes.push_back({a.head, id + " head"});
    if (g.dropped) boxes.push_back({g.drop_x, id + " drop X"});
  }
  for (size_t i = 0; i < p.marks.size(); ++i) {
    const LadderMark& m = p.marks[i];
    const std::string id =
        absl::StrCat("mark ", i, " \"", m.text.lines[0], "\"");
    boxes.push_back({m.text.box, id + " text"});
    boxes.push_back({m.glyph, id + " glyph"});
  }
  return boxes;
}

void CheckPair(const PairLadder& p, const std::string& where) {
  const std::vector<Owned> boxes = Boxes(p);
  for (size_t i = 0; i < boxes.size(); ++i) {
    const LadderBox& a = boxes[i].box;
    ASSERT_LE(a.x0, a.x1) << where << boxes[i].what;
    ASSERT_LE(a.y0, a.y1) << where << boxes[i].what;
    EXPECT_GE(a.x0, 0) << where << boxes[i].what;
    EXPECT_LE(a.x1, kLadderWidth) << where << boxes[i].what;
    EXPECT_LE(a.y1, p.height) << where << boxes[i].what;
    for (size_t j = i + 1; j < boxes.size(); ++j) {
      EXPECT_FALSE(a.Overlaps(boxes[j].box))
          << where << ": " << boxes[i].what << " " << Describe(a)
          << " overlaps " << boxes[j].what << " " << Describe(boxes[j].box);
    }
  }
  // Labels keep clear of both lanes (where the arrowheads are); marks stay
  // outside the lanes on their own side.
  for (const LadderDatagram& g : p.datagrams) {
    EXPECT_GE(g.label.box.x0, kClientLaneX + kLaneMargin) << where;
    EXPECT_LE(g.label.box.x1, kServerLaneX - kLaneMargin) << where;
    for (const std::string& line : g.label.lines) {
      EXPECT_LE(line.size() * kCharWidth,
                kServerLaneX - kClientLaneX - 2 * kLaneMargin)
          << line;
    }
    for (const auto& a : g.arrivals) {
      EXPECT_GE(a.y, g.y_start) << where << " datagram " << g.id;
      EXPECT_EQ(a.x, g.from_client ? kServerLaneX : kClientLaneX);
    }
  }
  for (const LadderMark& m : p.marks) {
    if (m.client) {
      EXPECT_LT(m.text.box.x1, kClientLaneX) << where;
    } else {
      EXPECT_GT(m.text.box.x0, kServerLaneX) << where;
    }
  }
}

TEST(LadderLayoutTest, NothingOverlapsOnLargeLossyMultiPairRuns) {
  size_t datagrams = 0, drops = 0, marks = 0, pairs = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    std::unique_ptr<CapturedRun> run = RunScenarioText(kLossyMix, seed);
    ASSERT_NE(run, nullptr);
    const std::vector<PairLadder> ladder =
        LayoutLadder(run->capture, run->events);
    ASSERT_EQ(ladder.size(), 16u);
    size_t seen = 0;
    for (const PairLadder& p : ladder) {
      CheckPair(p, absl::StrCat("seed ", seed, " ", p.pair));
      seen += p.datagrams.size();
      for (const auto& g : p.datagrams) drops += g.dropped ? 1 : 0;
      marks += p.marks.size();
    }
    // Every captured datagram is drawn exactly once.
    EXPECT_EQ(seen, run->capture.datagrams().size());
    datagrams += seen;
    pairs += ladder.size();
  }
  // The runs were large and lossy enough to mean something.
  EXPECT_GT(datagrams, 600u);
  EXPECT_GT(drops, 100u);
  EXPECT_GT(marks, 1000u);
  EXPECT_EQ(pairs, 64u);
}

TEST(LadderLayoutTest, LabelsNameTlsMessagesTimersKeysAndCloseCodes) {
  std::unique_ptr<CapturedRun> run = RunScenarioText(kLossyMix, 2);
  ASSERT_NE(run, nullptr);
  const std::string html =
      BuildLadderHtml(run->capture, run->events, "lossy mix", 2);
  for (const char* want :
       {"ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
        "CertificateVerify", "Finished", "NewSessionTicket", "PTO #1 fired",
        "+ handshake keys", "initial keys discarded",
        "CONNECTION_CLOSE 0x178 no_application_protocol",
        "VERDICT closed_sent 0x178 no_application_protocol",
        "VERDICT confirmed", "DROPPED (", "<select id=\"pair\">",
        "value=\"pair/15\"", "<option value=\"pair/2\" selected>"}) {
    EXPECT_TRUE(absl::StrContains(html, want)) << want;
  }
  // Self-contained: no fetch of anything.
  for (const char* banned : {"src=", "href=", "@import", "url(http"}) {
    EXPECT_FALSE(absl::StrContains(html, banned)) << banned;
  }
}

TEST(LadderLayoutTest, WrapTextKeepsEveryCharacterWithinTheWidth) {
  const std::string text =
      "Handshake 12: CRYPTO 0+806 EncryptedExtensions Certificate "
      "CertificateVerify Finished, ACK, "
      "averyveryveryveryveryveryveryveryverylongwordwithoutanyspaces";
  for (size_t width : {8u, 13u, 20u, 42u, 83u, 300u}) {
    std::string joined;
    for (const std::string& line : WrapText(text, width)) {
      EXPECT_LE(line.size(), std::max<size_t>(width, 8)) << line;
      joined += line;
    }
    std::string compact, want;
    for (char c : joined)
      if (c != ' ') compact += c;
    for (char c : text)
      if (c != ' ') want += c;
    EXPECT_EQ(compact, want) << width;
  }
}

}  // namespace
}  // namespace quicsim::exporter
