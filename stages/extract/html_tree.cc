#include "stages/extract/html_tree.h"

#include <algorithm>

namespace newsd::extract {
namespace {

constexpr size_t kBlockSize = size_t{1} << 20;

void* arena_alloc(void* userdata, size_t size) {
  return static_cast<Arena*>(userdata)->allocate(size);
}
void arena_free(void*, void*) {}

}  // namespace

void* Arena::allocate(size_t n) {
  n = (n + 15) & ~size_t{15};
  while (current_ < blocks_.size()) {
    Block& b = blocks_[current_];
    if (used_ + n <= b.size) {
      void* p = b.data.get() + used_;
      used_ += n;
      return p;
    }
    ++current_;
    used_ = 0;
  }
  const size_t size = std::max(kBlockSize, n);
  blocks_.push_back({std::unique_ptr<char[]>(new char[size]), size});
  reserved_ += size;
  current_ = blocks_.size() - 1;
  used_ = n;
  return blocks_.back().data.get();
}

void Arena::reset(size_t keep_bytes) {
  size_t kept = 0, i = 0;
  for (; i < blocks_.size() && kept + blocks_[i].size <= std::max(keep_bytes, kBlockSize); ++i) kept += blocks_[i].size;
  blocks_.resize(i);
  reserved_ = kept;
  current_ = 0;
  used_ = 0;
}

HtmlTree::HtmlTree() : options_(kGumboDefaultOptions) {
  options_.allocator = &arena_alloc;
  options_.deallocator = &arena_free;
  options_.userdata = &arena_;
  options_.max_errors = 0;  // errors are not read; recording them costs time
}

HtmlTree::~HtmlTree() = default;  // the arena owns every node

const GumboNode* HtmlTree::parse(std::string_view html) {
  output_ = nullptr;
  arena_.reset();
  output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
  return output_->document;
}

std::string_view attr(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT) return {};
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

std::string unescape_html(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  // <title> is RCDATA: references are decoded, tags are not parsed.
  std::string doc = "<title>";
  doc.append(s);
  doc += "</title>";
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, doc.data(), doc.size());
  std::string text;
  const GumboNode* html = out->root;
  for (unsigned i = 0; i < html->v.element.children.length && text.empty(); ++i) {
    const auto* head = static_cast<const GumboNode*>(html->v.element.children.data[i]);
    if (head->type != GUMBO_NODE_ELEMENT || head->v.element.tag != GUMBO_TAG_HEAD) continue;
    for (unsigned k = 0; k < head->v.element.children.length; ++k) {
      const auto* t = static_cast<const GumboNode*>(head->v.element.children.data[k]);
      if (t->type == GUMBO_NODE_ELEMENT && t->v.element.tag == GUMBO_TAG_TITLE && t->v.element.children.length > 0) {
        const auto* c = static_cast<const GumboNode*>(t->v.element.children.data[0]);
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) text = c->v.text.text;
        break;
      }
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return text.empty() ? std::string(s) : text;
}

}  // namespace newsd::extract
