// Where "builtin:" tag data is found at run time (stages/tag/data_dir.h).
#include "stages/tag/data_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "stages/tag/tagger.h"

namespace newsd::tag {
namespace {

namespace fs = std::filesystem;

TEST(TagDataDir, DefaultIsTheNearestShareNewsdAboveTheExecutable) {
  // This binary is BUILD/tests/x: BUILD/tests/share/newsd does not exist, BUILD/share/newsd does.
  std::string error;
  const std::string dir = data_dir("", error);
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(fs::canonical(dir), fs::canonical(NEWSD_BINARY_DIR "/share/newsd"));
  EXPECT_EQ(fs::canonical(dir), fs::canonical(NEWSD_SOURCE_DIR "/stages/tag/data"));  // the build tree's link
}

TEST(TagDataDir, ConfiguredDirectoryWinsAndNamesMissingFiles) {
  TagConfig config;
  config.data_dir = NEWSD_SOURCE_DIR "/stages/tag/data";
  std::string error;
  EXPECT_TRUE(TagResources::load(config, error)) << error;
  EXPECT_EQ(resolve_data_path(config, "builtin:x.tsv", error), config.data_dir + "/x.tsv");
  EXPECT_EQ(resolve_data_path(config, "/abs/y.tsv", error), "/abs/y.tsv");

  const fs::path empty = fs::path(::testing::TempDir()) / "newsd-empty-data-dir";
  fs::create_directories(empty);
  config.data_dir = empty.string();
  error.clear();
  EXPECT_FALSE(TagResources::load(config, error));
  EXPECT_NE(error.find((empty / "gazetteer.tsv").string()), std::string::npos) << error;
}

}  // namespace
}  // namespace newsd::tag
