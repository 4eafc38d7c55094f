// Tagger: finds and links the named entities of one text.
//
// TagResources holds what is loaded from disk (gazetteer, model) and is
// immutable; TagData is the SharedState member that hands the current
// resources to every worker and swaps them atomically on reload (SIGHUP), so
// a reload never stops the flow and a worker keeps the resources it started
// a page with. Tagger is per worker: it owns the scratch buffers.
//
// Order of work on a text: fold (normalize.h), gazetteer matches, tokens and
// sentences, the Hindi model on sentences written in Devanagari and the
// English one on sentences in Latin script, pattern rules
// (rules.h) started where the model starts the same name, then overlap
// resolution (longest span wins; ties: gazetteer, then rule, then model, then
// earlier start), then the document-level passes: repeated surnames of
// people already found, one type per name, and the name's other mentions.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/article.h"
#include "stages/status.h"
#include "stages/tag/gazetteer.h"
#include "stages/tag/model.h"
#include "stages/tag/normalize.h"
#include "stages/tag/tag_config.h"

namespace newsd::tag {

struct TagResources {
  Gazetteer gazetteer;
  std::unique_ptr<Model> model;          // Devanagari sentences; null: no model configured
  std::unique_ptr<Model> english_model;  // sentences in Latin script; null: none configured

  // Loads every file the config names; null and `error` on failure.
  static std::shared_ptr<const TagResources> load(const TagConfig& config, std::string& error);
};

// 'builtin:NAME' -> NAME in the data directory (stages/tag/data_dir.h); other
// paths as given. Empty with `error` set when that directory is not found.
std::string resolve_data_path(const TagConfig& config, const std::string& path, std::string& error);

class TagData {
 public:
  static std::unique_ptr<TagData> create(const TagConfig& config, std::string& error);

  std::shared_ptr<const TagResources> current() const { return current_.load(std::memory_order_acquire); }

  // Loads the files anew and swaps them in; on failure the old resources stay.
  Status reload(const TagConfig& config);

 private:
  std::atomic<std::shared_ptr<const TagResources>> current_;
};

// Token of the folded text: [start, end) in FoldedText::folded.
struct Token {
  uint32_t start;
  uint32_t end;
  bool sentence_end;  // last token of its sentence
};

// A candidate span before overlap resolution.
struct Candidate {
  uint32_t start;  // folded offsets
  uint32_t end;
  EntityType type;
  uint8_t source;      // an EntitySource: 0 gazetteer, 1 rule, 2 model
  int64_t entity;      // gazetteer entity or -1
  std::string canonical;  // for rule/model spans; empty = none
};

class Tagger {
 public:
  explicit Tagger(const TagConfig& config) : config_(config) {}

  // Replaces `out` with the entities of `text` (code-point offsets).
  void tag(const TagResources& res, std::string_view text, std::vector<Entity>& out);

  const FoldedText& folded() const { return text_; }

 private:
  void tokenize();
  bool abbreviation_stop(size_t t) const;
  // Index of the first token starting at or after a folded offset.
  size_t first_token_from(uint32_t offset) const;
  // "स्वच्छ भारत अभियान": a known place right before a programme word
  // names a scheme, not the place; its gazetteer candidate goes (the model
  // still saw the match as a feature). Their spans go to programme_places_.
  void drop_places_naming_programmes();
  // A rule found "<words> मंत्रालय" by its head and took every content word
  // before it; where the model found the same name ending there, its start
  // is the better one ("भरत लाल जल शक्ति मंत्रालय"). Rule candidates are
  // those from first_rule on.
  void align_rule_starts(size_t first_rule);
  // Where a rule span [rule_start, ...) should start when the model found
  // the same name from model_start: there, or at the word before a
  // coordinating word in between, which joins two names' words ("आवास एवं
  // शहरी विकास विभाग"); the model knows no coordination.
  uint32_t conjunct_start(uint32_t rule_start, uint32_t model_start) const;
  const Model* sentence_model(const TagResources& res, size_t begin, size_t end) const;
  void run_model(const TagResources& res);
  void resolve(const TagResources& res, std::vector<Entity>& out);
  // Document-level passes (document.cc), after overlap resolution:
  // surnames and acronyms of names found in full, then one type per name
  // and its other mentions.
  void add_surnames(std::vector<Entity>& out);
  void consistent_names(std::vector<Entity>& out);
  void release_scratch();

  // Texts up to this size (far above a news article's) leave the scratch
  // buffers allocated for the next text.
  static constexpr size_t kKeepScratchForBytes = size_t{1} << 20;

  const TagConfig& config_;
  FoldedText text_;
  std::vector<GazetteerMatch> matches_;
  std::vector<Token> tokens_;
  std::vector<Candidate> candidates_;
  std::vector<std::string_view> gaz_labels_;  // per token
  std::string words_buf_;
  std::vector<std::string_view> words_;       // folded tokens, UTF-8, into words_buf_
  std::vector<std::string_view> sent_words_, sent_gaz_, sent_shapes_;
  std::string shapes_buf_;               // word shapes of a sentence, for a cased model
  std::vector<uint32_t> shape_offsets_;  // into shapes_buf_
  std::vector<uint32_t> model_ends_;  // model candidates' indices, by end offset
  std::vector<std::pair<uint32_t, uint32_t>> programme_places_;  // folded offsets
  std::vector<uint32_t> sent_tokens_;  // first token of each model word, then the sentence end
  std::vector<uint32_t> word_offsets_;
  std::vector<uint8_t> labels_;
  std::vector<uint8_t> taken_;
  Model::Scratch model_scratch_, english_scratch_;
};

}  // namespace newsd::tag
