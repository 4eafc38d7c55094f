// `newsd run` against a real broker with poison pages: each becomes a dead
// letter with a reason, the pages around them are still processed, and the
// daemon neither crashes nor stalls.
#include <signal.h>

#include <gtest/gtest.h>

#include <set>

#include "tests/integration/kafka_fixture.h"

namespace newsd::testing {
namespace {

using std::chrono::seconds;

TEST(KafkaRunPoison, PoisonPagesBecomeDeadLettersOthersStillProcessed) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  const Topics t = make_topics(brokers, "poison", 1);  // one partition: poison sits between good pages
  std::string error;
  auto pub = kafka::Publisher::create(brokers, error);
  ASSERT_TRUE(pub) << error;
  const kafka::ToolHeaders html_headers = {{"url", "https://poison.example/page"},
                                           {"content-type", "text/html; charset=utf-8"},
                                           {"fetched-at", "2026-11-26T10:00:00Z"}};
  int valid = 0;
  auto good = [&] { ASSERT_TRUE(pub->publish(t.in, {}, valid_page(5000 + valid++), {}).is_ok()); };

  for (int i = 0; i < 5; ++i) good();
  std::string junk(4096, '\0');
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919 + 13) % 256);
  ASSERT_TRUE(pub->publish(t.in, {}, junk, html_headers).is_ok());  // binary junk
  for (int i = 0; i < 5; ++i) good();
  std::string huge = "<html><body>";
  while (huge.size() < (size_t{20} << 20)) huge += "<p>twenty megabytes of paragraphs</p>";
  huge += "</body></html>";
  ASSERT_TRUE(pub->publish(t.in, {}, huge, html_headers).is_ok());  // 20 MB page
  for (int i = 0; i < 5; ++i) good();
  ASSERT_TRUE(pub->publish(t.in, {}, "{\"url\": \"https://poison.example/x\", \"html\": \"<p>unterminated", {}).is_ok());
  for (int i = 0; i < 5; ++i) good();
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  nested += "<p>" + std::string(400, 'a') + " deep text</p>";
  for (int i = 0; i < 100000; ++i) nested += "</div>";
  ASSERT_TRUE(pub->publish(t.in, {}, "<html><body>" + nested + "</body></html>", html_headers).is_ok());
  for (int i = 0; i < 5; ++i) good();
  ASSERT_TRUE(pub->flush(std::chrono::seconds(60)).is_ok());
  const int total = valid + 4;

  DaemonProcess d(write_config(brokers, t, t.in + "-g"));
  const ReadBack rb = read_back(brokers, t, total, false, seconds(90), seconds(2));
  EXPECT_TRUE(d.running()) << "daemon died on poison pages:\n" << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(seconds(20)), 0) << d.log();

  EXPECT_EQ(rb.sources.size(), static_cast<size_t>(total)) << "every input accounted for";
  EXPECT_EQ(rb.duplicates(), 0);
  EXPECT_GE(rb.outputs.size(), static_cast<size_t>(valid)) << "the good pages around the poison";
  std::set<std::string> reasons;
  for (const kafka::Record& r : rb.dead) {
    EXPECT_FALSE(r.header("newsd-error").empty());
    EXPECT_FALSE(r.header("newsd-stage").empty());
    reasons.insert(r.header("newsd-reason"));
  }
  EXPECT_GE(rb.dead.size(), 3u);
  EXPECT_TRUE(reasons.count("not_html")) << "binary junk";
  EXPECT_TRUE(reasons.count("too_large")) << "20 MB page";
  EXPECT_TRUE(reasons.count("invalid_envelope")) << "malformed JSON";
  for (const kafka::Record& r : rb.dead) {
    if (r.header("newsd-reason") == "too_large") {
      EXPECT_EQ(r.value.size(), huge.size()) << "original payload kept";
    }
  }
}

}  // namespace
}  // namespace newsd::testing
