// The chaos suite's input and how its outcome is read: ~1,100 crawler records
// over the input partitions with known duplicates among them (exact copies and
// near copies under other URLs, re-crawls of the same URL unchanged and
// edited) and poison pages (binary junk, malformed JSON, a record without
// html, and one article larger than the output topic accepts).
//
// Every copy and re-crawl is on the partition of its original and at least
// 20 records after it, so the undisturbed verdicts do not depend on worker
// timing: the order within a partition decides them. Re-crawls come at
// least 20 records after the last copy of their original (see chaos_test.cc
// on why that matters for at_least_once).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon/kafka/tool.h"

namespace newsd::chaos {

struct InputPage {
  int32_t partition = 0;
  std::string kind;  // original, exact_copy, near_copy, recrawl, edit, junk, malformed, no_html, oversize
  std::string value;
  kafka::ToolHeaders headers;
};

// `per_partition` records on each of `partitions` partitions, in publishing
// order; the oversized article's output JSON exceeds `oversize_bytes`.
std::vector<InputPage> make_input(int partitions, int per_partition, size_t oversize_bytes);

// What became of one input record: "dropped" (no record at all), "dead
// <stage> <reason>" for a dead letter, "<status> <duplicate_of>" for an
// article; with how many records carried it.
struct Outcome {
  std::string verdict = "dropped";
  int records = 0;
  bool self_copy = false;        // an exact or near copy of its own id
  std::vector<std::string> all;  // every verdict seen (at_least_once may publish twice)
};
using Position = std::pair<int32_t, int64_t>;  // input partition, offset
using Outcomes = std::map<Position, Outcome>;

// Outcomes of every input position from what a run published.
Outcomes outcomes(const std::vector<kafka::Record>& articles, const std::vector<kafka::Record>& dead);

}  // namespace newsd::chaos
