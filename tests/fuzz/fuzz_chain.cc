// Fuzz target: the whole stage chain (decode, extract, dedup, tag, encode) on
// an arbitrary payload, raw HTML or a crawler record. Every record newsd would
// write (the article, or the dead letter) must be valid UTF-8 JSON.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "stages/chain_config.h"
#include "stages/encode/json_writer.h"
#include "stages/pipeline.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

struct Chain {
  Chain() {
    config.dedup.capacity = 10000;  // the index stays small however long the run
    std::string error;
    shared = newsd::SharedState::create(config, metrics, error);
    if (!shared) newsd::fuzz::fail("cannot build the shared state", error);
    pipeline = std::make_unique<newsd::Pipeline>(config, *shared);
  }
  newsd::ChainConfig config;
  newsd::MetricsRegistry metrics;
  std::unique_ptr<newsd::SharedState> shared;
  std::unique_ptr<newsd::Pipeline> pipeline;
};

void check_json(const std::string& json) {
  static simdjson::dom::parser parser;
  simdjson::dom::element el;
  if (parser.parse(json).get(el)) newsd::fuzz::fail("record is not valid UTF-8 JSON", json);
}

Chain& chain() {
  static Chain c;
  return c;
}

}  // namespace

// The data files load here, outside the per-input time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  chain();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  Article a;
  a.input.payload.assign(reinterpret_cast<const char*>(data), size);
  a.input.url = "https://fuzz.example/news/story";
  a.source.topic = "fuzz";
  const PipelineOutcome outcome = chain().pipeline->run(a);
  if (outcome.ok()) {
    check_json(a.json);
  } else {
    std::string line;
    JsonWriter w(line);
    w.begin_object();
    w.key("stage").string(outcome.stage);
    w.key("reason").string(status_code_name(outcome.status.code()));
    w.key("error").string(outcome.status.message());
    w.end_object();
    check_json(line);
  }
  return 0;
}
