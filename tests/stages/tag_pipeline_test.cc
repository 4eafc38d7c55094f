// The tag stage inside the chain: SharedState builds and reloads its data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "stages/pipeline.h"

namespace newsd {
namespace {

class TagPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("newsd_tag_pipeline_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "g.tsv").string();
    config_.dedup.enabled = false;
    config_.tag.gazetteers = {path_};
    config_.tag.model = "";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& body) { std::ofstream(path_, std::ios::trunc) << body; }

  std::filesystem::path dir_;
  std::string path_;
  ChainConfig config_;
  MetricsRegistry metrics_;
};

TEST_F(TagPipeline, ChainHasTagBeforeEncode) {
  write("Fooland\tLOC\tx:foo\tFooland\n");
  std::string err;
  auto shared = SharedState::create(config_, metrics_, err);
  ASSERT_TRUE(shared) << err;
  ASSERT_TRUE(shared->tag);
  Pipeline pipeline(config_, *shared);
  const auto names = pipeline.stage_names();
  const auto tag = std::find(names.begin(), names.end(), "tag");
  const auto encode = std::find(names.begin(), names.end(), "encode");
  ASSERT_NE(tag, names.end());
  ASSERT_NE(encode, names.end());
  EXPECT_LT(tag - names.begin(), encode - names.begin());
}

TEST_F(TagPipeline, BadGazetteerFailsStartupWithTheReason) {
  write("Fooland\tLOC\n");
  std::string err;
  EXPECT_FALSE(SharedState::create(config_, metrics_, err));
  EXPECT_NE(err.find("g.tsv:1"), std::string::npos) << err;
}

TEST_F(TagPipeline, ReloadSwapsAndABadFileKeepsTheOldData) {
  write("Fooland\tLOC\tx:foo\tFooland\n");
  std::string err;
  auto shared = SharedState::create(config_, metrics_, err);
  ASSERT_TRUE(shared) << err;
  EXPECT_EQ(metrics_.value("newsd_gazetteer_aliases"), 1);
  write("Fooland\tLOC\tx:foo\tFooland\nBarland\tLOC\tx:bar\tBarland\n");
  ASSERT_TRUE(shared->reload(config_).is_ok());
  EXPECT_EQ(shared->tag->current()->gazetteer.aliases(), 2u);
  EXPECT_EQ(metrics_.value("newsd_gazetteer_aliases"), 2);
  EXPECT_EQ(metrics_.value("newsd_gazetteer_entities"), 2);
  write("Bazland\tPLANET\tx:baz\tBazland\n");
  const Status s = shared->reload(config_);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("PLANET"), std::string::npos) << s.message();
  EXPECT_EQ(shared->tag->current()->gazetteer.aliases(), 2u);
  EXPECT_EQ(metrics_.value("newsd_gazetteer_aliases"), 2);  // the gauge follows the data in use
}

TEST_F(TagPipeline, DisabledTagStageIsLeftOut) {
  config_.tag.enabled = false;
  std::string err;
  auto shared = SharedState::create(config_, metrics_, err);
  ASSERT_TRUE(shared) << err;
  EXPECT_FALSE(shared->tag);
  Pipeline pipeline(config_, *shared);
  const auto names = pipeline.stage_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "tag"), names.end());
  EXPECT_TRUE(shared->reload(config_).is_ok());
}

}  // namespace
}  // namespace newsd
