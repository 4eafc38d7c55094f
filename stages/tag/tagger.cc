#include "stages/tag/tagger.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "stages/deadline.h"
#include "stages/tag/data_dir.h"
#include "stages/tag/rules.h"
#include "stages/tag/rules_hi.h"
#include "stages/tag/word_lists.h"

namespace newsd::tag {
namespace {

constexpr std::string_view kGazLabels[2][5] = {
    {"B-PERSON", "B-ORG", "B-LOC", "B-NORP", "B-EVENT"},
    {"I-PERSON", "I-ORG", "I-LOC", "I-NORP", "I-EVENT"},
};

bool is_sentence_mark(std::u32string_view w) {
  return w == U"।" || w == U"." || w == U"?" || w == U"!" || w == U"॥";
}

}  // namespace

std::string resolve_data_path(const TagConfig& config, const std::string& path, std::string& error) {
  constexpr std::string_view kBuiltin = "builtin:";
  if (path.compare(0, kBuiltin.size(), kBuiltin) != 0) return path;
  const std::string dir = data_dir(config.data_dir, error);
  return dir.empty() ? std::string() : dir + "/" + path.substr(kBuiltin.size());
}

std::shared_ptr<const TagResources> TagResources::load(const TagConfig& config, std::string& error) {
  auto res = std::make_shared<TagResources>();
  std::vector<std::string> paths;
  for (const std::string& p : config.gazetteers) {
    paths.push_back(resolve_data_path(config, p, error));
    if (paths.back().empty()) return nullptr;
  }
  if (!res->gazetteer.load(paths, error)) return nullptr;
  for (auto [path, model] :
       {std::pair{&config.model, &res->model}, std::pair{&config.english_model, &res->english_model}}) {
    if (path->empty()) continue;
    *model = std::make_unique<Model>();
    const std::string file = resolve_data_path(config, *path, error);
    if (file.empty() || !(*model)->load(file, error)) return nullptr;
  }
  return res;
}

std::unique_ptr<TagData> TagData::create(const TagConfig& config, std::string& error) {
  auto data = std::make_unique<TagData>();
  auto res = TagResources::load(config, error);
  if (!res) return nullptr;
  data->current_.store(std::move(res), std::memory_order_release);
  return data;
}

Status TagData::reload(const TagConfig& config) {
  std::string error;
  auto res = TagResources::load(config, error);
  if (!res) return internal_error("tag data not reloaded, the old data stays in use: " + error);
  current_.store(std::move(res), std::memory_order_release);
  return Status::ok();
}

// "डॉ.", "वी.", "रु.", "D.", "St.", "U.S. and": token t is a full stop glued
// to an abbreviation and not a sentence end. The training sets keep such a
// word and its stop as one token ("Marlene D. Hilliard", "CCNG, Inc."), so
// the model sees them joined, and a name around it stays in one sentence.
// A short Devanagari word, a Latin initial or a title before a name always
// takes the stop; a company's suffix or a word with a stop inside ("U.S",
// "Inc") often ends a sentence, so only when the text goes on in lower case.
bool Tagger::abbreviation_stop(size_t t) const {
  const std::u32string& s = text_.folded;
  const Token& stop = tokens_[t];
  if (t == 0 || stop.end - stop.start != 1 || s[stop.start] != U'.') return false;
  const Token& word = tokens_[t - 1];
  if (word.end != stop.start) return false;
  const uint32_t length = word.end - word.start;
  if (is_devanagari(s[word.start])) return length <= 3;
  if (length == 1) return s[word.start] >= 'a' && s[word.start] <= 'z';
  const std::u32string_view w(s.data() + word.start, length);
  static constexpr std::u32string_view kTitles[] = {U"mr",  U"mrs",  U"ms",  U"dr",  U"st",   U"mt",  U"ft", U"jr",
                                                    U"sr",  U"prof", U"gov", U"sen", U"rep",  U"gen", U"lt", U"col",
                                                    U"sgt", U"capt", U"maj", U"adm", U"cmdr", U"supt"};
  if (std::find(std::begin(kTitles), std::end(kTitles), w) != std::end(kTitles)) return true;
  static constexpr std::u32string_view kSuffixes[] = {U"inc", U"corp", U"co", U"ltd"};
  if (w.find(U'.') == std::u32string_view::npos &&
      std::find(std::begin(kSuffixes), std::end(kSuffixes), w) == std::end(kSuffixes))
    return false;
  if (t + 1 >= tokens_.size()) return false;
  const char32_t next = text_.original[text_.from[tokens_[t + 1].start]];
  return is_lower(next) || (next >= '0' && next <= '9') || next == ',' || next == ';' || next == ':' || next == ')';
}

void Tagger::tokenize() {
  tokens_.clear();
  words_.clear();
  const std::u32string& s = text_.folded;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    // Punctuation at either end of a chunk is a token of its own; inside
    // (India-Russia, 2+2, U.S) it stays. An underscore belongs to the word,
    // as in user names ("Queen_UK", "allegiantBRE_").
    size_t a = i, b = j;
    while (a < b && !is_token_char(s[a])) {
      tokens_.push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(a + 1), false});
      ++a;
    }
    size_t trail = b;
    while (trail > a && !is_token_char(s[trail - 1])) --trail;
    if (a < trail) tokens_.push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(trail), false});
    for (size_t k = trail; k < b; ++k) tokens_.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(k + 1), false});
    i = j;
  }
  words_buf_.clear();
  std::vector<uint32_t>& offsets = word_offsets_;
  offsets.clear();
  for (const Token& tok : tokens_) {
    offsets.push_back(static_cast<uint32_t>(words_buf_.size()));
    for (uint32_t c = tok.start; c < tok.end; ++c) append_utf8(words_buf_, s[c]);
  }
  offsets.push_back(static_cast<uint32_t>(words_buf_.size()));
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const Token& tok = tokens_[t];
    const std::u32string_view w(s.data() + tok.start, tok.end - tok.start);
    words_.push_back(std::string_view(words_buf_).substr(offsets[t], offsets[t + 1] - offsets[t]));
    bool end = (is_sentence_mark(w) && !abbreviation_stop(t)) || t + 1 == tokens_.size();
    // A line break ends a sentence too (headings, paragraphs).
    if (!end && tok.end < s.size() && s[tok.end] == ' ') {
      for (uint32_t k = text_.from[tok.end]; k < text_.from[tok.end + 1]; ++k)
        if (text_.original[k] == '\n') end = true;
    }
    tokens_[t].sentence_end = end;
  }
}

// The model of a sentence's script: Hindi for one with a Devanagari word,
// else English for one with a Latin letter; null for none.
const Model* Tagger::sentence_model(const TagResources& res, size_t begin, size_t end) const {
  bool latin = false;
  for (size_t k = begin; k < end; ++k) {
    const char32_t c = text_.folded[tokens_[k].start];
    if (is_devanagari(c)) return res.model.get();
    latin = latin || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c < 0x250);
  }
  return latin ? res.english_model.get() : nullptr;
}

void Tagger::run_model(const TagResources& res) {
  if (!res.model && !res.english_model) return;
  size_t begin = 0;
  for (size_t t = 0; t < tokens_.size(); ++t) {
    if (!tokens_[t].sentence_end) continue;
    const size_t end = t + 1;
    const Model* model = end - begin <= 400 ? sentence_model(res, begin, end) : nullptr;
    if (model != nullptr) {
      // Model words: the tokens, with an abbreviation's glued full stop
      // joined to its word (words_ are adjacent in words_buf_), as the
      // training data tokenises "डॉ.". sent_tokens_[m] is model word m's
      // first token; the last entry is `end`.
      sent_words_.clear();
      sent_gaz_.clear();
      sent_tokens_.clear();
      for (size_t k = begin; k < end; ++k) {
        std::string_view word = words_[k];
        if (k + 1 < end && abbreviation_stop(k + 1)) {
          word = std::string_view(word.data(), word.size() + 1);
          sent_tokens_.push_back(static_cast<uint32_t>(k++));
        } else {
          sent_tokens_.push_back(static_cast<uint32_t>(k));
        }
        sent_words_.push_back(word);
        sent_gaz_.push_back(gaz_labels_[sent_tokens_.back()]);
      }
      sent_tokens_.push_back(static_cast<uint32_t>(end));
      sent_shapes_.clear();
      if (model->cased()) {
        // Shapes of the original words; offsets first, as the buffer grows.
        shapes_buf_.clear();
        shape_offsets_.clear();
        for (size_t m = 0; m + 1 < sent_tokens_.size(); ++m) {
          shape_offsets_.push_back(static_cast<uint32_t>(shapes_buf_.size()));
          const uint32_t a = text_.from[tokens_[sent_tokens_[m]].start];
          const uint32_t b = text_.from[tokens_[sent_tokens_[m + 1] - 1].end];
          word_shape(std::u32string_view(text_.original).substr(a, b - a), shapes_buf_);
        }
        shape_offsets_.push_back(static_cast<uint32_t>(shapes_buf_.size()));
        for (size_t m = 0; m + 1 < shape_offsets_.size(); ++m)
          sent_shapes_.push_back(
              std::string_view(shapes_buf_).substr(shape_offsets_[m], shape_offsets_[m + 1] - shape_offsets_[m]));
      }
      // A scratch per model: its word cache belongs to one model.
      model->tag(sent_words_, sent_gaz_, sent_shapes_, labels_,
                 model == res.model.get() ? model_scratch_ : english_scratch_);
      for (size_t k = 0; k < labels_.size();) {
        const int lab = labels_[k];
        if (lab == 0 || (lab % 2) == 0) {  // O, or an I- without its B- (cannot happen)
          ++k;
          continue;
        }
        size_t e = k + 1;
        while (e < labels_.size() && labels_[e] == lab + 1) ++e;
        const size_t next = e;
        // "मैकॉले की": a postposition is never part of a name.
        while (e > k && is_function_word(sent_words_[e - 1])) --e;
        while (k < e && is_function_word(sent_words_[k])) ++k;
        if (k == e) {
          k = next;
          continue;
        }
        const Token& first = tokens_[sent_tokens_[k]];
        const Token& last = tokens_[sent_tokens_[e] - 1];
        static constexpr EntityType kTypes[] = {EntityType::kPerson, EntityType::kLoc, EntityType::kOrg};
        const EntityType type = kTypes[(lab - 1) / 2];
        // Only spans that contain a letter (of the sentence's script).
        bool letters = false;
        for (uint32_t c = first.start; c < last.end && !letters; ++c) {
          const char32_t ch = text_.folded[c];
          letters = is_word_char(ch) && (model == res.model.get() ? is_devanagari(ch) : !(ch >= '0' && ch <= '9'));
        }
        // "तस्वीर अलग" (picture different) in a heading: a person or a place
        // is named by at least one word that is not a plain word.
        if (letters && type != EntityType::kOrg && model == res.model.get()) {
          bool plain = true;
          for (size_t m = k; m < e && plain; ++m) plain = listed(hindi_plain_words(), sent_words_[m]);
          letters = !plain;
        }
        // "जम्मू-कश्मीर सरकार": a government is no part of a known place's
        // name, which stands alone (the gazetteer's span). With no place
        // before it ("केंद्र सरकार", "यूपीए सरकार") the government is the
        // organisation, as both Hindi sets annotate it.
        if (letters && e - k >= 2 && (sent_words_[e - 1] == "सरकार" || sent_words_[e - 1] == "government") &&
            gaz_labels_[sent_tokens_[e - 1] - 1].ends_with("LOC"))
          letters = false;
        // Known names win over a model span that starts or ends inside a
        // gazetteer match or holds a match inside a token ("भारत-रूस"); a
        // model span made of whole matched tokens and more ("भारतीय रिज़र्व
        // बैंक" around "भारतीय") is longer and wins the overlap resolution:
        // the model saw the gazetteer labels as features.
        if (letters) {
          const uint32_t a = first.start, b = last.end;
          letters = !(a > 0 && taken_[a] && taken_[a - 1]) && !(b < taken_.size() && taken_[b - 1] && taken_[b]);
          for (uint32_t t = sent_tokens_[k]; t < sent_tokens_[e] && letters; ++t)
            if (gaz_labels_[t].empty())
              for (uint32_t c = tokens_[t].start; c < tokens_[t].end && letters; ++c) letters = taken_[c] == 0;
        }
        if (letters) {
          // "Rudolph's": the possessive ending is not part of the name.
          const std::string_view lw = words_[sent_tokens_[e] - 1];
          const uint32_t end = last.end - (lw.size() > 2 && lw.ends_with("'s") ? 2 : 0);
          const int64_t linked =
              res.gazetteer.lookup(std::u32string_view(text_.folded.data() + first.start, end - first.start));
          candidates_.push_back({first.start,
                                 end,
                                 type,
                                 2,
                                 linked >= 0 && res.gazetteer.type(static_cast<uint32_t>(linked)) == type ? linked : -1,
                                 {}});
        }
        k = next;
      }
    }
    begin = end;
  }
}

void Tagger::resolve(const TagResources& res, std::vector<Entity>& out) {
  std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
    const uint32_t la = a.end - a.start, lb = b.end - b.start;
    if (la != lb) return la > lb;
    if (a.source != b.source) return a.source < b.source;
    if (a.start != b.start) return a.start < b.start;
    if (a.entity != b.entity) return a.entity < b.entity;
    return a.type < b.type;
  });
  taken_.assign(text_.folded.size(), 0);
  std::vector<const Candidate*> chosen;
  for (const Candidate& c : candidates_) {
    bool free = true;
    for (uint32_t i = c.start; i < c.end && free; ++i) free = taken_[i] == 0;
    if (!free) continue;
    std::fill(taken_.begin() + c.start, taken_.begin() + c.end, 1);
    chosen.push_back(&c);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Candidate* a, const Candidate* b) { return a->start < b->start; });
  for (const Candidate* c : chosen) {
    Entity e;
    const uint32_t a = text_.from[c->start], b = text_.from[c->end];
    e.text = to_utf8(std::u32string_view(text_.original.data() + a, b - a));
    e.type = c->type;
    e.start = a;
    e.end = b;
    if (c->entity >= 0) {
      const auto id = static_cast<uint32_t>(c->entity);
      e.id = std::string(res.gazetteer.id(id));
      e.canonical = std::string(res.gazetteer.canonical(id));
    } else {
      e.canonical = c->canonical;
    }
    e.source = static_cast<EntitySource>(c->source);
    out.push_back(std::move(e));
  }
}

void Tagger::tag(const TagResources& res, std::string_view text, std::vector<Entity>& out) {
  out.clear();
  if (text.size() > static_cast<size_t>(config_.max_text_bytes)) {
    size_t cut = static_cast<size_t>(config_.max_text_bytes);
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  fold_text(text, text_);
  matches_.clear();
  candidates_.clear();
  res.gazetteer.find(text_, matches_);
  tokenize();

  // Gazetteer labels per token, from the longest non-overlapping matches
  // (the model was trained with the same features).
  for (const GazetteerMatch& m : matches_)
    candidates_.push_back({m.start, m.end, res.gazetteer.type(m.entity), 0, m.entity, {}});
  gaz_labels_.assign(tokens_.size(), {});
  {
    std::vector<Entity> tmp;
    resolve(res, tmp);  // fills taken_ with gazetteer spans only
    size_t t = 0;
    // Mark tokens wholly inside a chosen gazetteer span.
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    std::vector<EntityType> types;
    for (const Entity& e : tmp) {
      const auto fs = static_cast<uint32_t>(std::lower_bound(text_.from.begin(), text_.from.end(), static_cast<uint32_t>(e.start)) - text_.from.begin());
      const auto fe = static_cast<uint32_t>(std::lower_bound(text_.from.begin(), text_.from.end(), static_cast<uint32_t>(e.end)) - text_.from.begin());
      spans.emplace_back(fs, fe);
      types.push_back(e.type);
    }
    for (size_t k = 0; k < spans.size(); ++k) {
      while (t < tokens_.size() && tokens_[t].start < spans[k].first) ++t;
      bool first = true;
      while (t < tokens_.size() && tokens_[t].end <= spans[k].second) {
        gaz_labels_[t] = kGazLabels[first ? 0 : 1][static_cast<size_t>(types[k])];
        first = false;
        ++t;
      }
    }
  }
  // Past the page's time limit the partial result is dropped (the stage
  // reports the timeout); each phase below is one pass over the text.
  if (PageDeadline::expired()) return release_scratch();
  run_model(res);
  if (PageDeadline::expired()) return release_scratch();
  if (config_.rules) {
    const size_t first_rule = candidates_.size();
    apply_rules({text_, tokens_, words_, gaz_labels_, res.gazetteer}, candidates_);
    align_rule_starts(first_rule);
  }
  if (PageDeadline::expired()) return release_scratch();
  drop_places_naming_programmes();
  resolve(res, out);
  // Nor does the consistency pass find the place there again.
  for (const auto& [start, end] : programme_places_) std::fill(taken_.begin() + start, taken_.begin() + end, 1);
  if (config_.rules) {
    add_surnames(out);
    consistent_names(out);
  }
  // "@Game4Androids", "#Kuwait": a user name or a hashtag is an account or
  // a topic, not a mention of the entity (the Twitter sets leave them
  // untagged). Dropped last, as the consistency pass finds such words too.
  std::erase_if(out, [&](const Entity& e) {
    return e.start > 0 && (text_.original[e.start - 1] == U'@' || text_.original[e.start - 1] == U'#');
  });
  if (out.size() > static_cast<size_t>(config_.max_entities)) out.resize(static_cast<size_t>(config_.max_entities));
  if (text.size() > kKeepScratchForBytes) release_scratch();
}

void Tagger::drop_places_naming_programmes() {
  programme_places_.clear();
  std::erase_if(candidates_, [&](const Candidate& c) {
    if (c.source != 0 || c.type != EntityType::kLoc) return false;
    const size_t next = first_token_from(c.end);
    if (next == 0 || next >= tokens_.size() || tokens_[next - 1].sentence_end ||
        tag::programme_words().count(words_[next]) == 0)
      return false;
    programme_places_.emplace_back(c.start, c.end);
    return true;
  });
}

void Tagger::align_rule_starts(size_t first_rule) {
  // Model spans never overlap one another: at most one ends at an offset.
  model_ends_.clear();
  for (size_t m = 0; m < first_rule; ++m)
    if (candidates_[m].source == 2) model_ends_.push_back(static_cast<uint32_t>(m));
  std::sort(model_ends_.begin(), model_ends_.end(),
            [&](uint32_t a, uint32_t b) { return candidates_[a].end < candidates_[b].end; });
  for (size_t r = first_rule; r < candidates_.size(); ++r) {
    Candidate& rule = candidates_[r];
    const auto it = std::lower_bound(model_ends_.begin(), model_ends_.end(), rule.end,
                                     [&](uint32_t m, uint32_t end) { return candidates_[m].end < end; });
    if (it == model_ends_.end()) continue;
    const Candidate& model = candidates_[*it];
    if (model.end == rule.end && model.type == rule.type && model.start > rule.start)
      rule.start = conjunct_start(rule.start, model.start);
  }
}

size_t Tagger::first_token_from(uint32_t offset) const {
  return static_cast<size_t>(std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                                              [](const Token& tok, uint32_t o) { return tok.start < o; }) -
                             tokens_.begin());
}

uint32_t Tagger::conjunct_start(uint32_t rule_start, uint32_t model_start) const {
  const size_t first = first_token_from(rule_start);
  uint32_t start = model_start;
  for (size_t t = first + 1; t < tokens_.size() && tokens_[t].start < model_start; ++t)
    if (words_[t] == "एवं" || words_[t] == "व" || words_[t] == "और") start = tokens_[t - 1].start;
  return start;
}

void Tagger::release_scratch() {
  // A worker's scratch grows to the largest text it has tagged (about 30
  // bytes per byte of text); after an outsized one, give the memory back
  // instead of holding it for the worker's life.
  // Swapped with an empty object that is then destroyed: assigning one
  // (x = {}) keeps a vector's capacity and a string's heap buffer.
  auto release = [](auto& x) {
    std::remove_reference_t<decltype(x)> empty;
    std::swap(x, empty);
  };
  release(text_);
  release(matches_);
  release(tokens_);
  release(candidates_);
  release(gaz_labels_);
  release(words_buf_);
  release(words_);
  release(sent_words_);
  release(model_ends_);
  release(programme_places_);
  release(sent_gaz_);
  release(sent_shapes_);
  release(shapes_buf_);
  release(shape_offsets_);
  release(sent_tokens_);
  release(word_offsets_);
  release(labels_);
  release(taken_);
  release(model_scratch_);
  release(english_scratch_);
}

}  // namespace newsd::tag
