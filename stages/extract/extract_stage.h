// ExtractStage: pulls the article — and only the article — out of a decoded
// page: main text (paragraphs joined by a blank line) and metadata (title,
// authors, dates with their evidence, site, description, image, section, tags,
// language, word count).
//
// Steps: preclean (drop scripts, styles, comments; keep JSON-LD aside; cap
// nesting depth) -> gumbo parse into a reused arena -> PageIndex (one
// iterative walk) -> content selection (content.h) -> metadata (metadata.h) ->
// language (CLD2, checked against <html lang>).
//
// A page whose main text is shorter than extract.min_text_chars, or that has
// no paragraph of prose, returns kNoArticle (dead letter).
//
// Stateless between pages apart from reused buffers; one instance per worker,
// not thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "stages/extract/extract_config.h"
#include "stages/stage.h"

namespace newsd {

class ExtractStage final : public Stage {
 public:
  explicit ExtractStage(const ExtractConfig& config);
  ~ExtractStage() override;
  std::string_view name() const override { return "extract"; }
  Status process(Article& article) override;

 private:
  struct Buffers;
  // Preclean, parse, index, content and metadata of one page into buf_.
  void analyse(std::string_view html, std::string_view url, bool keep_noscript);

  ExtractConfig config_;
  std::unique_ptr<Buffers> buf_;
};

}  // namespace newsd
