#include "tests/chaos/chaos_input.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>

#include "tests/integration/kafka_fixture.h"

namespace newsd::chaos {
namespace {

// Words made of syllables: thousands of them, so unrelated texts share
// (almost) no shingles and their simhashes are far apart.
std::string word(std::mt19937& rng) {
  static const char* kSyllables[] = {"ka", "ri",  "mo", "tel", "sun", "var", "de",  "lo",  "pra", "nis",
                                     "bu", "gan", "he", "zor", "ti",  "mel", "ash", "qui", "ron", "fe"};
  std::uniform_int_distribution<int> n(2, 3), s(0, 19);
  std::string w;
  for (int i = n(rng); i > 0; --i) w += kSyllables[s(rng)];
  return w;
}

std::string sentence(uint32_t seed) {
  std::mt19937 rng(seed * 2654435761u + 7);
  std::string s = "The";
  for (int i = 0; i < 16; ++i) {
    s += ' ';
    s += word(rng);
  }
  s += " said on Tuesday.";
  return s;
}

// The ten sentences of article `n`.
std::vector<std::string> sentences(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < 10; ++i) out.push_back(sentence(static_cast<uint32_t>(n * 16 + i)));
  return out;
}


std::string record(const std::string& url, int title, const std::vector<std::string>& text, const char* fetched_at) {
  std::string body;
  for (size_t i = 0; i + 1 < text.size(); i += 2) body += "<p>" + text[i] + " " + text[i + 1] + "</p>\n";
  const std::string html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story " +
                           std::to_string(title) + "</title></head><body><article><h1>Story number " +
                           std::to_string(title) + "</h1>\n" + body + "</article></body></html>";
  return "{\"url\":\"" + url + "\",\"fetched_at\":\"" + fetched_at + "\",\"html\":\"" + testing::json_escape(html) + "\"}";
}

std::string url_of(int n) {
  return "https://chaos.example.org/story/" + std::to_string(n);
}

}  // namespace

std::vector<InputPage> make_input(int partitions, int per_partition, size_t oversize_bytes) {
  std::vector<InputPage> out;
  int next_article = 0;
  for (int32_t p = 0; p < partitions; ++p) {
    std::vector<std::pair<int, int>> originals;  // (article, local index)
    int poison = 0;
    const int copies_end = per_partition * 6 / 10, recrawls_from = per_partition * 7 / 10;
    for (int k = 0; k < per_partition; ++k) {
      InputPage page;
      page.partition = p;
      const int copy_source = static_cast<int>(originals.size()) - 20;
      if (p == 1 && k == per_partition / 3) {
        // An article whose output JSON is larger than the output topic takes.
        std::vector<std::string> text;
        size_t bytes = 0;
        for (uint32_t i = 0; bytes < oversize_bytes; ++i) {
          text.push_back(sentence(9'000'000 + i));
          bytes += text.back().size() + 1;
        }
        page.kind = "oversize";
        page.value = record(url_of(900'000), 900'000, text, "2026-11-26T10:00:00Z");
      } else if (k < copies_end && k % 6 == 5 && copy_source >= 0) {
        const auto [article, at] = originals[static_cast<size_t>(copy_source)];
        std::vector<std::string> text = sentences(article);
        const bool exact = (k / 6) % 2 == 0;
        if (!exact) text[3] = sentence(static_cast<uint32_t>(5'000'000 + article));
        page.kind = exact ? "exact_copy" : "near_copy";
        page.value = record("https://mirror.example.net/" + std::to_string(article) + "/" + page.kind, article, text,
                            "2026-11-26T11:00:00Z");
      } else if (k >= recrawls_from) {
        // Re-crawls of the first originals, whose copies all came before copies_end.
        const int article = originals[static_cast<size_t>(k - recrawls_from)].first;
        std::vector<std::string> text = sentences(article);
        const bool edit = k % 2 == 1;
        if (edit) {
          for (int i : {2, 5, 8})
            text[static_cast<size_t>(i)] = sentence(static_cast<uint32_t>(7'000'000 + article * 10 + i));
        }
        page.kind = edit ? "edit" : "recrawl";
        page.value = record(url_of(article), article, text, "2026-11-27T10:00:00Z");
      } else if (k % 37 == 17) {
        switch (poison++ % 3) {
          case 0:
            page.kind = "junk";
            page.value = std::string("\x00\x01\x02\xff\xfe junk \x7f\x80", 14) + std::to_string(k);
            page.headers = {{"url", "https://chaos.example.org/junk"}, {"content-type", "text/html"}};
            break;
          case 1:
            page.kind = "malformed";
            page.value = "{\"url\": \"https://chaos.example.org/bad\", \"html\": \"<p>unterminated";
            break;
          default:
            page.kind = "no_html";
            page.value = "{\"url\": \"https://chaos.example.org/nohtml\"}";
            break;
        }
      } else {
        const int article = next_article++;
        originals.push_back({article, k});
        page.kind = "original";
        page.value = record(url_of(article), article, sentences(article), "2026-11-26T10:00:00Z");
      }
      out.push_back(std::move(page));
    }
  }
  return out;
}

Outcomes outcomes(const std::vector<kafka::Record>& articles, const std::vector<kafka::Record>& dead) {
  Outcomes out;
  auto add = [&](Position at, std::string verdict, bool self_copy) {
    Outcome& o = out[at];
    if (o.records == 0)
      o.verdict = verdict;
    else if (o.verdict != verdict)
      o.verdict = "inconsistent";
    ++o.records;
    o.self_copy = o.self_copy || self_copy;
    o.all.push_back(std::move(verdict));
  };
  simdjson::dom::parser parser;
  for (const kafka::Record& r : articles) {
    simdjson::dom::element doc;
    int64_t partition = -1, offset = -1;
    std::string_view id, status, duplicate_of;
    if (parser.parse(r.value).get(doc) || doc["source"]["partition"].get(partition) ||
        doc["source"]["offset"].get(offset) || doc["id"].get(id) || doc["dedup"]["status"].get(status)) {
      ADD_FAILURE() << "article without source, id or dedup: " << r.value.substr(0, 200);
      continue;
    }
    if (doc["dedup"]["duplicate_of"].get(duplicate_of)) duplicate_of = "";
    const bool copy = status == "exact_duplicate" || status == "near_duplicate";
    add({static_cast<int32_t>(partition), offset}, std::string(status) + " " + std::string(duplicate_of),
        copy && duplicate_of == id);
  }
  for (const kafka::Record& r : dead) {
    const std::string p = r.header("newsd-source-partition"), o = r.header("newsd-source-offset");
    if (p.empty() || o.empty()) {
      ADD_FAILURE() << "dead letter without newsd-source headers";
      continue;
    }
    add({std::stoi(p), std::stoll(o)}, "dead " + r.header("newsd-stage") + " " + r.header("newsd-reason"), false);
  }
  return out;
}

}  // namespace newsd::chaos
