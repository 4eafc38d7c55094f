// Config: declarations, loading, validation, environment overrides.
#include "daemon/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace newsd {
namespace {

config::EnvLookup no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

config::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

bool has_error(const std::vector<std::string>& errors, const std::string& part) {
  for (const auto& e : errors)
    if (e.find(part) != std::string::npos) return true;
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

TEST(Config, DefaultsAreValid) {
  Config c;
  EXPECT_TRUE(load_config_text("", "empty", c, no_env()).empty());
  EXPECT_EQ(c.limits.max_page_bytes, 8 << 20);
  EXPECT_GE(c.effective_workers(), 1);
}

TEST(Config, ReportsEveryErrorWithItsKeyPath) {
  Config c;
  const auto errors = load_config_text(R"(
workers = "four"
colour = "blue"
[limits]
max_page_bytes = 10
[log]
level = "loud"
)",
                                       "bad.toml", c, no_env());
  EXPECT_EQ(errors.size(), 4u) << join(errors);
  EXPECT_TRUE(has_error(errors, "workers: expected an integer, got a string")) << join(errors);
  EXPECT_TRUE(has_error(errors, "colour: unknown key")) << join(errors);
  EXPECT_TRUE(has_error(errors, "limits.max_page_bytes: must be in [1024, 1073741824], got 10")) << join(errors);
  EXPECT_TRUE(has_error(errors, "log.level: must be one of")) << join(errors);
}

TEST(Config, UnknownKeyInNestedTable) {
  Config c;
  const auto errors = load_config_text("[limits]\nmax_page_byte = 5000\n", "t", c, no_env());
  ASSERT_EQ(errors.size(), 1u) << join(errors);
  EXPECT_EQ(errors[0], "limits.max_page_byte: unknown key");
}

TEST(Config, TableWhereScalarExpected) {
  Config c;
  const auto errors = load_config_text("limits = 3\n", "t", c, no_env());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "limits: expected a table");
}

TEST(Config, SyntaxErrorNamesTheLine) {
  Config c;
  const auto errors = load_config_text("workers = 2\n[limits\n", "broken.toml", c, no_env());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("broken.toml:2"), std::string::npos) << errors[0];
}

TEST(Config, EnvironmentOverridesFile) {
  Config c;
  const auto errors = load_config_text("workers = 2\n", "t", c,
                                       env_of({{"NEWSD_WORKERS", "6"}, {"NEWSD_LIMITS__MAX_PAGE_BYTES", "65536"}}));
  EXPECT_TRUE(errors.empty()) << join(errors);
  EXPECT_EQ(c.workers, 6);
  EXPECT_EQ(c.limits.max_page_bytes, 65536);
}

TEST(Config, BadEnvironmentValueNamesTheVariable) {
  Config c;
  const auto errors = load_config_text("", "t", c, env_of({{"NEWSD_WORKERS", "many"}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("workers (from NEWSD_WORKERS)"), std::string::npos) << errors[0];
}

TEST(Config, EnvVarNames) {
  EXPECT_EQ(config::env_var_for("kafka.brokers"), "NEWSD_KAFKA__BROKERS");
  EXPECT_EQ(config::env_var_for("log.summary_interval"), "NEWSD_LOG__SUMMARY_INTERVAL");
}

TEST(Config, Durations) {
  config::Duration d{};
  EXPECT_TRUE(config::parse_duration("250ms", d));
  EXPECT_EQ(d.count(), 250);
  EXPECT_TRUE(config::parse_duration("30s", d));
  EXPECT_EQ(d.count(), 30000);
  EXPECT_TRUE(config::parse_duration("7d", d));
  EXPECT_EQ(d.count(), 7 * 86400000LL);
  EXPECT_FALSE(config::parse_duration("30", d));
  EXPECT_FALSE(config::parse_duration("s", d));
  EXPECT_FALSE(config::parse_duration("5 minutes", d));
  EXPECT_EQ(config::to_toml(config::Duration(30000)), "\"30s\"");
}

// Collects the dotted paths of every leaf key in a TOML table.
void leaf_keys(const toml::table& t, const std::string& prefix, const std::set<std::string>& maps,
               std::set<std::string>& out) {
  for (const auto& [k, v] : t) {
    const std::string path = prefix + std::string(k.str());
    if (v.is_table() && maps.count(path) == 0) leaf_keys(*v.as_table(), path + ".", maps, out);
    else out.insert(path);
  }
}

TEST(Config, ExampleConfigIsValidAndListsEveryKey) {
  const std::string path = std::string(NEWSD_SOURCE_DIR) + "/config/newsd.example.toml";
  Config c;
  const auto errors = load_config(path, c, no_env());
  EXPECT_TRUE(errors.empty()) << join(errors);

  std::set<std::string> declared, maps;
  for (const auto& k : config::list_keys<Config>()) {
    if (k.is_table) continue;
    declared.insert(k.path);
    if (k.type == "table of strings") maps.insert(k.path);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::set<std::string> in_example;
  leaf_keys(toml::parse(text.str()), "", maps, in_example);
  for (const auto& key : declared) EXPECT_TRUE(in_example.count(key)) << key << " is missing from " << path;
}

TEST(Config, ListsAlsoAcceptOneCommaSeparatedString) {
  Config c;
  EXPECT_TRUE(load_config_text("[kafka]\nbrokers = \"a:9092, b:9092,c:9092\"\n", "t", c, no_env()).empty());
  EXPECT_EQ(c.kafka.brokers, (std::vector<std::string>{"a:9092", "b:9092", "c:9092"}));
  EXPECT_TRUE(load_config_text("", "t", c, env_of({{"NEWSD_KAFKA__BROKERS", " x:1 ,y:2"}})).empty());
  EXPECT_EQ(c.kafka.brokers, (std::vector<std::string>{"x:1", "y:2"}));
  // An empty string is an empty list, which kafka.brokers refuses.
  EXPECT_TRUE(has_error(load_config_text("[kafka]\nbrokers = \"\"\n", "t", c, no_env()), "kafka.brokers"));
  EXPECT_TRUE(has_error(load_config_text("[kafka]\nbrokers = 9092\n", "t", c, no_env()), "comma-separated"));
}

TEST(Config, EnvironmentVariablesThatNameNoKeyAreReported) {
  const auto keys = config::list_keys<Config>();
  const auto out = config::unknown_env_overrides(
      keys, {"NEWSD_KAFKA__BROKERS", "NEWSD_KAFKA_BROKERS", "NEWSD_KAFKA__BROKER", "NEWSD_KAFKA__SECURITY__PASSWORD",
             "NEWSD_KAFKA_SECURITY_PASSWORD", "NEWSD_KAFKA_PORT", "NEWSD_TEST_BROKERS", "PATH", "NEWSD_WORKERS"});
  EXPECT_EQ(out, (std::vector<std::string>{
                     "NEWSD_KAFKA_BROKERS overrides no config key (did you mean NEWSD_KAFKA__BROKERS?)",
                     "NEWSD_KAFKA__BROKER overrides no config key",
                     "NEWSD_KAFKA_SECURITY_PASSWORD overrides no config key (did you mean "
                     "NEWSD_KAFKA__SECURITY__PASSWORD?)",
                 }))
      << join(out);
}

TEST(Config, KafkaSecurityRulesAcrossKeysNeverQuoteThePassword) {
  Config c;
  auto errors = load_config_text(
      "[kafka.security]\nprotocol = \"sasl_ssl\"\npassword = \"hunter2\"\npassword_file = \"/nonexistent/pw\"\n"
      "cert_file = \"/nonexistent/c.pem\"\n",
      "t", c, no_env());
  EXPECT_TRUE(has_error(errors, "kafka.security.username: must not be empty")) << join(errors);
  EXPECT_TRUE(has_error(errors, "kafka.security.password: set exactly one of")) << join(errors);
  EXPECT_TRUE(has_error(errors, "kafka.security.password_file: cannot read /nonexistent/pw")) << join(errors);
  EXPECT_TRUE(has_error(errors, "kafka.security.cert_file: cannot read")) << join(errors);
  EXPECT_TRUE(has_error(errors, "kafka.security.key_file: cert_file and key_file go together")) << join(errors);
  EXPECT_EQ(join(errors).find("hunter2"), std::string::npos) << join(errors);

  Config c2;
  errors = load_config_text("[kafka.security]\nusername = \"u\"\nca_file = \"/etc/hostname\"\n", "t", c2, no_env());
  EXPECT_TRUE(has_error(errors, "kafka.security.username: needs protocol sasl_ssl")) << join(errors);
  EXPECT_TRUE(has_error(errors, "kafka.security.ca_file: needs protocol ssl")) << join(errors);

  Config c3;
  errors = load_config_text(
      "[kafka.security]\nprotocol = \"sasl_plaintext\"\nsasl_mechanism = \"PLAIN\"\n"
      "username = \"u\"\n",
      "t", c3, env_of({{"NEWSD_KAFKA__SECURITY__PASSWORD", "from-env"}}));
  EXPECT_EQ(errors, std::vector<std::string>{
                        "kafka.security.sasl_mechanism: PLAIN would send the password in clear: use sasl_ssl"});
  EXPECT_EQ(c3.kafka.security.password, "from-env");
}

TEST(Config, EveryKeyHasADescription) {
  for (const auto& k : config::list_keys<Config>()) EXPECT_FALSE(k.description.empty()) << k.path;
}

}  // namespace
}  // namespace newsd
