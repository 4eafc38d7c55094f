// The article id comes from the canonical URL only when it is on the fetched
// page's own site (registrable domain by the public suffix list); a canonical
// or og:url on another site is kept as a field but cannot take over that
// site's id and dedup entry.
#include <gtest/gtest.h>

#include "stages/extract/extract_stage.h"
#include "stages/extract/site.h"

namespace newsd::extract {
namespace {

TEST(Site, RegistrableDomainFollowsThePublicSuffixList) {
  EXPECT_EQ(registrable_domain("https://www.bbc.co.uk/news/x"), "bbc.co.uk");
  EXPECT_EQ(registrable_domain("https://News.BBC.co.uk:443/x?y"), "bbc.co.uk");
  EXPECT_EQ(registrable_domain("https://user@amarujala.com./x"), "amarujala.com");
  EXPECT_EQ(registrable_domain("https://alice.github.io/post"), "alice.github.io");  // a private suffix
  EXPECT_EQ(registrable_domain("http://127.0.0.1:8080/x"), "127.0.0.1");
  EXPECT_EQ(registrable_domain("not a url"), "");

  EXPECT_TRUE(same_site("https://m.example.com/a", "https://www.example.com/a"));
  EXPECT_TRUE(same_site("https://www.bbc.co.uk/a", "https://bbc.co.uk/a"));
  EXPECT_FALSE(same_site("https://alice.github.io/a", "https://bob.github.io/a"));
  EXPECT_FALSE(same_site("https://spam.example.net/a", "https://www.example.com/a"));
  EXPECT_FALSE(same_site("https://example.co.uk/a", "https://other.co.uk/a"));
  EXPECT_TRUE(same_site("", "https://www.example.com/a")) << "no fetched URL: the canonical is all there is";
}

std::string page(const std::string& head) {
  std::string body;
  for (int i = 0; i < 6; ++i)
    body += "<p>The harbour council met on Tuesday to discuss the budget for the new ferry terminal, paragraph " +
            std::to_string(i) + ", and the mayor said the work would begin in spring.</p>";
  return "<html><head><title>Ferry terminal</title>" + head + "</head><body><article>" + body +
         "</article></body></html>";
}

Article extract(const std::string& url, const std::string& head) {
  Article a;
  a.url = url;
  a.html = page(head);
  ExtractStage stage{ExtractConfig{}};
  EXPECT_TRUE(stage.process(a).is_ok());
  return a;
}

TEST(ArticleId, CanonicalOnTheSameSiteNamesThePage) {
  const Article a = extract("https://m.example.com/2024/ferry?utm=x",
                            R"(<link rel="canonical" href="https://www.example.com/2024/ferry">)");
  EXPECT_EQ(a.canonical_url, "https://www.example.com/2024/ferry");
  EXPECT_EQ(a.id, article_id("https://www.example.com/2024/ferry"));
}

TEST(ArticleId, CanonicalOrOgUrlOnAnotherSiteIsKeptButNotUsed) {
  const std::string victim = "https://www.example.com/2024/ferry";
  const Article a = extract("https://spam.example.net/ferry", R"(<link rel="canonical" href=")" + victim + R"(">)");
  EXPECT_EQ(a.canonical_url, victim) << "still reported";
  EXPECT_EQ(a.id, article_id("https://spam.example.net/ferry"));

  const Article b =
      extract("https://bob.github.io/ferry", R"(<meta property="og:url" content="https://alice.github.io/ferry">)");
  EXPECT_EQ(b.canonical_url, "https://alice.github.io/ferry");
  EXPECT_EQ(b.id, article_id("https://bob.github.io/ferry"));
}

}  // namespace
}  // namespace newsd::extract
