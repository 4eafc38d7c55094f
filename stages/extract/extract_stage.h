// ExtractStage: pulls the article — and only the article — out of a decoded
// page: main text (paragraphs joined by a blank line) and metadata (title,
// authors, dates with their evidence, site, description, image, section, tags,
// language, word count).
//
// Steps: preclean (drop scripts, styles, comments; keep JSON-LD aside; cap
// nesting depth) -> gumbo parse into a reused arena -> PageIndex (one
// iterative walk) -> content selection (content.h) -> metadata (metadata.h) ->
// page type (page_type.h) -> language (CLD2, checked against <html lang>);
// title and text in NFC.
//
// A listing (home, section, tag, search page; see page_type.h) returns
// kNotAnArticle. A page whose main text is shorter than
// extract.min_text_chars, or that has no paragraph of prose, returns
// kNoArticle, unless it declares itself an article and shows its headline or
// date: that is an article whatever its length. kNotAnArticle and kNoArticle
// pages become dead letters. When the first reading finds too little text,
// the page is read again without trusting class names, and with its
// <noscript> content.
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
  // Preclean, parse, index, content and metadata of one page into buf_;
  // a timeout once past limits.max_page_ms.
  Status analyse(std::string_view html, std::string_view url, bool keep_noscript);
  void use_script_data_body(std::string_view html);

  ExtractConfig config_;
  std::unique_ptr<Buffers> buf_;
};

}  // namespace newsd
