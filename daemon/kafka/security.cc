#include "daemon/kafka/security.h"

#include <librdkafka/rdkafka.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace newsd::kafka {

bool security_properties(const KafkaSecurityConfig& c, std::map<std::string, std::string>& out, std::string& error) {
  out["security.protocol"] = c.protocol;
  if (c.tls()) {
    if (!c.ca_file.empty()) out["ssl.ca.location"] = c.ca_file;
    if (!c.cert_file.empty()) out["ssl.certificate.location"] = c.cert_file;
    if (!c.key_file.empty()) out["ssl.key.location"] = c.key_file;
    out["ssl.endpoint.identification.algorithm"] = c.verify_hostname ? "https" : "none";
  }
  if (!c.sasl()) return true;
  out["sasl.mechanisms"] = c.sasl_mechanism;
  out["sasl.username"] = c.username;
  std::string password = c.password;
  if (!c.password_file.empty()) {
    std::ifstream in(c.password_file, std::ios::binary);
    if (!in || !std::getline(in, password)) {
      error = "kafka.security.password_file: cannot read " + c.password_file + ": " + std::strerror(errno);
      return false;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  out["sasl.password"] = password;
  return true;
}

std::optional<std::string> permanent_connection_error(int err, const std::string& reason, bool connected_before) {
  switch (static_cast<rd_kafka_resp_err_t>(err)) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED: {
      std::string out = "the broker rejected the credentials (kafka.security username/password): " + reason;
      // librdkafka before 2.6.1 echoes a wrong SCRAM nonce, which Kafka 4
      // brokers reject (RFC 5802), so right credentials fail too.
      if (reason.find("SCRAM") != std::string::npos && rd_kafka_version() < 0x020601ff)
        out += std::string("; note: this librdkafka (") + rd_kafka_version_str() +
               ") cannot authenticate with SCRAM to Kafka 4 or later brokers (fixed in librdkafka 2.6.1): "
               "use sasl_mechanism PLAIN over sasl_ssl, or client certificates";
      return out;
    }
    case RD_KAFKA_RESP_ERR__SSL:
      return "TLS with the broker failed (kafka.security ca_file, cert_file, key_file): " + reason;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
      if (connected_before) return std::nullopt;
      // librdkafka's own diagnosis of a plaintext client on a TLS port and the like.
      if (reason.find("security.protocol") != std::string::npos)
        return "the broker's port speaks another protocol than kafka.security.protocol: " + reason;
      // The broker's TLS alert when it wants a client certificate it did not get or trust.
      if (reason.find("alert") != std::string::npos && reason.find("certificate") != std::string::npos)
        return "the broker refused the TLS client certificate (kafka.security cert_file, key_file): " + reason;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace newsd::kafka
