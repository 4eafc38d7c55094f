// The chaos suite (ctest label `chaos`): `newsd run` (the built binary, as a
// child process) against the real broker of scripts/kafka, with a fault in
// the middle of the stream. One case per cell of
//   delivery {at_least_once, exactly_once}
//   x fault {kill -9, SIGTERM, broker stopped 10 s and restarted,
//            a second member joins and later leaves}
// with the dedup state topic on and dedup.drop = true. Each case runs the
// same input twice, undisturbed (the reference) and with the fault, each
// into its own output topics, state topic and group, and checks:
//   - every input offset is in articles + dead letters (at_least_once: at
//     least once; exactly_once: exactly once for a read_committed reader),
//     except the pages the reference dropped as copies;
//   - every page's verdict (dedup status and duplicate_of, or dead letter
//     stage and reason, or dropped) equals the reference's;
//   - no verdict points at the page itself;
//   - after the fault the daemon runs on and exits 0 on SIGTERM.
// and prints one row: case, inputs, articles, dead letters, lost,
// duplicates, verdicts changed.
//
// The broker case restarts the broker through `scripts/kafka restart`, so it
// needs the broker scripts/kafka started (same NEWSD_KAFKA_* environment) at
// NEWSD_TEST_BROKERS. The cases run one at a time (RUN_SERIAL): the broker
// case takes the broker away from everything else.
#include <signal.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "tests/chaos/chaos_input.h"
#include "tests/integration/kafka_fixture.h"

namespace newsd::chaos {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::DaemonProcess;
using testing::Topics;
using Clock = std::chrono::steady_clock;

constexpr int kPartitions = 4;
constexpr int kPerPartition = 280;
constexpr int64_t kOutputMaxBytes = 256 * 1024;  // the output topic's max.message.bytes

enum class Fault { kKill9, kSigterm, kBrokerRestart, kMemberJoinsAndLeaves };
struct Cell {
  const char* delivery;
  Fault fault;
};

std::string fault_name(Fault f) {
  switch (f) {
    case Fault::kKill9:
      return "kill9";
    case Fault::kSigterm:
      return "sigterm";
    case Fault::kBrokerRestart:
      return "broker_restart";
    case Fault::kMemberJoinsAndLeaves:
      return "member_joins_leaves";
  }
  return "?";
}

std::string case_name(const Cell& c) {
  return std::string(c.delivery) + "_" + fault_name(c.fault);
}

std::string run_command(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return out;
}

// One run's topics, group and state topic; `name` tells them apart.
struct RunTopics {
  Topics topics;
  std::string group, state_topic;
};

RunTopics make_run(const std::string& brokers, const std::string& input, const std::string& name) {
  RunTopics r;
  r.topics = {input, input + "-" + name + "-out", input + "-" + name + "-dead"};
  r.group = input + "-" + name + "-g";
  r.state_topic = input + "-" + name + "-state";
  Status s = kafka::create_topics(brokers, {{r.topics.out, kPartitions}}, kOutputMaxBytes);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  s = kafka::create_topics(brokers, {{r.topics.dead, 1}});
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  // Wait until the broker serves their metadata.
  for (int i = 0; i < 100 && (kafka::topic_end_offsets(brokers, r.topics.out) < 0 ||
                              kafka::topic_end_offsets(brokers, r.topics.dead) < 0);
       ++i)
    std::this_thread::sleep_for(milliseconds(100));
  return r;
}

// A member's config: `member` names its transactional id and, with
// `static_member`, its static group membership (a restarted process takes its
// place at once instead of after the session timeout).
std::string member_config(const std::string& brokers, const RunTopics& run, bool exactly_once,
                          const std::string& member, bool static_member) {
  std::string kafka = "commit_interval = \"500ms\"\n";
  if (static_member) kafka += "group_instance_id = \"" + run.group + "-" + member + "\"\n";
  if (exactly_once)
    kafka += "delivery = \"exactly_once\"\ntransactional_id = \"" + run.group + "-" + member + "-tx\"\n";
  return testing::write_config(brokers, run.topics, run.group, kafka,
                               "[dedup]\nstate_topic = \"" + run.state_topic + "\"\ndrop = true\n");
}

// Waits until the group has committed every input record.
bool wait_done(const std::string& brokers, const RunTopics& run, int64_t inputs, milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  while (Clock::now() < end) {
    if (kafka::group_committed(brokers, run.group, run.topics.in, kPartitions) >= inputs) return true;
    std::this_thread::sleep_for(milliseconds(250));
  }
  return false;
}

// Waits until `fraction` of the inputs have left a record (or time is up).
void wait_progress(const std::string& brokers, const RunTopics& run, double fraction, int64_t inputs) {
  testing::wait_written(brokers, run.topics, static_cast<int64_t>(fraction * static_cast<double>(inputs)), seconds(90));
}

struct Published {
  std::vector<kafka::Record> articles, dead;
};

Published read_all(const std::string& brokers, const RunTopics& run, bool read_committed) {
  Published out;
  std::string error;
  auto reader = kafka::Reader::create(brokers, {run.topics.out, run.topics.dead}, read_committed, error);
  EXPECT_TRUE(reader) << error;
  if (!reader) return out;
  for (kafka::Record& r : reader->read(-1, milliseconds(3000), seconds(60)))
    (r.topic == run.topics.out ? out.articles : out.dead).push_back(std::move(r));
  return out;
}

class Chaos : public ::testing::TestWithParam<Cell> {};

TEST_P(Chaos, EveryPageOnceWithTheUndisturbedVerdict) {
  const Cell cell = GetParam();
  const bool exactly_once = std::string(cell.delivery) == "exactly_once";
  const std::string brokers = testing::test_brokers();
  ASSERT_FALSE(brokers.empty());
  if (cell.fault == Fault::kBrokerRestart) {
    const std::string status = run_command(std::string(NEWSD_SOURCE_DIR) + "/scripts/kafka status 2>&1");
    ASSERT_EQ(status.rfind("running " + brokers + " ", 0), 0u)
        << "this case restarts the broker with scripts/kafka, so NEWSD_TEST_BROKERS must be the broker "
           "scripts/kafka started (same NEWSD_KAFKA_PORT / NEWSD_KAFKA_DIR); scripts/kafka status says: "
        << status;
  }

  // The input, published once.
  const Topics in = testing::make_topics(brokers, "chaos-" + case_name(cell), kPartitions);
  const std::vector<InputPage> pages = make_input(kPartitions, kPerPartition, kOutputMaxBytes + 50'000);
  {
    std::string error;
    auto pub = kafka::Publisher::create(brokers, error);
    ASSERT_TRUE(pub) << error;
    for (const InputPage& p : pages) ASSERT_TRUE(pub->publish(in.in, {}, p.value, p.headers, p.partition).is_ok());
    ASSERT_TRUE(pub->flush(seconds(60)).is_ok());
  }
  const int64_t inputs = static_cast<int64_t>(pages.size());
  ASSERT_EQ(kafka::topic_end_offsets(brokers, in.in), inputs);

  // The reference: undisturbed.
  const RunTopics ref = make_run(brokers, in.in, "ref");
  {
    DaemonProcess d(member_config(brokers, ref, exactly_once, "a", false));
    ASSERT_TRUE(wait_done(brokers, ref, inputs, seconds(120))) << "reference run did not finish\n" << d.log();
    d.signal(SIGTERM);
    ASSERT_EQ(d.wait(seconds(30)), 0) << d.log();
  }
  const Published ref_out = read_all(brokers, ref, exactly_once);
  const Outcomes expected = outcomes(ref_out.articles, ref_out.dead);

  // The same input with the fault.
  const RunTopics run = make_run(brokers, in.in, "run");
  // Static membership where the process restarts; not across a broker
  // restart, where librdkafka was seen to take the member's own rejoin for
  // another consumer with its group.instance.id (a fatal error).
  const bool restarts = cell.fault == Fault::kKill9 || cell.fault == Fault::kSigterm;
  const std::string config_a = member_config(brokers, run, exactly_once, "a", restarts);
  // Slowed down so that the fault lands mid-stream.
  const std::vector<std::string> slow = {"--test-page-delay", "8ms"};
  auto a = std::make_unique<DaemonProcess>(config_a, slow);
  wait_progress(brokers, run, 0.3, inputs);
  ASSERT_TRUE(a->running()) << a->log();
  switch (cell.fault) {
    case Fault::kKill9:
      a->signal(SIGKILL);
      EXPECT_EQ(a->wait(seconds(10)), 128 + SIGKILL);
      a = std::make_unique<DaemonProcess>(config_a);
      break;
    case Fault::kSigterm:
      a->signal(SIGTERM);
      EXPECT_EQ(a->wait(seconds(30)), 0) << a->log();
      a = std::make_unique<DaemonProcess>(config_a);
      break;
    case Fault::kBrokerRestart: {
      const std::string out = run_command(std::string(NEWSD_SOURCE_DIR) + "/scripts/kafka restart 10 2>&1");
      ASSERT_NE(out.find("broker up"), std::string::npos) << out;
      break;
    }
    case Fault::kMemberJoinsAndLeaves: {
      DaemonProcess b(member_config(brokers, run, exactly_once, "b", false), slow);
      wait_progress(brokers, run, 0.65, inputs);
      EXPECT_TRUE(b.running()) << b.log();
      b.signal(SIGTERM);
      EXPECT_EQ(b.wait(seconds(30)), 0) << "the member leaving\n" << b.log();
      break;
    }
  }
  const bool done = wait_done(brokers, run, inputs, seconds(180));
  EXPECT_TRUE(done) << "not every input committed after the fault\n" << a->log();
  EXPECT_TRUE(a->running()) << "the daemon must run on after the fault\n" << a->log();
  a->signal(SIGTERM);
  EXPECT_EQ(a->wait(seconds(30)), 0) << a->log();
  const Published got = read_all(brokers, run, exactly_once);
  const Outcomes seen = outcomes(got.articles, got.dead);

  // Compare, input by input.
  int lost = 0, duplicates = 0, changed = 0, self_copies = 0;
  for (int32_t partition = 0; partition < kPartitions; ++partition) {
    for (int64_t offset = 0; offset < kPerPartition; ++offset) {
      const Position at{partition, offset};
      const auto e = expected.find(at);
      const auto s = seen.find(at);
      const Outcome want = e == expected.end() ? Outcome{} : e->second;
      const Outcome have = s == seen.end() ? Outcome{} : s->second;
      const std::string& kind = pages[static_cast<size_t>(partition * kPerPartition + offset)].kind;
      if (have.records == 0 && want.records > 0) {
        ++lost;
        ADD_FAILURE() << "lost " << partition << "@" << offset << " (" << kind << ", reference: " << want.verdict
                      << ")";
        continue;
      }
      if (have.records > 1) duplicates += have.records - 1;
      if (have.self_copy) ++self_copies;
      for (const std::string& v : have.records > 0 ? have.all : std::vector<std::string>{"dropped"}) {
        if (v != want.verdict) {
          ++changed;
          ADD_FAILURE() << "verdict of " << partition << "@" << offset << " (" << kind << "): " << v
                        << ", reference: " << want.verdict;
          break;
        }
      }
    }
  }
  EXPECT_EQ(self_copies, 0) << "pages reported as copies of themselves";
  if (exactly_once) {
    EXPECT_EQ(duplicates, 0) << "exactly_once: each input at most once for a read_committed reader";
  }
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(changed, 0);

  // The reference itself is what the input was made to be.
  std::map<std::string, int> kinds;
  for (const auto& [at, o] : expected) ++kinds[o.verdict.substr(0, o.verdict.find(' '))];
  EXPECT_GT(kinds["unique"], 500);
  EXPECT_GT(kinds["updated"], 50);
  EXPECT_GT(kinds["dead"], 20);
  int dropped = 0;
  for (const InputPage& p : pages) dropped += p.kind == "exact_copy" || p.kind == "near_copy" || p.kind == "recrawl";
  EXPECT_EQ(static_cast<int64_t>(expected.size()), inputs - dropped) << "the copies and re-crawls are dropped";
  bool oversize_dead = false;
  for (const auto& [at, o] : expected)
    oversize_dead |= pages[static_cast<size_t>(at.first * kPerPartition + at.second)].kind == "oversize" &&
                     o.verdict.rfind("dead ", 0) == 0;
  EXPECT_TRUE(oversize_dead) << "the article larger than the output topic takes is a dead letter";

  std::printf("chaos | %-34s | %6lld | %8zu | %12zu | %4d | %10d | %16d |\n", case_name(cell).c_str(),
              static_cast<long long>(inputs), got.articles.size(), got.dead.size(), lost, duplicates, changed);
}

INSTANTIATE_TEST_SUITE_P(Matrix, Chaos,
                         ::testing::Values(Cell{"at_least_once", Fault::kKill9}, Cell{"at_least_once", Fault::kSigterm},
                                           Cell{"at_least_once", Fault::kBrokerRestart},
                                           Cell{"at_least_once", Fault::kMemberJoinsAndLeaves},
                                           Cell{"exactly_once", Fault::kKill9}, Cell{"exactly_once", Fault::kSigterm},
                                           Cell{"exactly_once", Fault::kBrokerRestart},
                                           Cell{"exactly_once", Fault::kMemberJoinsAndLeaves}),
                         [](const ::testing::TestParamInfo<Cell>& info) { return case_name(info.param); });

}  // namespace
}  // namespace newsd::chaos
