// Applies [kafka.security] to a librdkafka client configuration, and tells
// the connection errors that retrying cannot cure from those it can.
// Internal to daemon/kafka/; every client newsd makes goes through here.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "daemon/kafka/security_config.h"

namespace newsd::kafka {

// security.protocol, ssl.* and sasl.* for `config` into `out`, the password
// read from password_file when that is set. False with `error` (never
// quoting the password) when the file cannot be read.
bool security_properties(const KafkaSecurityConfig& config, std::map<std::string, std::string>& out,
                         std::string& error);

// For an error librdkafka reports on a connection (error callback: code and
// reason): the one-line explanation when retrying cannot cure it, else
// nullopt. Always: the broker rejected the credentials; TLS failed (e.g. a
// certificate from an unknown CA). Only while `connected_before` is false: a
// disconnect librdkafka blames on the protocol (a plaintext client on a TLS
// port) or on a TLS alert about the client certificate, since a broker that
// restarts can cut a connection at the same moment once the client is running.
std::optional<std::string> permanent_connection_error(int err, const std::string& reason, bool connected_before);

}  // namespace newsd::kafka
