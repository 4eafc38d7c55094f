// PageIndex: one iterative walk over the parsed page that flattens it into
// elements and text blocks, the form every later heuristic reads.
//
// Elements are stored in document (pre-order) order, so an element's subtree
// is the index range [i, elems[i].end). A block is the run of text between
// block-level boundaries, owned by its nearest block-level element; blocks are
// in document order too. Text is whitespace-folded UTF-8; sizes are in code
// points.
//
// The walk never recurses, so nesting depth is bounded only by memory.
//
// Thread-safety: one PageIndex per thread; build() reuses its buffers.
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace newsd::extract {

enum class BlockKind : uint8_t { kParagraph, kHeading, kListItem, kQuote, kPre, kCell, kCaption, kOther };

// Why an element's subtree is suspected of being page chrome.
enum ChromeFlag : uint8_t {
  kChromeNone = 0,
  kChromeTag = 1,     // nav, aside, footer, header, form controls
  kChromeClass = 2,   // class/id names a sidebar, share bar, comments, ...
  kChromeHidden = 4,  // hidden attribute, display:none, aria-hidden
};

struct Elem {
  const GumboNode* node;
  int parent;  // -1 for the root
  int end;     // one past the last descendant
  GumboTag tag;
  uint16_t depth;
  uint8_t chrome = kChromeNone;
  int8_t class_weight = 0;  // class/id names: +1 suggest content, -1 suggest chrome, 0 none/both
  bool block_level = false;
  bool byline_class = false;  // class/id names an author or a byline
  int64_t text_cp = 0;        // code points of text in the subtree
  int64_t link_cp = 0;        // of which inside <a>
  int paragraphs = 0;         // blocks of prose (>= 25 code points) in the subtree
  int block_begin = 0;        // blocks_[block_begin, block_end) were written inside the subtree
  int block_end = 0;
};

struct Block {
  int elem;  // owning block-level element
  BlockKind kind;
  uint8_t heading_level = 0;
  std::string text;
  int64_t cp = 0;
  int64_t link_cp = 0;
  double link_density() const { return cp > 0 ? static_cast<double>(link_cp) / static_cast<double>(cp) : 0.0; }
};

class PageIndex {
 public:
  void build(const GumboNode* root);

  const std::vector<Elem>& elems() const { return elems_; }
  const std::vector<Block>& blocks() const { return blocks_; }
  // The blocks written while `elem`'s subtree was walked: every block its
  // descendants own (an inline element's range may also hold its owner's text).
  std::pair<size_t, size_t> block_range(int elem) const {
    const Elem& e = elems_[static_cast<size_t>(elem)];
    return {static_cast<size_t>(e.block_begin), static_cast<size_t>(e.block_end)};
  }
  bool is_ancestor(int ancestor, int elem) const {
    return elem >= ancestor && elem < elems_[static_cast<size_t>(ancestor)].end;
  }

 private:
  void flush(int owner, BlockKind kind, uint8_t level);

  // What an element's class and id say, by "class\x1fid", for this page.
  struct ClassHints {
    uint8_t chrome;
    int8_t weight;
    bool byline;
  };
  static constexpr size_t kClassCacheSize = 4096;
  std::unordered_map<std::string, ClassHints> class_cache_;

  std::vector<Elem> elems_;
  std::vector<Block> blocks_;
  std::string pending_;
  int64_t pending_link_cp_ = 0;
};

// Concatenated text of a subtree (whitespace folded), walking iteratively.
std::string node_text(const GumboNode* node);

}  // namespace newsd::extract
