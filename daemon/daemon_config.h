// Config of `newsd run` besides Kafka (daemon/kafka/kafka_config.h): the
// work queue between the consumer and the workers, and the shutdown budget. Declared once here; the
// loader, `check-config --reference` and the example config follow from it.
#pragma once

#include <chrono>
#include <cstdint>
#include "config/schema.h"

namespace newsd {

// The bounded queue between the poll loop and the workers, and the buffer of
// polled records in front of it. When the buffer is full the loop pauses
// every assigned partition and keeps polling. Pausing discards librdkafka's
// prefetched records, so the buffer is sized to make pauses rare.
struct QueueConfig {
  int max_pages = 0;
  int buffer_pages = 8192;
  int64_t max_bytes = int64_t{256} << 20;

  template <class V>
  void visit(V& v) {
    v.key("max_pages", max_pages, "Pages queued for the workers; 0 = 4 per worker",
          config::in_range(0, 1 << 20));
    v.key("buffer_pages", buffer_pages,
          "Records polled ahead of the worker queue before every partition is paused",
          config::in_range(1, 1 << 20));
    v.key("max_bytes", max_bytes, "Payload bytes in the worker queue and the buffer together before pausing",
          config::in_range<int64_t>(int64_t{1} << 20, int64_t{1} << 40));
  }
};

struct ShutdownConfig {
  config::Duration timeout = std::chrono::seconds(30);
  config::Duration revoke_timeout = std::chrono::seconds(10);

  template <class V>
  void visit(V& v) {
    v.key("timeout", timeout,
          "SIGTERM/SIGINT: time for stop polling, drain workers, flush, commit, close; a second signal exits at once",
          config::duration_in_range(std::chrono::seconds(1), std::chrono::hours(1)));
    v.key("revoke_timeout", revoke_timeout,
          "On partition revocation: how long to wait for their pages in flight before committing",
          config::duration_in_range(config::Duration(0), std::chrono::minutes(10)));
  }
};

}  // namespace newsd
