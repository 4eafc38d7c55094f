// `newsd tag`: one document per line in, one JSON object per line out.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "daemon/commands.h"

namespace newsd {
namespace {

TEST(TagCommand, OneJsonLinePerInputLineWithCodePointOffsets) {
  const auto dir = std::filesystem::temp_directory_path() / ("newsd_tag_cmd_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "in.txt").string();
  std::ofstream(input) << "नई दिल्ली में भारत और रूस\n\nRussia and India\n";
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  const int rc = tag_command({input});
  std::cout.rdbuf(old);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(rc, 0);

  std::vector<std::string> lines;
  std::istringstream in(captured.str());
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 3u);
  simdjson::dom::parser parser;
  simdjson::dom::array first = parser.parse(lines[0])["entities"].get_array();
  ASSERT_EQ(first.size(), 3u);
  simdjson::dom::element bharat = first.at(1);
  EXPECT_EQ(std::string_view(bharat["text"]), "भारत");
  EXPECT_EQ(int64_t(bharat["start"]), 14);  // code points, not bytes
  EXPECT_EQ(int64_t(bharat["end"]), 18);
  EXPECT_EQ(std::string_view(bharat["id"]), "Q668");
  EXPECT_EQ(parser.parse(lines[1])["entities"].get_array().size(), 0u);
  simdjson::dom::array third = parser.parse(lines[2])["entities"].get_array();
  ASSERT_EQ(third.size(), 2u);
  EXPECT_EQ(std::string_view(third.at(0)["id"]), "Q159");
}

TEST(TagCommand, MissingDataFileIsAConfigError) {
  const auto dir = std::filesystem::temp_directory_path() / ("newsd_tag_cmd_bad_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << "[tag]\ngazetteers = [\"" << (dir / "missing.tsv").string() << "\"]\n";
  EXPECT_EQ(tag_command({"--config", config, "-"}), 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace newsd
