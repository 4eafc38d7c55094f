// RAII owners for librdkafka's C handles, so no handle is ever freed by hand
// and every early return releases what was made.
//
// Only code under daemon/kafka/ includes this (and librdkafka).
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

namespace newsd::kafka {

template <auto Fn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    if (p != nullptr) Fn(p);
  }
};

// Destroying a client handle blocks until its threads are gone; a consumer
// must have been closed (rd_kafka_consumer_close) before.
using ClientPtr = std::unique_ptr<rd_kafka_t, Deleter<rd_kafka_destroy>>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, Deleter<rd_kafka_conf_destroy>>;
using PartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, Deleter<rd_kafka_topic_partition_list_destroy>>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, Deleter<rd_kafka_message_destroy>>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, Deleter<rd_kafka_headers_destroy>>;
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, Deleter<rd_kafka_error_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_destroy>>;
using GroupMetadataPtr =
    std::unique_ptr<rd_kafka_consumer_group_metadata_t, Deleter<rd_kafka_consumer_group_metadata_destroy>>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_destroy>>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_destroy>>;
using ConfigResourcePtr = std::unique_ptr<rd_kafka_ConfigResource_t, Deleter<rd_kafka_ConfigResource_destroy>>;

// Sets one property; false with `error` filled when librdkafka rejects it.
// The value of a secret (a password) never goes into `error`.
inline bool set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value,
                         std::string& error) {
  char err[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK) return true;
  const bool secret =
      name.find("password") != std::string::npos || name.find("secret") != std::string::npos || name == "ssl.key.pem";
  error = name + "=" + (secret ? std::string("(redacted)") : value) + ": " + (secret ? "rejected" : err);
  return false;
}

// Creates a client from `conf`. The client owns the configuration once it
// exists; on failure `conf` is freed here. Null with `error` = "cannot
// create the Kafka producer|consumer: REASON".
inline ClientPtr make_client(rd_kafka_type_t type, ConfPtr conf, std::string& error) {
  char reason[512];
  ClientPtr rk(rd_kafka_new(type, conf.get(), reason, sizeof reason));
  if (!rk) {
    error = std::string("cannot create the Kafka ") + (type == RD_KAFKA_PRODUCER ? "producer" : "consumer") + ": " +
            reason;
    return nullptr;
  }
  (void)conf.release();
  return rk;
}

// Takes ownership of an rd_kafka_error_t and renders it ("" when null).
inline std::string take_error(rd_kafka_error_t* raw) {
  ErrorPtr err(raw);
  return err ? std::string(rd_kafka_error_string(err.get())) : std::string();
}

}  // namespace newsd::kafka
