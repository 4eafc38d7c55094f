#include "stages/decode/decode_stage.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <simdjson.h>

#include "stages/utf8.h"

namespace newsd {
namespace decode {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Reads the value after "charset=" in `s` (quotes and separators stripped).
std::string charset_value_after(std::string_view s, size_t pos) {
  while (pos < s.size() && (is_space(s[pos]) || s[pos] == '"' || s[pos] == '\'')) ++pos;
  size_t end = pos;
  while (end < s.size() && !is_space(s[end]) && s[end] != ';' && s[end] != '"' && s[end] != '\'' && s[end] != '>' &&
         s[end] != '/' && s[end] != ',')
    ++end;
  // Labels are ASCII letters, digits and "-_.:"; a value with any other byte
  // names no charset, and must not become the charset newsd reports.
  for (size_t i = pos; i < end; ++i)
    if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != ':')
      return {};
  return lower(s.substr(pos, end - pos));
}

bool is_utf8_name(const std::string& cs) { return cs == "utf-8" || cs == "utf8"; }

// What a payload is, by its first bytes, when it is certainly not HTML.
const char* binary_signature(std::string_view p) {
  struct Magic {
    std::string_view prefix;
    const char* what;
  };
  static constexpr std::array<Magic, 9> kMagic{{
      {"%PDF-", "a PDF document"},
      {"\x89PNG", "a PNG image"},
      {"\xFF\xD8\xFF", "a JPEG image"},
      {"GIF8", "a GIF image"},
      {"\x1F\x8B", "gzip-compressed data"},
      {"PK\x03\x04", "a ZIP archive"},
      {"RIFF", "a RIFF media file"},
      {"\x7F" "ELF", "an executable"},
      {"OggS", "an Ogg media file"},
  }};
  for (const Magic& m : kMagic)
    if (p.substr(0, m.prefix.size()) == m.prefix) return m.what;
  return nullptr;
}

// Share of bytes in the first 8 KiB that are control characters no text uses.
double control_byte_ratio(std::string_view p) {
  const size_t n = std::min<size_t>(p.size(), 8192);
  if (n == 0) return 0;
  size_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++bad;
  }
  return static_cast<double>(bad) / static_cast<double>(n);
}

bool has_markup(std::string_view html) {
  const size_t n = std::min<size_t>(html.size(), 1 << 16);
  for (size_t i = 0; i + 1 < n; ++i) {
    if (html[i] != '<') continue;
    const char c = html[i + 1];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '!' || c == '/') return true;
  }
  return false;
}

bool is_html_media_type(std::string_view content_type) {
  const std::string ct = lower(trim(content_type.substr(0, content_type.find(';'))));
  return ct.empty() || ct.rfind("text/", 0) == 0 || ct == "application/xhtml+xml" || ct == "application/xml";
}

}  // namespace

bool looks_like_record(std::string_view payload) {
  for (char c : payload) {
    if (is_space(c)) continue;
    return c == '{';
  }
  return false;
}

Status parse_envelope(std::string_view json, Envelope& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(json.data(), json.size()).get(doc); err) {
    return invalid_envelope(std::string("crawler record is not valid JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (doc.get(obj)) return invalid_envelope("crawler record must be a JSON object");

  auto string_field = [&](const char* name, std::string& dest, bool required) -> Status {
    simdjson::dom::element el;
    if (obj[name].get(el)) {
      if (required) return invalid_envelope(std::string("crawler record lacks required field \"") + name + "\"");
      return Status::ok();
    }
    if (el.is_null() && !required) return Status::ok();
    std::string_view sv;
    if (el.get(sv)) return invalid_envelope(std::string("crawler record field \"") + name + "\" must be a string");
    dest.assign(sv);
    return Status::ok();
  };

  if (Status s = string_field("url", out.url, true); !s.is_ok()) return s;
  if (out.url.empty()) return invalid_envelope("crawler record field \"url\" is empty");
  if (Status s = string_field("fetched_at", out.fetched_at, false); !s.is_ok()) return s;

  simdjson::dom::element html_el;
  if (!obj["html"].get(html_el)) {
    std::string_view sv;
    if (html_el.get(sv)) return invalid_envelope("crawler record field \"html\" must be a string");
    out.html.assign(sv);
  } else if (!obj["html_base64"].get(html_el)) {
    std::string_view sv;
    if (html_el.get(sv)) return invalid_envelope("crawler record field \"html_base64\" must be a string");
    if (!base64_decode(sv, out.html)) return invalid_envelope("crawler record field \"html_base64\" is not valid base64");
  } else {
    return invalid_envelope("crawler record lacks required field \"html\" (or \"html_base64\")");
  }

  simdjson::dom::element headers_el;
  if (!obj["http_headers"].get(headers_el) && !headers_el.is_null()) {
    simdjson::dom::object headers;
    if (headers_el.get(headers)) return invalid_envelope("crawler record field \"http_headers\" must be an object");
    for (auto field : headers) {
      if (lower(field.key) != "content-type") continue;
      std::string_view sv;
      if (field.value.get(sv))
        return invalid_envelope("crawler record field \"http_headers.content-type\" must be a string");
      out.content_type.assign(sv);
    }
  }

  simdjson::dom::element status_el;
  if (!obj["status"].get(status_el) && !status_el.is_null()) {
    int64_t status = 0;
    if (status_el.get(status)) return invalid_envelope("crawler record field \"status\" must be an integer");
    out.status = static_cast<int>(status);
  }
  return Status::ok();
}

std::string charset_from_content_type(std::string_view content_type) {
  const std::string ct = lower(content_type);
  const size_t pos = ct.find("charset=");
  if (pos == std::string::npos) return {};
  return charset_value_after(ct, pos + 8);
}

std::string charset_from_meta(std::string_view html) {
  // The HTML standard's prescan looks at the first 1024 bytes; real pages put
  // long scripts first, so look a little further.
  const std::string head = lower(html.substr(0, 8192));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = head.find('>', pos);
    const std::string_view tag(head.data() + pos, (end == std::string::npos ? head.size() : end) - pos);
    pos += 5;
    size_t cs = tag.find("charset");
    if (cs == std::string::npos) continue;
    cs += 7;
    while (cs < tag.size() && is_space(tag[cs])) ++cs;
    if (cs >= tag.size() || tag[cs] != '=') continue;
    std::string value = charset_value_after(tag, cs + 1);
    if (!value.empty()) return value;
  }
  return {};
}

int64_t sanitize_utf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  int64_t invalid = 0;
  size_t i = 0;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      size_t j = i + 1;
      while (j < in.size() && static_cast<unsigned char>(in[j]) < 0x80) ++j;
      out.append(in.data() + i, j - i);
      i = j;
      continue;
    }
    const size_t start = i;
    if (decode_utf8(in, i) == kInvalidUtf8) {
      out += "\xEF\xBF\xBD";
      ++invalid;
    } else {
      out.append(in.data() + start, i - start);
    }
  }
  return invalid;
}

int64_t convert_to_utf8(std::string_view bytes, const std::string& charset, std::string& out) {
  UErrorCode err = U_ZERO_ERROR;
  // WHATWG maps these labels to windows-1252; ICU would take them literally.
  std::string name = charset;
  if (name == "iso-8859-1" || name == "latin1" || name == "us-ascii" || name == "ascii" || name == "latin-1")
    name = "windows-1252";
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(name.c_str(), &err), &ucnv_close);
  if (U_FAILURE(err) || !conv) return -1;
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &err);
  std::unique_ptr<UConverter, decltype(&ucnv_close)> utf8(ucnv_open("UTF-8", &err), &ucnv_close);
  if (U_FAILURE(err)) return -1;
  out.resize(bytes.size() * 3 + 16);
  char* target = out.data();
  const char* source = bytes.data();
  ucnv_convertEx(utf8.get(), conv.get(), &target, out.data() + out.size(), &source, bytes.data() + bytes.size(), nullptr,
                 nullptr, nullptr, nullptr, true, true, &err);
  if (U_FAILURE(err)) return -1;
  out.resize(static_cast<size_t>(target - out.data()));
  int64_t replaced = 0;
  for (size_t pos = 0; (pos = out.find("\xEF\xBF\xBD", pos)) != std::string::npos; pos += 3) ++replaced;
  return replaced;
}

std::string detect_charset(std::string_view bytes) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> det(ucsdet_open(&err), &ucsdet_close);
  if (U_FAILURE(err)) return {};
  const int32_t n = static_cast<int32_t>(std::min<size_t>(bytes.size(), 1 << 16));
  ucsdet_setText(det.get(), bytes.data(), n, &err);
  ucsdet_enableInputFilter(det.get(), true);  // ignore markup
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &count, &err);
  if (U_FAILURE(err) || matches == nullptr) return {};
  // ICU rates UTF-16 and UTF-32 highly on short single-byte text; markup in
  // single bytes ("<p") rules them out.
  const bool byte_markup = has_markup(bytes);
  for (int32_t i = 0; i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &err);
    if (U_FAILURE(err) || name == nullptr) return {};
    std::string cs = lower(name);
    if (byte_markup && (cs.rfind("utf-16", 0) == 0 || cs.rfind("utf-32", 0) == 0)) continue;
    return cs;
  }
  return {};
}

bool base64_decode(std::string_view in, std::string& out) {
  static const auto kTable = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    t['-'] = 62;  // URL-safe alphabet
    t['_'] = 63;
    return t;
  }();
  out.clear();
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : in) {
    if (ch == '=' || is_space(ch)) continue;
    const int8_t v = kTable[static_cast<unsigned char>(ch)];
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}

}  // namespace decode

Status DecodeStage::process(Article& a) {
  using namespace decode;
  const RawInput& in = a.input;
  std::string_view bytes = in.payload;
  std::string content_type = in.content_type;
  a.url = in.url;
  a.fetched_at = in.fetched_at;

  if (bytes.size() > static_cast<size_t>(limits_.max_page_bytes) * 2)  // record overhead allowance
    return too_large("payload is " + std::to_string(bytes.size()) + " bytes, limit is " +
                     std::to_string(limits_.max_page_bytes) + " (limits.max_page_bytes)");

  Envelope env;
  if (looks_like_record(bytes)) {
    if (Status s = parse_envelope(bytes, env); !s.is_ok()) return s;
    a.url = env.url;
    if (!env.fetched_at.empty()) a.fetched_at = env.fetched_at;
    if (!env.content_type.empty()) content_type = env.content_type;
    a.http_status = env.status;
    if (env.status != 0 && (env.status < 200 || env.status > 299))
      return not_html("crawler record has HTTP status " + std::to_string(env.status) + ", not a page");
    bytes = env.html;
  }

  if (trim(bytes).empty()) return not_html("payload is empty");
  if (bytes.size() > static_cast<size_t>(limits_.max_page_bytes))
    return too_large("page is " + std::to_string(bytes.size()) + " bytes, limit is " +
                     std::to_string(limits_.max_page_bytes) + " (limits.max_page_bytes)");
  if (const char* what = binary_signature(bytes)) return not_html(std::string("payload is ") + what + ", not HTML");
  if (!is_html_media_type(content_type))
    return not_html("content-type \"" + content_type + "\" is not an HTML page");

  // Byte-order marks decide outright.
  std::string charset;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    charset = "utf-8", a.charset_source = "bom";
    bytes.remove_prefix(3);
  } else if (bytes.substr(0, 2) == "\xFF\xFE") {
    charset = "utf-16le", a.charset_source = "bom";
  } else if (bytes.substr(0, 2) == "\xFE\xFF") {
    charset = "utf-16be", a.charset_source = "bom";
  }
  if (charset.empty()) {
    if (control_byte_ratio(bytes) > 0.01)
      return not_html("payload is binary (control bytes in the first 8 KiB), not HTML");
    if (!(charset = charset_from_content_type(content_type)).empty()) a.charset_source = "http";
    else if (!(charset = charset_from_meta(bytes)).empty()) a.charset_source = "meta";
  }

  int64_t invalid = -1;
  if (a.charset_source != "bom") {
    // A page that is valid UTF-8 with multi-byte sequences is UTF-8 whatever
    // its declaration says; a page declared UTF-8 whose bytes are not goes to
    // detection.
    std::string utf8;
    const int64_t bad = sanitize_utf8(bytes, utf8);
    const bool ascii_only = std::none_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) != 0; });
    const bool declared_other = !charset.empty() && !is_utf8_name(charset);
    // Invalid bytes amid plenty of valid multi-byte sequences are corruption
    // in a UTF-8 page, not a sign of another charset.
    const int64_t multibyte = std::count_if(utf8.begin(), utf8.end(), [](char c) {
                                return static_cast<unsigned char>(c) >= 0xC2 && static_cast<unsigned char>(c) <= 0xF4;
                              }) - bad;
    const bool mostly_utf8 = bad * 1000 <= static_cast<int64_t>(bytes.size()) || multibyte >= bad * 8;
    const bool take_utf8 = declared_other ? (bad == 0 && !ascii_only) : mostly_utf8;
    if (take_utf8) {
      if (declared_other || charset.empty()) a.charset_source = ascii_only ? "default" : "detected";
      charset = "utf-8";
      invalid = bad;
      a.html = std::move(utf8);
    } else if (!declared_other) {
      charset.clear();
    }
  }
  if (invalid < 0) {
    if (charset.empty()) {
      charset = detect_charset(bytes);
      a.charset_source = "detected";
      if (charset.empty()) charset = "windows-1252";
    }
    invalid = convert_to_utf8(bytes, charset, a.html);
    if (invalid < 0) {  // a label ICU does not know: detect instead
      charset = detect_charset(bytes);
      a.charset_source = "detected";
      invalid = charset.empty() ? -1 : convert_to_utf8(bytes, charset, a.html);
      if (invalid < 0) {
        charset = "utf-8";
        invalid = sanitize_utf8(bytes, a.html);
      }
    }
  }
  a.charset = charset;
  a.id = article_id(a.url);  // provisional: extract refines it from the canonical URL
  a.invalid_bytes_replaced = invalid;
  if (static_cast<double>(invalid) > limits_.max_invalid_utf8_ratio * static_cast<double>(bytes.size()))
    return not_html(std::to_string(invalid) + " of " + std::to_string(bytes.size()) + " bytes are invalid in " +
                    charset + "; payload looks binary (limits.max_invalid_utf8_ratio)");
  if (!has_markup(a.html)) return not_html("payload has no HTML markup");
  return Status::ok();
}

}  // namespace newsd
