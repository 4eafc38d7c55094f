// Config of the dedup stage: how copies are recognised and how much is remembered.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/schema.h"

namespace newsd {

struct DedupConfig {
  bool enabled = true;
  bool drop = false;
  int min_words = 20;
  int shingle_words = 4;
  int max_distance = 3;
  double min_similarity = 0.5;
  config::Duration window = std::chrono::hours(24 * 7);
  int64_t capacity = 2'000'000;
  std::string state_topic;

  // Not a config key: `newsd process` sets it so verdicts follow input order
  // whatever the worker count; `newsd run` leaves it off (order across
  // partitions carries no meaning there).
  bool ordered = false;

  template <class V>
  void visit(V& v) {
    v.key("enabled", enabled, "Run the dedup stage; off = every article has \"dedup\": null");
    v.key("drop", drop, "Do not publish duplicates (exact, near, same URL): they are counted as dropped");
    v.key("min_words", min_words, "Texts with fewer words are marked too_short and not indexed",
          config::in_range(1, 100000));
    v.key("shingle_words", shingle_words, "Words per shingle (the unit of the Jaccard similarity)",
          config::in_range(1, 16));
    v.key("max_distance", max_distance,
          "Largest simhash Hamming distance searched for near duplicates; -1 = no simhash tables (about 25 "
          "bytes less per fingerprint; the MinHash bands find near copies either way)",
          config::in_range(-1, 3));
    v.key("min_similarity", min_similarity,
          "Smallest estimated Jaccard similarity of shingle sets for a near duplicate; every match is checked",
          config::in_range(0.05, 1.0));
    v.key("window", window, "How long an article is remembered, by published_at (else fetched_at)",
          config::duration_in_range(std::chrono::minutes(1), std::chrono::hours(24 * 366)));
    v.key("capacity", capacity, "Most fingerprints kept; the oldest is forgotten first (about 105 bytes each)",
          config::in_range<int64_t>(1000, 16'000'000));
    v.key("state_topic", state_topic,
          "Compacted Kafka topic `newsd run` shares fingerprints through (restarts, replicas); empty = none");
  }
};

}  // namespace newsd
