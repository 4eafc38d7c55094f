// The per-page time limit: PageDeadline itself, and the chain turning a page
// that runs past limits.max_page_ms into a `timeout` failure.
#include "stages/deadline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "stages/pipeline.h"
#include "stages/tag/tag_stage.h"

namespace newsd {
namespace {

using std::chrono::milliseconds;

TEST(PageDeadline, ExpiresOnlyWithinItsScopeAndThread) {
  EXPECT_FALSE(PageDeadline::expired());  // no page: no limit
  {
    const PageDeadline none(milliseconds(0));
    std::this_thread::sleep_for(milliseconds(2));
    EXPECT_FALSE(PageDeadline::expired());
  }
  {
    const PageDeadline page(milliseconds(1));
    std::this_thread::sleep_for(milliseconds(5));
    EXPECT_TRUE(PageDeadline::expired());
    bool other_thread = true;
    std::thread([&] { other_thread = PageDeadline::expired(); }).join();
    EXPECT_FALSE(other_thread);
  }
  EXPECT_FALSE(PageDeadline::expired());  // the next page starts afresh
}

TEST(PageDeadline, CheckReadsTheClockEvery4096Calls) {
  const PageDeadline page(milliseconds(1));
  std::this_thread::sleep_for(milliseconds(5));
  DeadlineCheck check;
  int calls = 1;
  while (!check.expired()) ++calls;
  EXPECT_EQ(calls, 4096);
}

TEST(PipelineTimeLimit, SlowPageIsATimeoutFailureAndTheNextPageIsNot) {
  ChainConfig config;
  config.dedup.enabled = false;
  config.tag.enabled = false;
  config.limits.max_page_ms = 1;
  MetricsRegistry metrics;
  std::string err;
  auto shared = SharedState::create(config, metrics, err);
  ASSERT_TRUE(shared) << err;
  Pipeline pipeline(config, *shared);

  // About 3 MB of markup: tens of milliseconds at least, in any build.
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div class=c><p>Some words of text.</p></div>";
  html += "</body></html>";
  Article slow;
  slow.input.payload = html;
  slow.input.url = "https://example.com/slow";
  const PipelineOutcome outcome = pipeline.run(slow);
  EXPECT_EQ(outcome.status.code(), StatusCode::kTimeout) << outcome.status.to_string();
  EXPECT_NE(outcome.status.message().find("limits.max_page_ms"), std::string::npos);
  EXPECT_EQ(metrics.value("newsd_pages_failed_total", {{"stage", std::string(outcome.stage)}, {"reason", "timeout"}}),
            1);

  config.limits.max_page_ms = 60000;
  Pipeline generous(config, *shared);
  Article fine;
  fine.input.payload = "<html><body><article><p>" + std::string(400, 'w') + "</p></article></body></html>";
  fine.input.url = "https://example.com/fine";
  EXPECT_TRUE(generous.run(fine).ok());
}

TEST(PipelineTimeLimit, TaggerStopsInsideItsRules) {
  // An organisation name repeated: the rules' slowest shape, which must stop
  // at the limit rather than at the end of its work.
  TagConfig config;
  std::string err;
  auto data = tag::TagData::create(config, err);
  ASSERT_TRUE(data) << err;
  MetricsRegistry metrics;
  TagStage stage(config, *data, metrics);
  Article a;
  for (int i = 0; i < 2000; ++i) a.text += "Zorvex Corp. sold shares to Zorvex yesterday. ";
  const auto start = std::chrono::steady_clock::now();
  Status s;
  {
    const PageDeadline page(milliseconds(1));
    s = stage.process(a);
  }
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.to_string();
  EXPECT_TRUE(a.entities.empty());
  // Not a timing assertion: without the checks inside the rules this text
  // takes minutes; with them it ends within a few DeadlineCheck periods.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

}  // namespace
}  // namespace newsd
