// [kafka.security]: TLS and SASL for every Kafka client newsd makes (the
// consumer, the producer, the dedup state log and kafka-tool), applied by
// daemon/kafka/security.h. Declared once here, like every config table.
//
// The password is a secret: no check prints its value, and it reaches only
// librdkafka's sasl.password. Prefer password_file (a mounted secret) or the
// environment (NEWSD_KAFKA__SECURITY__PASSWORD) to writing it in the file.
#pragma once

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "config/schema.h"

namespace newsd {

struct KafkaSecurityConfig {
  std::string protocol = "plaintext";
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool verify_hostname = true;
  std::string sasl_mechanism = "SCRAM-SHA-512";
  std::string username;
  std::string password;
  std::string password_file;

  bool tls() const { return protocol == "ssl" || protocol == "sasl_ssl"; }
  bool sasl() const { return protocol == "sasl_plaintext" || protocol == "sasl_ssl"; }

  template <class V>
  void visit(V& v) {
    v.key("protocol", protocol,
          "plaintext, ssl (TLS), sasl_ssl (SASL over TLS) or sasl_plaintext (SASL without encryption)",
          config::one_of({"plaintext", "ssl", "sasl_ssl", "sasl_plaintext"}));
    v.key("ca_file", ca_file,
          "PEM file of the CA certificates the brokers' certificates are checked against; "
          "empty = the system's (ca-certificates)");
    v.key("cert_file", cert_file, "PEM client certificate, for brokers that require one (with key_file)");
    v.key("key_file", key_file, "PEM private key of cert_file");
    v.key("verify_hostname", verify_hostname, "Check that a broker's certificate names the host connected to");
    v.key("sasl_mechanism", sasl_mechanism, "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (PLAIN only over TLS)",
          config::one_of({"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"}));
    v.key("username", username, "SASL user name");
    v.key("password", password,
          "SASL password; better NEWSD_KAFKA__SECURITY__PASSWORD or password_file, never printed or logged");
    v.key("password_file", password_file, "File whose first line is the SASL password (e.g. a mounted secret)");
  }

  // Rules across keys, and that the named files can be read. Never quotes the password.
  void validate(std::vector<std::string>& errors, const std::string& path) const {
    auto error = [&](const char* key, const std::string& what) { errors.push_back(path + "." + key + ": " + what); };
    using Field = std::pair<const char*, const std::string*>;
    const Field tls_files[] = {{"ca_file", &ca_file}, {"cert_file", &cert_file}, {"key_file", &key_file}};
    const Field sasl_keys[] = {{"username", &username}, {"password", &password}, {"password_file", &password_file}};
    for (const Field& f : {tls_files[0], tls_files[1], tls_files[2], sasl_keys[2]}) {
      if (f.second->empty()) continue;
      std::ifstream in(*f.second, std::ios::binary);
      if (!in) error(f.first, "cannot read " + *f.second + ": " + std::strerror(errno));
    }
    if (!tls()) {
      for (const Field& f : tls_files)
        if (!f.second->empty()) error(f.first, "needs protocol ssl or sasl_ssl, protocol is " + protocol);
    }
    if (cert_file.empty() != key_file.empty())
      error(cert_file.empty() ? "cert_file" : "key_file", "cert_file and key_file go together");
    if (!sasl()) {
      for (const Field& f : sasl_keys)
        if (!f.second->empty()) error(f.first, "needs protocol sasl_ssl or sasl_plaintext, protocol is " + protocol);
      return;
    }
    if (username.empty()) error("username", "must not be empty with protocol " + protocol);
    if (password.empty() == password_file.empty())
      error("password", "set exactly one of password (or NEWSD_KAFKA__SECURITY__PASSWORD) and password_file");
    if (sasl_mechanism == "PLAIN" && !tls())
      error("sasl_mechanism", "PLAIN would send the password in clear: use sasl_ssl");
  }
};

}  // namespace newsd
