// Pipeline: the exception barrier around each stage, and the dead-letter
// record such a page becomes.
#include "stages/pipeline.h"

#include <gtest/gtest.h>

#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stages/encode/dead_letter.h"

namespace newsd {
namespace {

// Throws for the payloads it is told to, passes the rest.
class Throwing final : public Stage {
 public:
  std::string_view name() const override { return "throwing"; }
  Status process(Article& a) override {
    if (a.input.payload == "bad_alloc") throw std::bad_alloc();
    if (a.input.payload == "runtime") throw std::runtime_error("no such table");
    if (a.input.payload == "int") throw 7;
    return Status::ok();
  }
};

// Counts the pages that reach it.
class Counting final : public Stage {
 public:
  explicit Counting(int& n) : n_(n) {}
  std::string_view name() const override { return "counting"; }
  Status process(Article&) override {
    ++n_;
    return Status::ok();
  }

 private:
  int& n_;
};

class PipelineBarrier : public testing::Test {
 protected:
  PipelineBarrier() : shared_(metrics_) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(std::make_unique<Throwing>());
    stages.push_back(std::make_unique<Counting>(after_));
    pipeline_.emplace(std::move(stages), shared_);
  }
  PipelineOutcome run(const std::string& payload) {
    article_ = Article{};
    article_.source.topic = "pages";
    article_.source.partition = 3;
    article_.source.offset = 41;
    article_.input.payload = payload;
    article_.input.url = "https://example.com/a";
    return pipeline_->run(article_);
  }
  uint64_t failed() {
    return metrics_
        .counter("newsd_pages_failed_total", "Pages that failed a stage, by stage and reason",
                 {{"stage", "throwing"}, {"reason", "internal"}})
        .value();
  }

  MetricsRegistry metrics_;
  SharedState shared_;
  int after_ = 0;
  std::optional<Pipeline> pipeline_;
  Article article_;
};

TEST_F(PipelineBarrier, AThrowingStageFailsThePageWithAnInternalErrorNamingIt) {
  PipelineOutcome o = run("runtime");
  EXPECT_EQ(o.stage, "throwing");
  EXPECT_EQ(o.status.code(), StatusCode::kInternal);
  EXPECT_EQ(o.status.message(), "exception: no such table");
  o = run("bad_alloc");
  EXPECT_EQ(o.stage, "throwing");
  EXPECT_EQ(o.status.message(), "exception: std::bad_alloc");
  o = run("int");
  EXPECT_EQ(o.status.code(), StatusCode::kInternal);
  EXPECT_EQ(after_, 0);  // the chain stopped at the failing stage
  EXPECT_EQ(failed(), 3u);
  EXPECT_TRUE(run("fine").ok());  // and the next page goes through
  EXPECT_EQ(after_, 1);
}

TEST_F(PipelineBarrier, TheFailedPageBecomesADeadLetterWithStageReasonAndMessage) {
  const PipelineOutcome o = run("bad_alloc");
  const DeadLetter dl = make_dead_letter(article_, o.status, o.stage, 4);
  const auto header = [&](const std::string& key) {
    for (const auto& [k, v] : dl.headers)
      if (k == key) return v;
    return std::string("<missing>");
  };
  EXPECT_EQ(header("newsd-stage"), "throwing");
  EXPECT_EQ(header("newsd-reason"), "internal");
  EXPECT_NE(header("newsd-error").find("std::bad_alloc"), std::string::npos) << header("newsd-error");
  EXPECT_EQ(header("newsd-source-topic"), "pages");
  EXPECT_EQ(header("newsd-source-partition"), "3");
  EXPECT_EQ(header("newsd-source-offset"), "41");
  EXPECT_EQ(header("url"), "https://example.com/a");
  EXPECT_EQ(dl.payload, "bad_");  // cut to the limit given
  EXPECT_EQ(header("newsd-truncated-from"), "9");
}

}  // namespace
}  // namespace newsd
