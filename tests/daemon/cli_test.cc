// ArgParser: options with and without '=', flags, positionals, '--', errors.
#include "daemon/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsd {
namespace {

struct Parsed {
  std::string config = "default.toml", workers;
  bool verbose = false;
  std::vector<std::string> positional;
  ArgParser::Result result;
};

Parsed parse(const std::vector<std::string>& args) {
  Parsed p;
  ArgParser parser("newsd test [--config F] [--workers N] [--verbose] INPUT...", "a parser under test");
  parser.option("--config", p.config, "config file");
  parser.option("--workers", p.workers, "worker threads");
  parser.flag("--verbose", p.verbose, "say more");
  p.result = parser.parse(args, p.positional);
  return p;
}

TEST(ArgParser, OptionsTakeTheNextArgumentOrTheTextAfterEquals) {
  const Parsed p = parse({"--config", "a.toml", "in1", "--workers=3", "in2"});
  ASSERT_EQ(p.result, ArgParser::Result::kOk);
  EXPECT_EQ(p.config, "a.toml");
  EXPECT_EQ(p.workers, "3");
  EXPECT_FALSE(p.verbose);
  EXPECT_EQ(p.positional, (std::vector<std::string>{"in1", "in2"}));
}

TEST(ArgParser, UnsetOptionsKeepTheirDefault) {
  const Parsed p = parse({"--verbose"});
  ASSERT_EQ(p.result, ArgParser::Result::kOk);
  EXPECT_TRUE(p.verbose);
  EXPECT_EQ(p.config, "default.toml");
  EXPECT_TRUE(p.positional.empty());
}

TEST(ArgParser, DashIsAPositionalAndDoubleDashEndsTheOptions) {
  const Parsed p = parse({"-", "--", "--verbose", "--config"});
  ASSERT_EQ(p.result, ArgParser::Result::kOk);
  EXPECT_FALSE(p.verbose);
  EXPECT_EQ(p.positional, (std::vector<std::string>{"-", "--verbose", "--config"}));
}

TEST(ArgParser, ErrorsForUnknownOptionsMissingValuesAndValuedFlags) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(parse({"--nope"}).result, ArgParser::Result::kError);
  EXPECT_EQ(parse({"--config"}).result, ArgParser::Result::kError);
  EXPECT_EQ(parse({"--verbose=yes"}).result, ArgParser::Result::kError);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("unknown option --nope"), std::string::npos) << err;
  EXPECT_NE(err.find("--config needs a value"), std::string::npos) << err;
  EXPECT_NE(err.find("--verbose takes no value"), std::string::npos) << err;
}

TEST(ArgParser, HelpListsEveryOptionAndStopsParsing) {
  testing::internal::CaptureStdout();
  const Parsed p = parse({"--help", "--nope"});
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(p.result, ArgParser::Result::kHelp);
  for (const char* want : {"usage: newsd test", "--config VALUE", "--workers VALUE", "--verbose", "--help"})
    EXPECT_NE(out.find(want), std::string::npos) << want << "\n" << out;
}

TEST(ParsePositiveInt, AcceptsOneTo4096Only) {
  int n = 0;
  EXPECT_TRUE(parse_positive_int("--workers", "8", n));
  EXPECT_EQ(n, 8);
  testing::internal::CaptureStderr();
  for (const char* bad : {"", "0", "-1", "4097", "3x", "x"})
    EXPECT_FALSE(parse_positive_int("--workers", bad, n)) << bad;
  EXPECT_NE(testing::internal::GetCapturedStderr().find("--workers must be a positive integer"), std::string::npos);
  EXPECT_EQ(n, 8);
}

}  // namespace
}  // namespace newsd
