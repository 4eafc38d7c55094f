// HtmlTree: gumbo's parse of a page, allocated from an arena that is reused
// from page to page.
//
// Parsing is the costliest part of extraction; most of gumbo's time beyond
// tokenising goes to malloc/free of small nodes and vectors. The arena turns
// those into pointer bumps and drops a whole tree at once, which also avoids
// gumbo_destroy_output's recursion on deep trees.
//
// Thread-safety: one HtmlTree per thread. The tree returned by parse() lives
// until the next parse() or the HtmlTree's destruction.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::extract {

class Arena {
 public:
  void* allocate(size_t n);
  // Forgets every allocation; keeps up to `keep_bytes` of blocks for reuse.
  void reset(size_t keep_bytes = size_t{64} << 20);
  size_t bytes_reserved() const { return reserved_; }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t current_ = 0;  // index of the block being filled
  size_t used_ = 0;     // bytes used in blocks_[current_]
  size_t reserved_ = 0;
};

class HtmlTree {
 public:
  HtmlTree();
  ~HtmlTree();
  HtmlTree(const HtmlTree&) = delete;
  HtmlTree& operator=(const HtmlTree&) = delete;

  // Parses `html`, which must stay alive as long as the tree is used (gumbo
  // points into it). Returns the document node; never null.
  const GumboNode* parse(std::string_view html);
  const GumboOutput* output() const { return output_; }

 private:
  Arena arena_;
  GumboOptions options_;
  GumboOutput* output_ = nullptr;
};

// `s` with its character references decoded ("&quot;" -> '"', "&#8216;",
// "&uuml;"), as HTML decodes them in a title. Metadata strings come
// undecoded from JSON-LD and sometimes escaped twice in <meta> content.
// Returns `s` unchanged when it holds no '&'.
std::string unescape_html(std::string_view s);

// Attribute value or "" when absent.
std::string_view attr(const GumboNode* node, const char* name);

}  // namespace newsd::extract
