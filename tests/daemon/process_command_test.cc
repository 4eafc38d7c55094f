// `newsd process` end to end: the built binary over real pages.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

const std::string kNewsd = std::string(NEWSD_BINARY_DIR) + "/newsd";
const std::string kSeedPages = std::string(NEWSD_SOURCE_DIR) + "/../shared/seed/pages";
const std::string kSamples = std::string(NEWSD_SOURCE_DIR) + "/tests/data/samples";

struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult run(const std::string& args, const std::string& stdin_data = "", const std::string& env = "") {
  const fs::path dir = fs::temp_directory_path() / ("newsd-process-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string in = (dir / "stdin").string(), out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::ofstream(in, std::ios::binary) << stdin_data;
  const std::string cmd =
      (env.empty() ? "" : "env " + env + " ") + kNewsd + " " + args + " <" + in + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  CommandResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  fs::remove_all(dir);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string field(simdjson::dom::element el, const char* key) {
  std::string_view v;
  if (el[key].get(v)) return {};
  return std::string(v);
}

void expect_article_schema(simdjson::dom::element a) {
  EXPECT_EQ(field(a, "schema"), "newsd.article.v1");
  EXPECT_EQ(field(a, "id").size(), 16u);
  for (const char* key : {"url", "canonical_url", "fetched_at", "title", "text", "language", "source", "processing"}) {
    simdjson::dom::element unused;
    EXPECT_FALSE(a[key].get(unused)) << "missing field " << key;
  }
  std::string_view version;
  EXPECT_FALSE(a["processing"]["version"].get(version));
}

class ProcessCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kNewsd)) << kNewsd;
    ASSERT_TRUE(fs::is_directory(kSeedPages)) << "shared seed pages missing at " << kSeedPages;
  }
  simdjson::dom::parser parser_;
};

TEST_F(ProcessCommand, HindiSeedPageBecomesOneArticle) {
  const CommandResult r = run("process " + kSeedPages + "/hindi-seed.html");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 1u);
  simdjson::dom::element a;
  ASSERT_FALSE(parser_.parse(out[0]).get(a)) << out[0];
  expect_article_schema(a);

  simdjson::dom::parser expected_parser;
  simdjson::dom::element expected;
  ASSERT_FALSE(expected_parser.load(kSeedPages + "/hindi-seed.expected.json").get(expected));
  EXPECT_EQ(field(a, "title"), field(expected, "title"));
  EXPECT_EQ(field(a, "language"), "hi");
  const std::string text = field(a, "text");
  EXPECT_GT(text.size(), 1000u);
  // The first sentence of the expected body is in the output.
  const std::string expected_text = field(expected, "text");
  EXPECT_NE(text.find(expected_text.substr(0, expected_text.find("।"))), std::string::npos);
  std::string_view file;
  ASSERT_FALSE(a["source"]["file"].get(file));
  EXPECT_NE(file.find("hindi-seed.html"), std::string::npos);
}

TEST_F(ProcessCommand, DirectoryInPathOrderWithSeveralWorkers) {
  const CommandResult r = run("process --workers 3 " + kSeedPages);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines(r.out);
  std::vector<std::string> html;
  for (const auto& e : fs::directory_iterator(kSeedPages))
    if (e.path().extension() == ".html") html.push_back(e.path().filename().string());
  std::sort(html.begin(), html.end());
  ASSERT_EQ(out.size(), html.size());
  for (size_t i = 0; i < out.size(); ++i) {
    simdjson::dom::element a;
    ASSERT_FALSE(parser_.parse(out[i]).get(a));
    expect_article_schema(a);
    std::string_view file;
    ASSERT_FALSE(a["source"]["file"].get(file));
    EXPECT_TRUE(file.ends_with(html[i])) << file << " at position " << i;
    EXPECT_FALSE(field(a, "title").empty()) << html[i];
  }
}

TEST_F(ProcessCommand, BundledSamples) {
  ASSERT_TRUE(fs::is_directory(kSamples));
  const CommandResult r = run("process --config " + std::string(NEWSD_SOURCE_DIR) + "/config/newsd.example.toml " + kSamples);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines(r.out);
  ASSERT_GE(out.size(), 2u);
  std::set<std::string> languages;
  for (const auto& line : out) {
    simdjson::dom::element a;
    ASSERT_FALSE(parser_.parse(line).get(a));
    expect_article_schema(a);
    EXPECT_FALSE(field(a, "title").empty());
    EXPECT_GT(field(a, "text").size(), 200u);
    languages.insert(field(a, "language"));
  }
  EXPECT_TRUE(languages.count("hi")) << "no Hindi sample";
  EXPECT_TRUE(languages.count("en")) << "no English sample";
}

TEST_F(ProcessCommand, JsonLinesFromStdinWithFailuresAsDeadLetters) {
  std::string html = slurp(kSeedPages + "/english-syndicated.html");
  std::string escaped;
  for (char c : html) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (c == '\n') { escaped += "\\n"; continue; }
    if (c == '\r' || c == '\t') { escaped += ' '; continue; }
    escaped += c;
  }
  const std::string input = "{\"url\":\"https://news.example/a\",\"html\":\"" + escaped + "\"}\n" +
                            "{\"url\":\"https://news.example/b\"}\n" + "{\"url\": tru\n";
  const CommandResult r = run("process -", input);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 1u);
  simdjson::dom::element a;
  ASSERT_FALSE(parser_.parse(out[0]).get(a));
  EXPECT_EQ(field(a, "url"), "https://news.example/a");
  std::int64_t line = 0;
  ASSERT_FALSE(a["source"]["line"].get(line));
  EXPECT_EQ(line, 1);

  const auto dead = lines(r.err);
  ASSERT_EQ(dead.size(), 2u) << r.err;
  simdjson::dom::element d;
  ASSERT_FALSE(parser_.parse(dead[0]).get(d));
  EXPECT_EQ(field(d, "source"), "<stdin>:2");
  EXPECT_EQ(field(d, "stage"), "decode");
  EXPECT_EQ(field(d, "reason"), "invalid_envelope");
  EXPECT_NE(field(d, "error").find("\"html\""), std::string::npos);
  ASSERT_FALSE(parser_.parse(dead[1]).get(d));
  EXPECT_EQ(field(d, "source"), "<stdin>:3");
  EXPECT_NE(field(d, "error").find("not valid JSON"), std::string::npos);
}

TEST_F(ProcessCommand, BinaryFileGoesToDeadLetterFile) {
  const fs::path dir = fs::temp_directory_path() / ("newsd-bin-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string junk;
  for (int i = 0; i < 10000; ++i) junk += static_cast<char>((i * 131) & 0xFF);
  std::ofstream(dir / "junk.html", std::ios::binary) << junk;
  const CommandResult r = run("process --dead-letter " + (dir / "dead.jsonl").string() + " " + (dir / "junk.html").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  const std::string dead = slurp((dir / "dead.jsonl").string());
  EXPECT_NE(dead.find("\"reason\":\"not_html\""), std::string::npos) << dead;
  fs::remove_all(dir);
}

TEST_F(ProcessCommand, GzipBombIsRejectedWithoutInflatingIt) {
  const fs::path dir = fs::temp_directory_path() / ("newsd-gz-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string bomb = (dir / "bomb.html.gz").string();
  gzFile gz = gzopen(bomb.c_str(), "wb9");
  ASSERT_NE(gz, nullptr);
  const std::string block(1 << 20, ' ');
  gzputs(gz, "<html><body><p>");
  for (int i = 0; i < 64; ++i) gzwrite(gz, block.data(), static_cast<unsigned>(block.size()));
  gzclose(gz);
  const CommandResult r = run("process " + bomb);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  simdjson::dom::element d;
  ASSERT_FALSE(parser_.parse(r.err).get(d)) << r.err;
  EXPECT_EQ(field(d, "reason"), "too_large");
  EXPECT_NE(field(d, "error").find("decompresses to more than 8388608 bytes"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST_F(ProcessCommand, OversizeJsonLinesRecordIsSkippedAndTheNextIsRead) {
  // Records may be twice limits.max_page_bytes (base64); this one is more.
  const std::string big = "{\"url\":\"https://a.example/big\",\"html\":\"" + std::string(3000, 'x') + "\"}\n";
  const std::string bad = "{\"url\":\"https://a.example/b\"}\n";
  const CommandResult r = run("process -", "\n" + big + bad, "NEWSD_LIMITS__MAX_PAGE_BYTES=1024");
  EXPECT_EQ(r.exit_code, 1);
  const auto dead = lines(r.err);
  ASSERT_EQ(dead.size(), 2u) << r.err;
  simdjson::dom::element d;
  ASSERT_FALSE(parser_.parse(dead[0]).get(d));
  EXPECT_EQ(field(d, "source"), "<stdin>:2");
  EXPECT_EQ(field(d, "reason"), "too_large");
  ASSERT_FALSE(parser_.parse(dead[1]).get(d));
  EXPECT_EQ(field(d, "source"), "<stdin>:3");
  EXPECT_EQ(field(d, "reason"), "invalid_envelope");
}

TEST_F(ProcessCommand, EveryLineIsUtf8JsonWhateverTheCharsetLabelHolds) {
  // The label's stray byte once reached "processing.charset" raw; the base64
  // form reaches decode the same way.
  const std::string html = "<html><head><meta charset=\"utf-\x96 8\"><title>T\x96</title></head><body><p>" +
                           std::string(40, 'x') + " caf\xE9 \xFF\xFE</p></body></html>";
  const std::string base64 = "PG1ldGEgY2hhcnNldD0idXRmLZYgOCI+PHA+eDwvcD4=";  // <meta charset="utf-\x96 8"><p>x</p>
  const CommandResult r = run("process -", "{\"url\":\"https://a.example/\x96\",\"html_base64\":\"" + base64 + "\"}\n");
  for (const std::string& line : lines(r.out + r.err)) {
    simdjson::dom::element el;
    EXPECT_FALSE(parser_.parse(line).get(el)) << line;
  }
  const CommandResult page = run("process --url https://a.example/p -", html);
  ASSERT_FALSE(lines(page.out + page.err).empty());
  for (const std::string& line : lines(page.out + page.err)) {
    simdjson::dom::element el;
    EXPECT_FALSE(parser_.parse(line).get(el)) << line;
  }
}

TEST_F(ProcessCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(run("process").exit_code, 2);
  EXPECT_EQ(run("process --workers zero x.html").exit_code, 2);
  EXPECT_EQ(run("process /no/such/file.html").exit_code, 2);
  EXPECT_EQ(run("process --bogus x").exit_code, 2);
  const CommandResult help = run("process --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: newsd process"), std::string::npos);
}

TEST(CheckConfigCommand, ThreeMistakesThreeErrors) {
  const fs::path file = fs::temp_directory_path() / ("newsd-cc-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "workers = -1\n[limits]\nmax_page_bytes = \"big\"\nfoo = 1\n";
  const CommandResult r = run("check-config " + file.string());
  fs::remove(file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("workers: must be in [0, 1024], got -1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limits.max_page_bytes: expected an integer"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limits.foo: unknown key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 errors"), std::string::npos) << r.err;
}

TEST(CheckConfigCommand, LibrdkafkaJudgesThePassThroughTables) {
  const fs::path file = fs::temp_directory_path() / ("newsd-cc-kafka-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "[kafka.consumer]\n\"no.such.property\" = \"1\"\n"
                         "[kafka.producer]\n\"linger.ms\" = \"soon\"\n";
  const CommandResult r = run("check-config " + file.string());
  fs::remove(file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("kafka.consumer: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no.such.property"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kafka.producer: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("linger.ms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 errors"), std::string::npos) << r.err;
}

TEST(CheckConfigCommand, ExampleConfigIsOk) {
  const CommandResult r = run("check-config " + std::string(NEWSD_SOURCE_DIR) + "/config/newsd.example.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Version, Prints) {
  const CommandResult r = run("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("newsd ", 0), 0u);
}

}  // namespace
