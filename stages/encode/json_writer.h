// JsonWriter: appends compact JSON to a string, for the encode stage and the
// dead-letter records. Strings should be UTF-8; each byte that starts no valid
// UTF-8 sequence is written as \ufffd, so the output is valid JSON whatever
// they hold. Control characters are escaped.
//
// The writer tracks only whether a comma is due; callers nest correctly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsd {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& string(std::string_view s);
  JsonWriter& string_or_null(std::string_view s);  // "" -> null
  JsonWriter& number(int64_t v);
  JsonWriter& number(double v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  JsonWriter& string_array(const std::vector<std::string>& items);

 private:
  void separate();
  std::string& out_;
  bool need_comma_ = false;
};

// Appends `s` JSON-escaped (without quotes); invalid UTF-8 bytes become \ufffd.
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace newsd
