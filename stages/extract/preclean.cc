#include "stages/extract/preclean.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "stages/deadline.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_'; }

// Elements whose start tag opens no nesting level: void elements and those
// whose end tag is optional (a run of <p> or <li> does not nest).
bool opens_no_level(std::string_view name) {
  static constexpr std::array<std::string_view, 31> kFlat{
      "area", "base", "br",  "col",      "embed",  "hr",    "img",   "input", "link",  "meta",  "param",
      "source", "track", "wbr", "keygen", "p",      "li",    "dt",    "dd",    "option", "optgroup", "tr",
      "td",   "th",    "thead", "tbody", "tfoot",  "rt",    "rp",    "colgroup", "html"};
  for (std::string_view f : kFlat)
    if (name == f) return true;
  return name == "head" || name == "body";
}

// Index just past the '>' closing the tag that starts at `pos` ('<'), honouring quotes.
size_t tag_end(std::string_view s, size_t pos) {
  char quote = 0;
  for (size_t i = pos + 1; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      // A quote only opens a value right after '='.
      size_t j = i;
      while (j > pos && (s[j - 1] == ' ' || s[j - 1] == '\t' || s[j - 1] == '\n')) --j;
      if (j > pos && s[j - 1] == '=') quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return s.size();
}

// Position of "</name" (case-insensitive) at or after `from`, or npos.
size_t find_end_tag(std::string_view s, size_t from, std::string_view name) {
  while (true) {
    const void* hit = from < s.size() ? std::memchr(s.data() + from, '<', s.size() - from) : nullptr;
    if (!hit) return std::string_view::npos;
    const size_t i = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    if (i + 2 + name.size() <= s.size() && s[i + 1] == '/' && istarts_with(s.substr(i + 2), name) &&
        (i + 2 + name.size() == s.size() || !name_char(s[i + 2 + name.size()])))
      return i;
    from = i + 1;
  }
}

// A tag name (at most 15 bytes) as one number, for the stack of open elements.
uint64_t name_key(std::string_view name) {
  uint64_t h = 1469598103934665603ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Index of an attribute any heuristic or metadata reader looks at (the last
// two are href, kept on <link> only, and style), or -1.
int kept_attribute(std::string_view name, bool is_link) {
  static constexpr std::array<std::string_view, 16> kKept{
      "class", "id",       "role",    "hidden",   "aria-hidden", "itemprop",   "lang", "rel",
      "name",  "property", "content", "datetime", "charset",     "http-equiv", "href", "style"};
  for (size_t k = 0; k < kKept.size(); ++k)
    if (name == kKept[k]) return k == 14 && !is_link ? -1 : static_cast<int>(k);
  return -1;
}

// `tag` is one start tag ("<div class=a data-x='...'>"), `name_len` the
// length of "<div". Appends it with only the kept attributes; an inline style
// that hides the element becomes the `hidden` attribute.
void rewrite_start_tag(std::string_view tag, size_t name_len, bool is_link, std::string& out) {
  out.append(tag.data(), name_len);
  size_t i = name_len;
  const size_t n = tag.size() - (tag.back() == '>' ? 1 : 0);
  bool self_closing = false;
  // A repeated attribute is ignored by the parser too; keeping only the
  // first keeps the parser's duplicate check (linear per attribute) off a
  // tag with 500,000 copies of one.
  uint32_t seen = 0;
  char lname[24];
  while (i < n) {
    while (i < n && (is_space(tag[i]) || tag[i] == '/')) {
      self_closing = tag[i] == '/';
      ++i;
    }
    if (i >= n) break;
    self_closing = false;
    const size_t name_start = i;
    // As in the HTML tokenizer, a name may start with '=' ("<a = = '>'" has
    // the attribute "=" with the value ">"); reading it as an empty name made
    // this scan and tag_end() disagree about quotes.
    while (i < n && !is_space(tag[i]) && (tag[i] != '=' || i == name_start) && (tag[i] != '/' || i == name_start)) ++i;
    const std::string_view attr_name = tag.substr(name_start, i - name_start);
    size_t j = i;
    while (j < n && is_space(tag[j])) ++j;
    std::string_view value;
    bool has_value = false;
    if (j < n && tag[j] == '=') {
      ++j;
      while (j < n && is_space(tag[j])) ++j;
      has_value = true;
      if (j < n && (tag[j] == '"' || tag[j] == '\'')) {
        const char q = tag[j];
        const size_t close = tag.find(q, j + 1);
        const size_t stop = close == std::string_view::npos || close > n ? n : close;
        value = tag.substr(j + 1, stop - j - 1);
        j = stop < n ? stop + 1 : n;
      } else {
        const size_t v0 = j;
        while (j < n && !is_space(tag[j]) && tag[j] != '>') ++j;
        value = tag.substr(v0, j - v0);
      }
      i = j;
    }
    if (attr_name.empty() || attr_name.size() >= sizeof(lname)) continue;
    for (size_t k = 0; k < attr_name.size(); ++k)
      lname[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(attr_name[k])));
    const std::string_view key(lname, attr_name.size());
    const int kept = kept_attribute(key, is_link);
    if (kept < 0 || (seen & (1u << kept))) continue;
    seen |= 1u << kept;
    if (key == "style") {
      std::string compact;
      for (char c : value)
        if (!is_space(c)) compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos)
        out += " hidden";
      continue;
    }
    out += ' ';
    out.append(attr_name);
    if (!has_value) continue;
    // Quote with " unless the value holds one; with both kinds, escape ".
    const bool has_dq = value.find('"') != std::string_view::npos;
    const bool use_sq = has_dq && value.find('\'') == std::string_view::npos;
    out += use_sq ? "='" : "=\"";
    if (has_dq && !use_sq) {
      for (char c : value) {
        if (c == '"') out += "&quot;";
        else out += c;
      }
    } else {
      out.append(value);
    }
    out += use_sq ? '\'' : '"';
  }
  if (self_closing) out += '/';
  out += '>';
}

}  // namespace

void preclean(std::string_view s, int max_depth, Precleaned& out, bool keep_noscript) {
  out.html.clear();
  out.html.reserve(s.size() / 2);
  out.json_ld.clear();
  out.data_scripts.clear();
  out.flattened_tags = 0;
  out.open_stack.clear();
  out.open_counts.clear();
  const size_t cap = static_cast<size_t>(std::max(max_depth, 0));
  out.noscript_bytes = 0;
  size_t copied = 0;  // s[copied, i) is still to be copied
  size_t i = 0;
  char name_buf[16];
  DeadlineCheck deadline;
  while (i < s.size()) {
    if (deadline.expired()) break;  // the caller reports the timeout
    const void* hit = std::memchr(s.data() + i, '<', s.size() - i);
    if (!hit) break;
    i = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    if (i + 1 >= s.size()) break;
    const char next = s[i + 1];
    if (next == '!') {
      if (s.compare(i, 4, "<!--") == 0) {
        size_t end = s.find("-->", i + 4);
        if (s.compare(i, 5, "<!-->") == 0) end = i + 2;
        end = end == std::string_view::npos ? s.size() : end + 3;
        out.html.append(s.data() + copied, i - copied);
        copied = i = end;
        continue;
      }
      i = tag_end(s, i);
      continue;
    }
    const bool closing = next == '/';
    const size_t name_start = i + (closing ? 2 : 1);
    if (name_start >= s.size() || !std::isalpha(static_cast<unsigned char>(s[name_start]))) {
      ++i;
      continue;
    }
    size_t name_end = name_start;
    while (name_end < s.size() && name_char(s[name_end])) ++name_end;
    const size_t name_len = std::min<size_t>(name_end - name_start, sizeof(name_buf) - 1);
    for (size_t k = 0; k < name_len; ++k)
      name_buf[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[name_start + k])));
    const std::string_view name(name_buf, name_end - name_start < sizeof(name_buf) ? name_len : 0);
    const size_t end = tag_end(s, i);

    if (keep_noscript && name == "noscript") {  // unwrap: drop the tags, keep what they hold
      out.html.append(s.data() + copied, i - copied);
      copied = i = end;
      continue;
    }
    if (!closing && (name == "script" || name == "style" || name == "svg" || name == "noscript" ||
                     name == "template" || name == "iframe")) {
      const bool self_closed = end >= 2 && s[end - 2] == '/' && name == "svg";
      size_t close = self_closed ? end : find_end_tag(s, end, name);
      if (name == "script" && close != std::string_view::npos) {
        const std::string_view open_tag = s.substr(i, end - i);
        if (icontains(open_tag, "ld+json"))
          out.json_ld.emplace_back(s.substr(end, close - end));
        else if (close - end >= kDataScriptMinBytes)
          out.data_scripts.emplace_back(end, close);
      }
      if (name == "noscript") out.noscript_bytes += (close == std::string_view::npos ? s.size() : close) - end;
      out.html.append(s.data() + copied, i - copied);
      if (close == std::string_view::npos) {
        copied = i = s.size();
        break;
      }
      copied = i = self_closed ? end : tag_end(s, close);
      continue;
    }
    if (!closing && (name == "title" || name == "textarea")) {  // raw text: copy through to the end tag
      const size_t close = find_end_tag(s, end, name);
      i = close == std::string_view::npos ? s.size() : close;
      continue;
    }
    if (!name.empty() && !opens_no_level(name) && !(end >= 2 && s[end - 2] == '/')) {
      bool drop = false;
      const uint64_t key = name_key(name);
      if (closing) {
        // Like the parser, an end tag closes the innermost open element of
        // its name and every element opened after it; one that matches no
        // open element is ignored, so "<div>text</x>" repeated still nests.
        if (auto it = out.open_counts.find(key); it != out.open_counts.end() && it->second > 0) {
          while (true) {
            const uint64_t top = out.open_stack.back();
            out.open_stack.pop_back();
            --out.open_counts[top];
            if (top == key) break;
          }
          drop = out.open_stack.size() + 1 > cap;  // the closed element's depth
        }
      } else {
        out.open_stack.push_back(key);
        ++out.open_counts[key];
        drop = out.open_stack.size() > cap;
      }
      if (drop) {
        out.html.append(s.data() + copied, i - copied);
        out.html += ' ';
        copied = end;
        ++out.flattened_tags;
        i = end;
        continue;
      }
    }
    // Attributes are two thirds of what is left; the parser copies each one
    // code point by code point. Keep only those extraction reads.
    if (!closing && name_end < end && end - name_end > 2) {
      out.html.append(s.data() + copied, i - copied);
      rewrite_start_tag(s.substr(i, end - i), name_end - i, name == "link", out.html);
      copied = end;
    }
    i = end;
  }
  if (copied < s.size()) out.html.append(s.data() + copied, s.size() - copied);
}

}  // namespace newsd::extract
