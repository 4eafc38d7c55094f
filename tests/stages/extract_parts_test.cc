// Parts of the extract stage: preclean, dates, titles, cross-link labels,
// text measures, NFC, character references, page type, language, and hostile
// input (deep nesting, garbage).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "stages/extract/content.h"
#include "stages/extract/dates.h"
#include "stages/extract/extract_stage.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/language.h"
#include "stages/extract/metadata.h"
#include "stages/extract/page_type.h"
#include "stages/extract/preclean.h"
#include "stages/extract/script_data.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

TEST(Preclean, DropsScriptsStylesCommentsKeepsJsonLd) {
  Precleaned out;
  preclean(
      "<html><head><script>var a = '<p>x</p>';</script><STYLE>p{}</STYLE>"
      "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head>"
      "<body><!-- note <p>hidden</p> --><p>kept</p><svg><text>svg text</text></svg><noscript>ns</noscript>"
      "</body></html>",
      400, out);
  EXPECT_EQ(out.html.find("var a"), std::string::npos);
  EXPECT_EQ(out.html.find("p{}"), std::string::npos);
  EXPECT_EQ(out.html.find("hidden"), std::string::npos);
  EXPECT_EQ(out.html.find("svg text"), std::string::npos);
  EXPECT_EQ(out.html.find(">ns<"), std::string::npos);
  EXPECT_NE(out.html.find("<p>kept</p>"), std::string::npos);
  ASSERT_EQ(out.json_ld.size(), 1u);
  EXPECT_EQ(out.json_ld[0], "{\"@type\":\"NewsArticle\"}");
}

TEST(Preclean, KeepsOnlyAttributesExtractionReads) {
  Precleaned out;
  preclean(
      "<div class=\"story body\" data-track='{\"a\":1}' onclick=\"x()\" style=\"display: none\">t</div>"
      "<a href=\"/x\" rel=author title=\"T\">A</a><link rel=\"canonical\" href=\"https://a.example/s\">"
      "<time datetime=\"2022-01-11\" class='d'>d</time><img src=x srcset=\"a 1x, b 2x\"/>"
      "<p title='say \"hi\"' id=\"it's\">q</p>",
      400, out);
  EXPECT_EQ(out.html,
            "<div class=\"story body\" hidden>t</div><a rel=\"author\">A</a>"
            "<link rel=\"canonical\" href=\"https://a.example/s\"><time datetime=\"2022-01-11\" class=\"d\">d</time>"
            "<img/><p id=\"it's\">q</p>");
}

TEST(Preclean, UnterminatedScriptEndsThePage) {
  Precleaned out;
  preclean("<p>before</p><script>never closed <p>x</p>", 400, out);
  EXPECT_EQ(out.html, "<p>before</p>");
}

TEST(Preclean, FlattensTagsBeyondDepthCap) {
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<div>";
  html += "deep text";
  for (int i = 0; i < 100; ++i) html += "</div>";
  Precleaned out;
  preclean(html, 40, out);
  EXPECT_EQ(out.flattened_tags, 2 * 60);
  EXPECT_NE(out.html.find("deep text"), std::string::npos);
}

TEST(Preclean, EndTagsClosingNothingDoNotDodgeTheDepthCap) {
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<div>text</x>";
  Precleaned out;
  preclean(html, 40, out);
  EXPECT_EQ(out.flattened_tags, 60);
  // A matched end tag still closes every element opened after its own.
  preclean("<div><span><b>x</div><div>y</div>", 2, out);
  EXPECT_EQ(out.flattened_tags, 1);
  EXPECT_EQ(out.html, "<div><span> x</div><div>y</div>");
}

TEST(Preclean, AttributeNamedEqualsSignEnds) {
  // Once an endless loop: the attribute scan read "=" as an empty name and
  // then stopped on the quoted '>' without moving.
  Precleaned out;
  preclean("<p><a = = \">\">", 400, out);
  EXPECT_EQ(out.html, "<p><a>");
  preclean("<p>a <a x = = \">\" class=c>text</a></p>", 400, out);
  EXPECT_EQ(out.html, "<p>a <a class=\"c\">text</a></p>");
}

TEST(Preclean, KeepsTheFirstOfRepeatedAttributes) {
  std::string html = "<div";
  for (int i = 0; i < 1000; ++i) html += " class=c" + std::to_string(i) + " style='display:none'";
  html += ">t</div>";
  Precleaned out;
  preclean(html, 400, out);
  EXPECT_EQ(out.html, "<div class=\"c0\" hidden>t</div>");
}

TEST(ExtractStage, HundredThousandNestedDivsDoNotCrash) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>Some text at the bottom of a very deep page, long enough to be a paragraph of prose.</p>";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "</body></html>";
  Article a;
  a.html = html;
  a.url = "https://example.com/deep";
  ExtractStage stage{ExtractConfig{}};
  const auto start = std::chrono::steady_clock::now();
  const Status s = stage.process(a);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(s.code(), StatusCode::kNoArticle);  // too short to be an article, but handled
  EXPECT_NE(a.text.find("Some text at the bottom"), std::string::npos);
  EXPECT_LT(secs, 10.0);  // not a timing test: guards against quadratic blow-up only
}

// Bodies that markup hides from a naive reader but a browser shows.
TEST(ExtractStage, BodiesInReactSegmentsAndFrameworkWidgetAreas) {
  const std::string paragraphs =
      "<p>The eastern bypass will close from 10pm on Friday until 6am on Monday for resurfacing, the roads "
      "department said on Wednesday.</p><p>Drivers should use the ring road instead, and buses will follow a "
      "signed diversion through the town centre while crews work on both carriageways.</p>";
  auto text_of = [](const std::string& body) {
    ExtractStage stage{ExtractConfig{}};
    Article a;
    a.html =
        "<html><head><title>Bypass to close</title></head><body><h1>Bypass to close</h1>" + body + "</body></html>";
    const Status s = stage.process(a);
    return s.is_ok() ? a.text : std::string(status_code_name(s.code()));
  };
  // React's streaming renderer: the segment is hidden until a script moves it in.
  EXPECT_NE(text_of("<div id=\"B:1\"></div><div hidden id=\"S:1\">" + paragraphs +
                    "</div><script>$RC(\"B:1\",\"S:1\")</script>")
                .find("ring road"),
            std::string::npos);
  EXPECT_EQ(text_of("<div hidden>" + paragraphs + "</div>"), "no_article");
  // A post written as a list is prose too.
  EXPECT_NE(text_of("<ul><li>The eastern bypass will close from 10pm on Friday until 6am on Monday, the roads "
                    "department said.</li><li>Drivers should use the ring road instead, and buses will follow a signed "
                    "diversion through the town centre.</li><li>Crews will work on both carriageways through the "
                    "weekend.</li></ul>")
                .find("ring road"),
            std::string::npos);
  // The rest of an article behind a "read more" expander is the article.
  EXPECT_NE(text_of("<div><p>The eastern bypass will close from 10pm on Friday until 6am on Monday for resurfacing, "
                    "the roads department said on Wednesday.</p><p>It is the first full closure since the road opened, "
                    "and the work was brought forward after a wet winter.</p><div id=\"read-more\"><a href=\"#\">Read "
                    "more</a><div id=\"read-more-content\"><p>Drivers should use the ring road instead, and buses will "
                    "follow a signed diversion through the town centre.</p><p>Crews will work on both carriageways, "
                    "and the road will reopen in time for the Monday rush.</p></div></div></div>")
                .find("ring road"),
            std::string::npos);
  // A page builder's "widget-area" around the whole article is not a sidebar.
  EXPECT_NE(text_of("<div class=\"widget-area basis-full\"><div class=\"text-copy\">" + paragraphs + "</div></div>")
                .find("ring road"),
            std::string::npos);
}

TEST(ExtractStage, TailwindVariantsAreNoRegionNames) {
  // "print:px-6" styles the body for printing; "print" names no region. The
  // body's wrappers were taken for chrome and only the lead was kept.
  ExtractStage stage{ExtractConfig{}};
  Article a;
  a.html = R"(<html lang="de">
<head>
<meta charset="utf-8">
<title>Neue Radwege entlang des Rheins - Rheinbote</title>
<meta property="og:site_name" content="Rheinbote">
</head>
<body class="bg-white dark:bg-black print:bg-white">
<header class="sticky top-0 print:hidden"><a href="/" class="logo">Rheinbote</a><nav class="flex gap-4 print:hidden"><a href="/lokal/">Lokal</a><a href="/sport/">Sport</a><a href="/kultur/">Kultur</a></nav></header>
<main class="mx-auto max-w-screen-xl">
<div class="park-container-small px-6">
<h1 class="text-3xl font-bold desktop:text-5xl">Neue Radwege entlang des Rheins</h1>
<p class="font-semibold">Düsseldorf · Drei neue Wege sollen die Innenstadt mit dem Norden verbinden. Der Ausschuss hat zugestimmt, das Land zahlt einen großen Teil der Kosten, und im Herbst soll es losgehen.</p>
<span class="text-black-muted">21.04.2024, 20:24 Uhr</span>
</div>
<div class="relative desktop:px-17 before:block print:px-6 mb-10 desktop:mb-14">
<div class="after:table after:clear after:w-full print:desktop:px-6">
<div class="group dark:text-white print:max-w-container-small" data-article-content>
<div class="my-6 desktop:my-8 print:article-dropcap-print">
<p class="mx-6 desktop:mx-0">Die Stadt will bis zum Herbst drei neue Radwege entlang des Rheinufers bauen, die die Innenstadt mit den nördlichen Stadtteilen verbinden sollen.</p>
<p class="mx-6 desktop:mx-0">Der Verkehrsausschuss hat die Pläne am Dienstag einstimmig beschlossen; die Kosten von rund vier Millionen Euro trägt zu einem großen Teil das Land.</p>
<p class="mx-6 desktop:mx-0">Anwohner hatten sich seit Jahren über den schmalen Weg am Ufer beklagt, auf dem sich Fußgänger und Radfahrer an schönen Tagen gegenseitig behindern.</p>
</div>
</div>
</div>
</div>
<aside class="mt-8 print:hidden"><h3>Meistgelesen</h3>
<p><a href="/a/">Brückensanierung dauert länger</a> Das Bauamt rechnet nun mit dem Ende der Arbeiten erst im kommenden Frühjahr.</p>
<p><a href="/b/">Neues Schwimmbad eröffnet</a> Im Süden der Stadt können Familien ab Mai wieder schwimmen gehen, auch am Abend.</p>
<p><a href="/c/">Streit über Parkgebühren</a> Der Stadtrat ist sich über die neuen Preise in der Altstadt noch nicht einig.</p>
<p><a href="/d/">Wochenmarkt zieht um</a> Für den Sommer stehen die Stände auf dem Rathausplatz, jeden Samstag ab acht.</p>
</aside>
</main>
<footer class="mt-12 print:hidden"><p>© 2024 Rheinbote</p></footer>
</body>
</html>)";
  ASSERT_TRUE(stage.process(a).is_ok());
  EXPECT_NE(a.text.find("Verkehrsausschuss"), std::string::npos) << a.text;
  EXPECT_NE(a.text.find("Anwohner"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("Meistgelesen"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("Schwimmbad"), std::string::npos) << a.text;
}

TEST(ScriptData, TheLongestJsonStringOfParagraphsUnescaped) {
  const std::string page =
      R"(<script>x={"teaser":"<p>One</p><p>Two</p>","nav":"<path d=\"M0\"/><pre>x</pre>",)"
      R"("body":"\u003cp\u003eCaf\u00e9 \"quoted\"\u003c/p\u003e\n<p class=\"x\">\ud83d\ude00</p>"}</script>)";
  const std::vector<std::pair<size_t, size_t>> scripts{{8, page.size() - 9}};
  EXPECT_EQ(html_in_script_data(page, scripts), "<p>Café \"quoted\"</p>\n<p class=\"x\">\U0001F600</p>");
  // No string of two paragraphs, an unterminated string, a range past the
  // end, no valid JSON string (a lone surrogate).
  const std::string none = R"(<script>x={"a":"<p>only one</p>","b":"<path/><pre/>","c":"<p>open)";
  EXPECT_EQ(html_in_script_data(none, std::vector<std::pair<size_t, size_t>>{{8, none.size()}}), "");
  EXPECT_EQ(html_in_script_data(none, std::vector<std::pair<size_t, size_t>>{{8, none.size() + 5}}), "");
  const std::string lone = R"(<script>x={"a":"<p>one</p><p>\ud800 two</p>"}</script>)";
  EXPECT_EQ(html_in_script_data(lone, std::vector<std::pair<size_t, size_t>>{{8, lone.size() - 9}}), "");
}

TEST(ExtractStage, PrintableRegionIsTheArticleAndNotPrintIsChrome) {
  // "PrintThis" wraps what the print view shows, the article; "notPrint"
  // what it leaves out. With the wrapper taken for chrome, the six teasers
  // of the rail were the page's only prose.
  std::string rail;
  for (int i = 0; i < 6; ++i)
    rail += "<div class=\"item\"><a href=\"/n/" + std::to_string(i) +
            "\">Another headline about the city</a><p>A short summary of another story, with a comma, that sits in "
            "the rail beside the article.</p></div>";
  ExtractStage stage{ExtractConfig{}};
  Article a;
  a.html =
      "<html lang=\"en\"><head><title>Harbour fees to rise in spring</title></head><body><div class=\"row\">"
      "<div class=\"col-8\"><div class=\"d-flex w-100 PrintThis\"><div class=\"article_details_body\"><h1>Harbour "
      "fees to rise in spring</h1><div class=\"notPrint\"><p>[PR] Book your cruise now and save twenty percent on "
      "every cabin, offer ends Sunday.</p></div><div class=\"LongDesc\"><div>The port authority will raise mooring "
      "fees by eight percent from April, its board decided on Tuesday, citing the cost of dredging the inner "
      "basin.<br /><br />Fishing boats are exempt for another year, and the authority said it would review the "
      "rates for small sailing clubs.<br /><br />The last increase was followed by a drop in visiting yachts that "
      "took two summers to recover.</div></div></div></div></div><div class=\"col-4\"><h3>More news</h3>" +
      rail + "</div></div></body></html>";
  ASSERT_TRUE(stage.process(a).is_ok());
  EXPECT_NE(a.text.find("mooring fees"), std::string::npos) << a.text;
  EXPECT_NE(a.text.find("visiting yachts"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("[PR]"), std::string::npos) << a.text;
}

TEST(ExtractStage, ChineseAndJapaneseDatelinesLeaveTheText) {
  // Every ideograph counts as a word, so a dateline there is long in words.
  ExtractStage stage{ExtractConfig{}};
  Article a;
  a.html =
      "<html lang=\"ja\"><head><title>宮崎で震度５弱</title></head><body><article><h1>宮崎で震度５弱</h1>"
      "<p>2025年1月14日 01時28分 (1月14日 01時40分更新)</p>"
      "<p>"
      "１３日午後９時１９分ごろ、宮崎県で震度５弱の地震があった。気象庁によると、震源地は日向灘で、震源の深さは約３６キ"
      "ロ。"
      "地震の規模を示すマグニチュードは６・９と推定される。</p><p>気象庁は記者会見で「地震はいつ起きてもおかしくない。"
      "日頃からの備えを確実に実施しておくようお願いしたい」と呼びかけた。</p><p>南海トラフ地震の想定震源域で"
      "起きた地震で、気象庁は専門家による評価検討会を開いたが、巨大地震が起きる可能性が平常時と比べて高まったとは"
      "判断せず、臨時情報の発表は見送った。九州や四国の各地では、夜間にもかかわらず多くの住民が避難所に集まった。</p>"
      "</article></body></html>";
  ASSERT_TRUE(stage.process(a).is_ok());
  EXPECT_NE(a.text.find("震源地"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("01時28分"), std::string::npos) << a.text;
}

TEST(ExtractStage, GarbageAndEmptyBodiesAreNoArticle) {
  ExtractStage stage{ExtractConfig{}};
  for (const char* html : {"<html></html>", "<<<>>><p", "<body>\xEF\xBF\xBD\xEF\xBF\xBD</body>",
                           "<table><tr><td><a href=x>only</a><td><a href=y>links</a></table>"}) {
    Article a;
    a.html = html;
    EXPECT_EQ(stage.process(a).code(), StatusCode::kNoArticle) << html;
  }
}

TEST(Dates, NormalizesMachineDates) {
  EXPECT_EQ(normalize_date("2022-01-11T09:12:00+05:30"), "2022-01-11T09:12:00+05:30");
  EXPECT_EQ(normalize_date("2022-01-11T09:12:00.123Z"), "2022-01-11T09:12:00+00:00");
  EXPECT_EQ(normalize_date("2022-01-11 09:12"), "2022-01-11T09:12:00+00:00");
  EXPECT_EQ(normalize_date("2022-01-11T09:12:00+0530"), "2022-01-11T09:12:00+05:30");
  EXPECT_EQ(normalize_date("2022-01-11"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(normalize_date("Tue, 11 Jan 2022 09:12:00 +0530"), "2022-01-11T09:12:00+05:30");
  // Month first, a weekday in full, named zones.
  EXPECT_EQ(normalize_date("Tue, Jan 11 2022 09:12:41 EST"), "2022-01-11T09:12:41-05:00");
  EXPECT_EQ(normalize_date("January 11, 2022"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(normalize_date("Tuesday, 11 January 2022 09:12 CET"), "2022-01-11T09:12:00+01:00");
  EXPECT_EQ(normalize_date("Tuesday, 11:00"), "");
  EXPECT_EQ(normalize_date("2022-02-30"), "");
  EXPECT_EQ(normalize_date("1970-01-01"), "");
  EXPECT_EQ(normalize_date("yesterday"), "");
}

TEST(Dates, DayDifference) {
  EXPECT_EQ(day_difference("2020-02-28T23:00:00+00:00", "2020-03-01"), 2);
  EXPECT_EQ(day_difference("2021-01-01", "2020-12-31T10:00:00+00:00"), -1);
  EXPECT_EQ(day_difference("2020-02-18", "18.02.2020"), 0);
}

TEST(Dates, FromUrl) {
  EXPECT_EQ(date_from_url("https://a.example/world/2022/01/11/story/"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_url("https://a.example/news/2022-01-11-story"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_url("https://a.example/news/20220111/story"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_url("https://a.example/story-st10425.html"), "");
  EXPECT_EQ(date_from_url("https://a.example/2022/01/story"), "");  // no day: not a date
}

TEST(Dates, FromText) {
  EXPECT_EQ(date_from_text("Posted January 11, 2022 by staff"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_text("11 Jan 2022"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_text("जनवरी 11, 2022"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_text("12 फ़रवरी 2024"), "2024-02-12T00:00:00+00:00");
  EXPECT_EQ(date_from_text("11.01.2022"), "2022-01-11T00:00:00+00:00");
  EXPECT_EQ(date_from_text("segunda-feira, 22 de janeiro de 2018 às 0:13"), "2018-01-22T00:00:00+00:00");
  EXPECT_EQ(date_from_text("3 марта 2021"), "2021-03-03T00:00:00+00:00");
  EXPECT_EQ(date_from_text("le 5 août 2020"), "2020-08-05T00:00:00+00:00");
  EXPECT_EQ(date_from_text("no date here 2022"), "");
}

TEST(Dates, FromTextInMoreScriptsAndForms) {
  EXPECT_EQ(date_from_text("martes 17 de marzo de 2020"), "2020-03-17T00:00:00+00:00");
  EXPECT_EQ(date_from_text("duminică, 20 septembrie 2020"), "2020-09-20T00:00:00+00:00");
  EXPECT_EQ(date_from_text("14 października 2021"), "2021-10-14T00:00:00+00:00");
  EXPECT_EQ(date_from_text("5 Kasım 2020"), "2020-11-05T00:00:00+00:00");
  EXPECT_EQ(date_from_text("24 листопада 2020"), "2020-11-24T00:00:00+00:00");
  EXPECT_EQ(date_from_text("الأربعاء، 07 أكتوبر 2020"), "2020-10-07T00:00:00+00:00");
  EXPECT_EQ(date_from_text("الجمعة 24 نيسان / أبريل 2020"), "2020-04-24T00:00:00+00:00");
  EXPECT_EQ(date_from_text("2020年07月03日"), "2020-07-03T00:00:00+00:00");
  EXPECT_EQ(date_from_text("2020년 3월 4일"), "2020-03-04T00:00:00+00:00");
  EXPECT_EQ(date_from_text("2020.03.04 16:52"), "2020-03-04T00:00:00+00:00");
  EXPECT_EQ(date_from_text("2020年13月03日"), "");
}

TEST(TextUtil, NormalisesToNfc) {
  std::string s = "Cafe\u0301 de\u0301ja\u0300";
  to_nfc(s);
  EXPECT_EQ(s, "Café déjà");
  std::string hindi = "हिन्दी समाचार";  // already NFC: unchanged
  to_nfc(hindi);
  EXPECT_EQ(hindi, "हिन्दी समाचार");
  std::string bad = "a\xff\xfe b";  // invalid UTF-8 is left alone, never dropped
  to_nfc(bad);
  EXPECT_FALSE(bad.empty());
}

TEST(HtmlTree, UnescapesCharacterReferences) {
  EXPECT_EQ(unescape_html("Verstappen: &quot;No le soporto&quot;"), "Verstappen: \"No le soporto\"");
  EXPECT_EQ(unescape_html("R&uuml;ckbau &#8216;now&#8217; &amp; then"), "Rückbau ‘now’ & then");
  EXPECT_EQ(unescape_html("plain <b>text</b>"), "plain <b>text</b>");
  EXPECT_EQ(unescape_html(""), "");
}

TEST(PageType, ListingsNeedTeaserBodiesAndTheirOwnWord) {
  PageSignals home;
  home.body_teasers = 40;
  home.body_prose = 3;
  home.teasers = 60;
  home.title_is_site = true;
  EXPECT_EQ(classify_page(home), PageType::kListing);
  PageSignals section = home;  // a section front names itself in an <h1>
  section.title_is_site = false;
  section.own_headline = true;
  section.listing_url = true;
  EXPECT_EQ(classify_page(section), PageType::kListing);
  PageSignals declared = home;  // what declares itself an article is one
  declared.declared_article = true;
  EXPECT_EQ(classify_page(declared), PageType::kArticle);
  PageSignals rail = home;  // an article with a big teaser rail, under its own headline
  rail.title_is_site = false;
  rail.own_headline = true;
  EXPECT_EQ(classify_page(rail), PageType::kArticle);
  PageSignals prose;  // no headline, no date, prose: an article; without prose: other
  prose.body_prose = 4;
  EXPECT_EQ(classify_page(prose), PageType::kArticle);
  EXPECT_EQ(classify_page(PageSignals{}), PageType::kOther);
}

TEST(ExtractStage, BylinesNamePeople) {
  const std::string body =
      "<article><h1>Council approves cycle lanes</h1><p>The city council on Monday approved a plan to add forty "
      "kilometres of protected cycle lanes over the next three years, a move officials said would make short trips "
      "safer for commuters and schoolchildren across the city.</p></article>";
  auto authors_of = [&](const std::string& head, const std::string& extra) {
    ExtractStage stage{ExtractConfig{}};
    Article a;
    a.url = "https://riverside.example/city/lanes";
    a.html = "<html><head><meta property=\"og:site_name\" content=\"Riverside Times\">" + head + "</head><body>" +
             extra + body + "</body></html>";
    EXPECT_TRUE(stage.process(a).is_ok());
    return a.authors;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"Anna Martel und Lea Wagner\">", ""),
            (V{"Anna Martel", "Lea Wagner"}));
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"Elena Oberholzer (obe); Oliver Maksan\">", ""),
            (V{"Elena Oberholzer", "Oliver Maksan"}));
  // A mailbox or the site's own name gives way to a person named on the page ...
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"d.kuckelkorn@riverside.example\">",
                       "<a rel=\"author\" href=\"/a/dk\">Dieter Kuckelkorn</a>"),
            (V{"Dieter Kuckelkorn"}));
  EXPECT_EQ(
      authors_of("<meta name=\"author\" content=\"Riverside Times\">", "<a rel=\"author\" href=\"/a/mr\">Mina Roy</a>"),
      (V{"Mina Roy"}));
  // ... and stands in when no person is named.
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"Riverside Times\">", ""), (V{"Riverside Times"}));
  // A <meta> key holding a URL or a mailbox gives way to the next key, and to
  // the "Written by" pair SEO plugins write for Twitter cards.
  EXPECT_EQ(authors_of("<meta property=\"article:author\" content=\"https://riverside.example/authors\">"
                       "<meta name=\"sailthru.author\" content=\"Tomas Brenner\">",
                       ""),
            (V{"Tomas Brenner"}));
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"h.ostrova@riverside.example\">"
                       "<meta name=\"twitter:label1\" content=\"Est. reading time\">"
                       "<meta name=\"twitter:data1\" content=\"3 minutes\">"
                       "<meta name=\"twitter:label2\" content=\"Verfasst von\">"
                       "<meta name=\"twitter:data2\" content=\"Hana Ostrova\">",
                       ""),
            (V{"Hana Ostrova"}));
  // The publisher's address line names no person; a record number is no name.
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"Riverside Times, Lakeside, Freedonia\">", ""),
            (V{"Riverside Times"}));
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"104233\">", ""), V{});
  // The site's short name before a desk or a region is the site too.
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"RIVERSIDE Nachrichten\">", ""), (V{"RIVERSIDE Nachrichten"}));
  EXPECT_EQ(authors_of("<meta name=\"author\" content=\"RIVERSIDE Nachrichten\">",
                       "<a rel=\"author\" href=\"/a/dk\">Dieter Kuckelkorn</a>"),
            (V{"Dieter Kuckelkorn"}));
  // A JSON-LD name followed by the person's title keeps the name; a name in a
  // script written without spaces is not a run of words.
  auto ld = [](const std::string& name) {
    return "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":{\"name\":\"" + name +
           "\"}}</script>";
  };
  EXPECT_EQ(authors_of(ld("Mira Kell, professor of hydrology at the Lakeside university faculty"), ""),
            (V{"Mira Kell"}));
  EXPECT_EQ(authors_of(ld("川辺新聞デジタル編集部記者"), ""), (V{"川辺新聞デジタル編集部記者"}));
}

// When JSON-LD and <meta> name no person, the byline shown beside the
// headline does; teasers, labels and the site's own name do not.
TEST(ExtractStage, BylinesShownInTheArticle) {
  const std::string text =
      "<p>The city council on Monday approved a plan to add forty kilometres of protected cycle lanes over the next "
      "three years, a move officials said would make short trips safer for commuters and schoolchildren.</p>";
  auto authors_of = [&](const std::string& byline, const std::string& after = "") {
    ExtractStage stage{ExtractConfig{}};
    Article a;
    a.url = "https://riverside.example/city/lanes";
    a.html =
        "<html><head><meta property=\"og:site_name\" content=\"Riverside Times\">"
        "<meta name=\"author\" content=\"Riverside Times\"></head><body><main><article>"
        "<h1>Council approves cycle lanes</h1>" +
        byline + text + "</article>" + after + "</main></body></html>";
    EXPECT_TRUE(stage.process(a).is_ok());
    return a.authors;
  };
  using V = std::vector<std::string>;
  // A word before the name, in its own element or not.
  EXPECT_EQ(authors_of("<p class=\"byline\"><span class=\"byline__by\">By</span> "
                       "<a class=\"byline__author\">Mina Roy</a></p>"),
            (V{"Mina Roy"}));
  EXPECT_EQ(authors_of("<div class=\"storyAuthor\">von <b>Hana</b> <b>Ostrova</b></div>"), (V{"Hana Ostrova"}));
  // Names in elements of their own, in one byline or in a list.
  EXPECT_EQ(authors_of("<div class=\"article-byline\"><span>Anna Berg</span> <span>Tom Lind</span></div>"),
            (V{"Anna Berg", "Tom Lind"}));
  EXPECT_EQ(authors_of("<ul class=\"authorList\"><li class=\"authorList-item\"><a>Anna Berg</a></li>"
                       "<li class=\"authorList-item\"><a>Tom Lind</a></li></ul>"),
            (V{"Anna Berg", "Tom Lind"}));
  // A teaser after the article, with its own byline, adds no one ...
  const std::string teaser =
      "<section><a href=\"/city/bridge\"><h2>Bridge repairs run late</h2><span class=\"author\">Tom Lind</span></a>"
      "</section>";
  EXPECT_EQ(authors_of("<span class=\"author\">Anna Berg</span>", teaser), (V{"Anna Berg"}));
  // ... and is not the article's byline when the article shows none.
  EXPECT_EQ(authors_of("", teaser), (V{"Riverside Times"}));
  // Desk initials, a dated line, a label, or a byline naming the site leave
  // the site's name standing in; "authority" is not "author".
  EXPECT_EQ(authors_of("<p class=\"article-author\">amw</p>"), (V{"Riverside Times"}));
  EXPECT_EQ(authors_of("<p class=\"article-author\">Anna Berg 12.03.2024</p>"), (V{"Riverside Times"}));
  EXPECT_EQ(authors_of("<p class=\"author\">Quelle: dpa</p>"), (V{"Riverside Times"}));
  EXPECT_EQ(authors_of("<p class=\"author\">Staff, Riverside Times/Agencies</p>"), (V{"Riverside Times"}));
  EXPECT_EQ(authors_of("<p class=\"author\">von Mina Roy, Riverside Times Lakeside</p>"), (V{"Mina Roy"}));
  EXPECT_EQ(authors_of("<p class=\"authority-note\">Approved Source</p>"), (V{"Riverside Times"}));
  // Where the page marks its author (rel, itemprop), even outside the text's
  // region and in lower case, that is the author.
  EXPECT_EQ(authors_of("", "<aside><span itemprop=\"author\">srf/abc</span></aside>"), (V{"srf/abc"}));
}

TEST(ExtractStage, ShortPostsNeedPageSignals) {
  const std::string body =
      "<p>The eastern bypass will close from 10pm on Friday until 6am on Monday for resurfacing.</p>";
  const std::string declared =
      "<html><head><title>Bypass to close</title><meta property=\"og:type\" content=\"article\"></head><body>"
      "<article><h1>Bypass to close</h1>" +
      body + "</article></body></html>";
  const std::string bare =
      "<html><head><title>Bypass to close</title></head><body><div>" + body + "</div></body></html>";
  ExtractStage stage{ExtractConfig{}};
  Article a;
  a.html = declared;
  EXPECT_TRUE(stage.process(a).is_ok());
  EXPECT_EQ(a.page_type, "article");
  Article b;
  b.html = bare;
  EXPECT_EQ(stage.process(b).code(), StatusCode::kNoArticle);
  // A paywalled or script-rendered article shows almost none of its body,
  // but its page says what it is: an article, with its title and date.
  Article c;
  c.html =
      "<html><head><title>Bypass to close</title><meta property=\"og:type\" content=\"article\">"
      "<meta property=\"article:published_time\" content=\"2024-03-08T09:00:00+00:00\"></head><body>"
      "<h1>Bypass to close</h1><div class=\"paywall\">Subscribe to read</div></body></html>";
  EXPECT_TRUE(stage.process(c).is_ok());
  EXPECT_EQ(c.title, "Bypass to close");
  EXPECT_EQ(c.published_at.substr(0, 10), "2024-03-08");
}

// The date of a JSON-LD block is read even when the block is not valid JSON
// (a stray brace is common), or sits on the page object the article names.
TEST(ExtractStage, JsonLdDatesFromBrokenBlocksAndThePageObject) {
  const std::string body =
      "<h1>Bypass to close</h1><p>The eastern bypass will close from 10pm on Friday until 6am on Monday for "
      "resurfacing, the roads department said, and drivers should use the ring road instead while crews work "
      "through the weekend on both carriageways.</p>";
  auto date_of = [&](const std::string& json_ld) {
    ExtractStage stage{ExtractConfig{}};
    Article a;
    a.html = "<html><head><title>Bypass to close</title>" + json_ld + "</head><body>" + body + "</body></html>";
    EXPECT_TRUE(stage.process(a).is_ok());
    return a.published_at.substr(0, 10) + " " + a.date_source;
  };
  auto block = [](const std::string& json) { return "<script type=\"application/ld+json\">" + json + "</script>"; };
  EXPECT_EQ(date_of(block(R"({"@type": "NewsArticle", "headline": "Bypass to close",
                              "datePublished": "2024-03-08T09:00:00+01:00"}})")),
            "2024-03-08 json-ld");
  EXPECT_EQ(date_of(block(R"({"@type": "NewsArticle", "mainEntityOfPage": {"@type": "WebPage",
                              "datePublished": "2024-03-09T09:00:00Z"}})")),
            "2024-03-09 json-ld");
  // A valid block's date wins over a broken one's, whatever their order.
  EXPECT_EQ(date_of(block(R"({"@type": "WebPage", "datePublished": "2019-01-01"}})") +
                    block(R"({"@type": "NewsArticle", "datePublished": "2024-03-10T09:00:00Z"})")),
            "2024-03-10 json-ld");
  // A page whose JSON-LD object is another kind (a question, a video) still
  // dates it, after the <meta> dates.
  const std::string question = block(R"({"@type": "Question", "name": "Bypass to close?",
                                         "datePublished": "2024-03-11T09:00:00+09:00"})");
  EXPECT_EQ(date_of(question), "2024-03-11 json-ld");
  EXPECT_EQ(date_of(question + "<meta property=\"article:published_time\" content=\"2024-03-12T08:00:00Z\">"),
            "2024-03-12 meta");
}

// A blog's <h1> is its own name; the post's title, a smaller heading, anchors
// the written date under it. The header's "today" stays unread.
TEST(ExtractStage, WrittenDateUnderAPostTitleThatIsNotTheH1) {
  ExtractStage stage{ExtractConfig{}};
  Article a;
  a.url = "https://hills.example/walks/e/5d8c31";
  a.html =
      "<html><head><title>Ridge walk in early summer - Hill Notes</title>"
      "<meta property=\"og:site_name\" content=\"Hill Notes\"></head><body>"
      "<div id=\"header\"><div class=\"top-bar\">Friday, 10 July 2020</div><div class=\"in-header\">"
      "<div class=\"title\"><h1>Hill Notes</h1></div></div></div><div id=\"center\"><div class=\"entry\">"
      "<div class=\"entry-top\"><h3><a href=\"/walks/e/5d8c31\">Ridge walk in early summer</a></h3>"
      "<div class=\"entry-top-info\"><a><span>2020年07月03日</span></a> | <a>Hiking</a></div></div>"
      "<div class=\"entry-body\"><p>We set off from the lower car park before dawn and reached the ridge by eight, "
      "with the lilies just opening along the path and the valley still under cloud.</p><p>The descent took longer "
      "than planned, so we walked the last stretch along the road back to the bicycles we had left there.</p>"
      "</div></div></div></body></html>";
  ASSERT_TRUE(stage.process(a).is_ok());
  EXPECT_EQ(a.title, "Ridge walk in early summer");
  EXPECT_EQ(a.published_at.substr(0, 10), "2020-07-03");
  EXPECT_EQ(a.date_source, "text");
}

// A machine date in UTC may fall on the next or previous day from where the
// publisher is; when the URL and the date written under the headline agree on
// that day, and the UTC time allows it, the page's own day is kept.
TEST(ExtractStage, LocalDayOverAUtcMachineDate) {
  auto date_of = [](const std::string& url, const std::string& machine) {
    ExtractStage stage{ExtractConfig{}};
    Article a;
    a.url = url;
    a.html =
        "<html><head><title>Storm closes the coast road</title><meta property=\"article:published_time\" "
        "content=\"" +
        machine +
        "\"></head><body><article><h1>Storm closes the coast road</h1><p>17 February 2020</p>"
        "<p>The coast road was closed on Monday evening after waves carried rocks and sand onto both lanes near the "
        "harbour, and crews expect to clear it by the morning if the wind drops as forecast.</p><p>Drivers heading "
        "north should take the inland route through the valley until the council says the road is safe again.</p>"
        "</article></body></html>";
    EXPECT_TRUE(stage.process(a).is_ok());
    return a.published_at.substr(0, 10) + " " + a.date_source;
  };
  EXPECT_EQ(date_of("https://coast.example/2020/02/17/storm-road/", "2020-02-18T02:18:11Z"), "2020-02-17 text");
  // One local signal is not enough; nor is a day the UTC time rules out (at
  // 17:00 UTC on the 18th it is the 17th nowhere), nor a date without a time.
  EXPECT_EQ(date_of("https://coast.example/news/storm-road/", "2020-02-18T02:18:11Z"), "2020-02-18 meta");
  EXPECT_EQ(date_of("https://coast.example/2020/02/17/storm-road/", "2020-02-18T17:00:00Z"), "2020-02-18 meta");
  EXPECT_EQ(date_of("https://coast.example/2020/02/17/storm-road/", "2020-02-18"), "2020-02-18 meta");
}

TEST(Title, StripsSiteSuffix) {
  EXPECT_EQ(MetadataReader::strip_site_suffix("Council approves lanes - Riverside Times", "Riverside Times"),
            "Council approves lanes");
  EXPECT_EQ(MetadataReader::strip_site_suffix("विदेश मंत्री ने समीक्षा की | Khabar Live", "Khabar Live"),
            "विदेश मंत्री ने समीक्षा की");
  EXPECT_EQ(MetadataReader::strip_site_suffix("India vs Australia - live score and updates", ""),
            "India vs Australia - live score and updates");
  EXPECT_EQ(MetadataReader::strip_site_suffix("A long headline about a thing | World | Site", "Site"),
            "A long headline about a thing");
}

TEST(CrossLinks, RecognisesLabelsInSeveralLanguages) {
  EXPECT_TRUE(is_cross_link_label("Read More : Some headline"));
  EXPECT_TRUE(is_cross_link_label("ALSO READ: Another"));
  EXPECT_TRUE(is_cross_link_label("यह भी पढ़ें: कोई खबर"));
  EXPECT_TRUE(is_cross_link_label("ये भी पढ़ें"));
  EXPECT_FALSE(is_cross_link_label("Readers wrote in to say the more they read, the less they knew."));
  EXPECT_TRUE(is_ad_marker("- Advertisment -"));
  EXPECT_TRUE(is_ad_marker("विज्ञापन"));
  EXPECT_FALSE(is_ad_marker("Advertisement revenue fell by 10 per cent"));
}

TEST(TextUtil, MeasuresCodePointsAndWords) {
  EXPECT_EQ(code_points("समीक्षा"), 7);
  EXPECT_EQ(count_words("विदेश मंत्री ने कहा। यह ठीक है।"), 7);
  EXPECT_EQ(count_words("Hello, world! It's 2024."), 4);
  EXPECT_EQ(count_sentence_ends("पहला वाक्य। दूसरा वाक्य॥ Third."), 3);
  std::string out;
  append_folded(out, "  a \n\t b\xC2\xA0\xC2\xA0 c ");
  EXPECT_EQ(out, "a b c ");
}

TEST(Language, DetectsAndCrossChecks) {
  const std::string hi =
      "विदेश मंत्री एस जयशंकर ने इस सप्ताह अपने अमेरिकी और रूसी समकक्षों के साथ अपने द्विपक्षीय संबंधों की समीक्षा "
      "की। जयशंकर दोनों देशों के साथ व्यापक बातचीत करने की योजना बना रहे हैं।";
  EXPECT_EQ(detect_language(hi, "en"), "hi");  // content wins over a wrong declaration
  EXPECT_EQ(detect_language("The minister reviewed relations with both countries this week and said "
                            "talks would continue next month in Washington.",
                            "hi-IN"),
            "en");
  EXPECT_EQ(detect_language("", "hi-IN"), "hi");  // nothing to detect: the declaration
  EXPECT_EQ(primary_subtag("pt-BR"), "pt");
  EXPECT_EQ(primary_subtag("x"), "");
}

}  // namespace
}  // namespace newsd::extract
