#include "stages/extract/dates.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

#include "stages/civil_date.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

bool valid_ymd(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= kDays[static_cast<size_t>(m - 1)];
}

std::string format(int y, int mo, int d, int h, int mi, int s, int off_min) {
  char buf[96];
  const char sign = off_min < 0 ? '-' : '+';
  const int a = off_min < 0 ? -off_min : off_min;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, h, mi, s, sign, a / 60, a % 60);
  return buf;
}

// Reads exactly `n` digits at s[i].
bool digits(std::string_view s, size_t& i, size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  out = v;
  i += n;
  return true;
}

// Reads 1-2 digits.
bool small_number(std::string_view s, size_t& i, int& out) {
  if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  out = s[i++] - '0';
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) out = out * 10 + (s[i++] - '0');
  return true;
}

bool parse_offset(std::string_view s, size_t& i, int& off) {
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size()) return false;
  if (s[i] == 'Z' || s[i] == 'z') {
    off = 0;
    ++i;
    return true;
  }
  if (s.substr(i, 3) == "GMT" || s.substr(i, 3) == "UTC") {
    i += 3;
    off = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) return parse_offset(s, i, off);
    return true;
  }
  // North American and European zone names (not IST and the like, which
  // name several zones).
  static constexpr std::array<std::pair<std::string_view, int>, 11> kZones{{{"EDT", -4 * 60},
                                                                            {"EST", -5 * 60},
                                                                            {"CDT", -5 * 60},
                                                                            {"CST", -6 * 60},
                                                                            {"MDT", -6 * 60},
                                                                            {"MST", -7 * 60},
                                                                            {"PDT", -7 * 60},
                                                                            {"PST", -8 * 60},
                                                                            {"BST", 60},
                                                                            {"CEST", 2 * 60},
                                                                            {"CET", 60}}};
  for (const auto& [name, minutes] : kZones)
    if (s.substr(i, name.size()) == name) {
      i += name.size();
      off = minutes;
      return true;
    }
  if (s[i] != '+' && s[i] != '-') return false;
  const int sign = s[i] == '-' ? -1 : 1;
  ++i;
  int h = 0, m = 0;
  if (!digits(s, i, 2, h)) return false;
  if (i < s.size() && s[i] == ':') ++i;
  if (!digits(s, i, 2, m)) m = 0;
  if (h > 14 || m > 59) return false;
  off = sign * (h * 60 + m);
  return true;
}

struct MonthName {
  std::string_view name;
  int month;
};

// Month names: full names of several languages first, then abbreviations
// (which also cover longer forms such as "janeiro" or "januar").
constexpr MonthName kMonths[] = {
    {"january", 1},
    {"february", 2},
    {"march", 3},
    {"april", 4},
    {"june", 6},
    {"july", 7},
    {"august", 8},
    {"september", 9},
    {"october", 10},
    {"november", 11},
    {"december", 12},
    // Spanish, Portuguese, Italian, French, German
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"abril", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"agosto", 8},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    {"fevereiro", 2},
    {"março", 3},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"setembro", 9},
    {"outubro", 10},
    {"dezembro", 12},
    {"gennaio", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"maggio", 5},
    {"giugno", 6},
    {"luglio", 7},
    {"settembre", 9},
    {"ottobre", 10},
    {"dicembre", 12},
    {"janvier", 1},
    {"février", 2},
    {"mars", 3},
    {"avril", 4},
    {"juin", 6},
    {"juillet", 7},
    {"août", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"décembre", 12},
    {"märz", 3},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"dezember", 12},
    // Russian (genitive, as written in dates)
    {"января", 1},
    {"февраля", 2},
    {"марта", 3},
    {"апреля", 4},
    {"мая", 5},
    {"июня", 6},
    {"июля", 7},
    {"августа", 8},
    {"сентября", 9},
    {"октября", 10},
    {"ноября", 11},
    {"декабря", 12},
    // Hindi
    {"जनवरी", 1},
    {"फरवरी", 2},
    {"फ़रवरी", 2},
    {"मार्च", 3},
    {"अप्रैल", 4},
    {"मई", 5},
    {"जून", 6},
    {"जुलाई", 7},
    {"अगस्त", 8},
    {"सितंबर", 9},
    {"सितम्बर", 9},
    {"अक्टूबर", 10},
    {"नवंबर", 11},
    {"नवम्बर", 11},
    {"दिसंबर", 12},
    // Dutch, Indonesian, Romanian, Polish and Czech (genitive), Turkish, Ukrainian (genitive)
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mei", 5},
    {"augustus", 8},
    {"maret", 3},
    {"agustus", 8},
    {"desember", 12},
    {"ianuarie", 1},
    {"februarie", 2},
    {"martie", 3},
    {"aprilie", 4},
    {"iunie", 6},
    {"iulie", 7},
    {"septembrie", 9},
    {"octombrie", 10},
    {"noiembrie", 11},
    {"decembrie", 12},
    {"stycznia", 1},
    {"lutego", 2},
    {"marca", 3},
    {"kwietnia", 4},
    {"maja", 5},
    {"czerwca", 6},
    {"lipca", 7},
    {"sierpnia", 8},
    {"września", 9},
    {"października", 10},
    {"listopada", 11},
    {"grudnia", 12},
    {"ledna", 1},
    {"února", 2},
    {"března", 3},
    {"dubna", 4},
    {"května", 5},
    {"června", 6},
    {"července", 7},
    {"srpna", 8},
    {"září", 9},
    {"října", 10},
    {"listopadu", 11},
    {"prosince", 12},
    {"ocak", 1},
    {"şubat", 2},
    {"nisan", 4},
    {"mayıs", 5},
    {"haziran", 6},
    {"temmuz", 7},
    {"ağustos", 8},
    {"eylül", 9},
    {"ekim", 10},
    {"kasım", 11},
    {"aralık", 12},
    {"січня", 1},
    {"лютого", 2},
    {"березня", 3},
    {"квітня", 4},
    {"травня", 5},
    {"червня", 6},
    {"липня", 7},
    {"серпня", 8},
    {"вересня", 9},
    {"жовтня", 10},
    {"листопада", 11},
    {"грудня", 12},
    // Arabic (Egypt and the Gulf; Levant names after a slash are skipped by the Gulf name that follows)
    {"يناير", 1},
    {"فبراير", 2},
    {"مارس", 3},
    {"أبريل", 4},
    {"إبريل", 4},
    {"مايو", 5},
    {"يونيو", 6},
    {"يوليو", 7},
    {"أغسطس", 8},
    {"سبتمبر", 9},
    {"أكتوبر", 10},
    {"نوفمبر", 11},
    {"ديسمبر", 12},
    {"كانون الثاني", 1},
    {"شباط", 2},
    {"آذار", 3},
    {"نيسان", 4},
    {"أيار", 5},
    {"حزيران", 6},
    {"تموز", 7},
    {"آب", 8},
    {"أيلول", 9},
    {"تشرين الأول", 10},
    {"تشرين الثاني", 11},
    {"كانون الأول", 12},
    // Abbreviations
    {"sept", 9},
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"may", 5},
    {"mai", 5},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"ago", 8},
    {"sep", 9},
    {"set", 9},
    {"oct", 10},
    {"okt", 10},
    {"out", 10},
    {"nov", 11},
    {"dec", 12},
    {"dez", 12},
    {"dic", 12},
};

// Month name at s[i] (case-insensitive for Latin); advances past it and any trailing '.'.
// The last byte of the code point at s[i], ASCII lower-cased: it tells the
// first letters of month names apart also in scripts whose letters share
// their lead bytes (Devanagari, Cyrillic, Arabic).
unsigned char letter_key(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return static_cast<unsigned char>(std::tolower(c));
  const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return i + len <= s.size() ? static_cast<unsigned char>(s[i + len - 1]) : c;
}

int month_at(std::string_view s, size_t& i) {
  if (i >= s.size()) return 0;
  const auto first = static_cast<unsigned char>(s[i]);
  if (first < 0x80 && !std::isalpha(first)) return 0;
  // Month names by the key of their first letter, in list order; built once.
  static const std::array<std::vector<const MonthName*>, 256> kByFirst = [] {
    std::array<std::vector<const MonthName*>, 256> t;
    for (const MonthName& m : kMonths) t[letter_key(m.name, 0)].push_back(&m);
    return t;
  }();
  for (const MonthName* mp : kByFirst[letter_key(s, i)]) {
    const MonthName& m = *mp;
    if (!istarts_with(s.substr(i), m.name)) continue;
    size_t j = i + m.name.size();
    if (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j])) && m.name.size() > 3) {
      // "sept" inside "september" is handled by list order; other letters mean another word.
      continue;
    }
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;  // "Sept" -> "Septembre"-like tails
    if (j < s.size() && s[j] == '.') ++j;
    i = j;
    return m.month;
  }
  return 0;
}

void skip_sep(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
  // "22 de janeiro de 2018", "3 of March 2021"
  for (std::string_view w : {"de ", "del ", "of "}) {
    if (istarts_with(s.substr(i), w)) {
      i += w.size();
      while (i < s.size() && s[i] == ' ') ++i;
      break;
    }
  }
}

}  // namespace

std::string normalize_date(std::string_view in) {
  std::string_view s = trim(in);
  size_t i = 0;
  int y = 0, mo = 0, d = 0;
  if (digits(s, i, 4, y)) {
    if (i < s.size() && (s[i] == '-' || s[i] == '/')) ++i;
    if (!digits(s, i, 2, mo)) return {};
    if (i < s.size() && (s[i] == '-' || s[i] == '/')) ++i;
    if (!digits(s, i, 2, d)) return {};
  } else {
    // RFC 2822: [Day,] DD Mon YYYY HH:MM[:SS] zone; also month first, as
    // American pages write it: [Day,] Mon DD[,] YYYY HH:MM[:SS] zone.
    i = 0;
    while (i < s.size() && i < 10 && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    i = i < s.size() && s[i] == ',' ? i + 1 : 0;
    skip_sep(s, i);
    if (small_number(s, i, d)) {
      skip_sep(s, i);
      mo = month_at(s, i);
    } else {
      mo = month_at(s, i);
      skip_sep(s, i);
      if (!small_number(s, i, d)) return {};
    }
    skip_sep(s, i);
    if (mo == 0 || !digits(s, i, 4, y)) return {};
  }
  if (!valid_ymd(y, mo, d)) return {};
  int h = 0, mi = 0, sec = 0, off = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ' || s[i] == 't')) {
    size_t j = i + 1;
    while (j < s.size() && s[j] == ' ') ++j;
    if (digits(s, j, 2, h) && j < s.size() && s[j] == ':' && (++j, digits(s, j, 2, mi))) {
      if (j < s.size() && s[j] == ':') {
        ++j;
        if (!digits(s, j, 2, sec)) sec = 0;
        if (j < s.size() && (s[j] == '.' || s[j] == ',')) {
          ++j;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        }
      }
      if (h > 23 || mi > 59 || sec > 60) return {};
      if (!parse_offset(s, j, off)) off = 0;
    }
  }
  return format(y, mo, d, h, mi, sec, off);
}

int day_difference(std::string_view from, std::string_view to) {
  int64_t days[2];
  const std::string_view dates[2] = {from, to};
  for (int k = 0; k < 2; ++k) {
    size_t i = 0;
    int y = 0, mo = 0, d = 0;
    const std::string_view s = dates[k];
    if (!digits(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !digits(s, i, 2, mo) || i >= s.size() ||
        s[i++] != '-' || !digits(s, i, 2, d) || !valid_ymd(y, mo, d))
      return 0;
    days[k] = days_from_civil(y, mo, d);
  }
  return static_cast<int>(days[1] - days[0]);
}

std::string date_from_url(std::string_view url) {
  const size_t scheme = url.find("://");
  size_t i = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (i == std::string_view::npos) return {};
  const std::string_view path = url.substr(i, url.find_first_of("?#", i) - i);
  for (size_t p = 0; p < path.size(); ++p) {
    if (path[p] != '/' && path[p] != '-' && path[p] != '_') continue;
    size_t j = p + 1;
    int y = 0, mo = 0, d = 0;
    if (!digits(path, j, 4, y) || y < 1990) continue;
    const char sep = j < path.size() ? path[j] : 0;
    if (sep == '/' || sep == '-' || sep == '_') {
      ++j;
      if (!digits(path, j, 2, mo)) continue;
      if (j < path.size() && path[j] == sep) {
        ++j;
        if (!digits(path, j, 2, d)) continue;
        if (j < path.size() && std::isdigit(static_cast<unsigned char>(path[j]))) continue;
      } else {
        continue;  // year and month only: the day is unknown
      }
    } else {
      if (!digits(path, j, 2, mo) || !digits(path, j, 2, d)) continue;
      if (j < path.size() && std::isdigit(static_cast<unsigned char>(path[j]))) continue;
    }
    if (valid_ymd(y, mo, d)) return format(y, mo, d, 0, 0, 0, 0);
  }
  return {};
}

std::string date_from_text(std::string_view s) {
  for (size_t start = 0; start < s.size(); ++start) {
    const auto c = static_cast<unsigned char>(s[start]);
    if (start > 0 && (std::isalnum(static_cast<unsigned char>(s[start - 1])))) continue;
    size_t i = start;
    int y = 0, mo = 0, d = 0;
    if (std::isdigit(c)) {
      // "11 January 2022", "11.01.2022", "2022-01-11"
      size_t j = i;
      if (digits(s, j, 4, y) && j < s.size() && (s[j] == '-' || s[j] == '/')) {
        std::string iso = normalize_date(s.substr(i, 10));
        if (!iso.empty()) return iso;
        continue;
      }
      // "2020.03.04" and the CJK "2020年7月3日" / "2020년 3월 4일"
      j = i;
      if (digits(s, j, 4, y)) {
        static constexpr std::array<std::string_view, 4> kYear{".", "年", "년", "/"};
        static constexpr std::array<std::string_view, 3> kMonth{".", "月", "월"};
        auto mark = [&](auto& marks) {
          while (j < s.size() && s[j] == ' ') ++j;
          for (std::string_view m : marks)
            if (s.substr(j, m.size()) == m) {
              j += m.size();
              while (j < s.size() && s[j] == ' ') ++j;
              return true;
            }
          return false;
        };
        if (mark(kYear) && small_number(s, j, mo) && mark(kMonth) && small_number(s, j, d) && valid_ymd(y, mo, d))
          return format(y, mo, d, 0, 0, 0, 0);
        continue;
      }
      j = i;
      if (!small_number(s, j, d)) continue;
      if (j < s.size() && (s[j] == '.' || s[j] == '/' || s[j] == '-')) {
        const char sep = s[j++];
        if (!small_number(s, j, mo) || j >= s.size() || s[j] != sep) continue;
        ++j;
        if (!digits(s, j, 4, y)) continue;
        if (sep == '/' && mo > 12) std::swap(mo, d);  // US order
      } else {
        skip_sep(s, j);
        mo = month_at(s, j);
        if (mo == 0) continue;
        skip_sep(s, j);
        if (j < s.size() && s[j] == '/') {  // "24 نيسان / أبريل 2020": the same month in two calendars' names
          ++j;
          skip_sep(s, j);
          month_at(s, j);
          skip_sep(s, j);
        }
        if (!digits(s, j, 4, y)) continue;
      }
    } else {
      size_t j = i;
      mo = month_at(s, j);
      if (mo == 0) continue;
      skip_sep(s, j);
      if (!small_number(s, j, d)) continue;
      if (j + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[j])) &&
          std::isalpha(static_cast<unsigned char>(s[j + 1])))
        j += 2;  // 1st, 2nd, 11th
      skip_sep(s, j);
      if (!digits(s, j, 4, y)) continue;
    }
    if (valid_ymd(y, mo, d)) return format(y, mo, d, 0, 0, 0, 0);
  }
  return {};
}

}  // namespace newsd::extract
