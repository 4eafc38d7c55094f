// Decode stage: charsets, envelopes and rejected payloads.
#include "stages/decode/decode_stage.h"

#include <gtest/gtest.h>

#include <unicode/ucnv.h>

#include <memory>
#include <string>

namespace newsd {
namespace {

// Encodes UTF-8 text into `charset` with ICU, to build test pages.
std::string encode_as(const std::string& utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                 static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<size_t>(n));
  return out;
}

Article page(std::string payload, std::string content_type = "") {
  Article a;
  a.input.payload = std::move(payload);
  a.input.content_type = std::move(content_type);
  a.input.url = "https://example.com/a";
  return a;
}

Status decode(Article& a, LimitsConfig limits = {}) { return DecodeStage(limits).process(a); }

TEST(Decode, Utf8PageWithMetaCharset) {
  Article a = page("<html><head><meta charset=\"utf-8\"><title>नमस्ते</title></head><body><p>भारत</p></body></html>");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset, "utf-8");
  EXPECT_EQ(a.charset_source, "meta");
  EXPECT_NE(a.html.find("भारत"), std::string::npos);
  EXPECT_EQ(a.invalid_bytes_replaced, 0);
  EXPECT_EQ(a.id.size(), 16u);
}

TEST(Decode, Windows1252FromHttpHeader) {
  const std::string html = "<html><body><p>Café naïve – “quoted”</p></body></html>";
  Article a = page(encode_as(html, "windows-1252"), "text/html; charset=windows-1252");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset, "windows-1252");
  EXPECT_EQ(a.charset_source, "http");
  EXPECT_EQ(a.html, html);
}

TEST(Decode, Iso88591LabelDecodesAsWindows1252) {
  // WHATWG: the iso-8859-1 label means windows-1252 (0x93/0x94 are quotes).
  Article a = page("<html><body><p>\x93quoted\x94 caf\xE9</p></body></html>", "text/html; charset=ISO-8859-1");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_NE(a.html.find("“quoted” café"), std::string::npos);
}

TEST(Decode, ShiftJisFromMeta) {
  const std::string html =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head>"
      "<body><p>東京で記者会見が開かれた。日本語のニュース記事です。</p></body></html>";
  Article a = page(encode_as(html, "Shift_JIS"));
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset, "shift_jis");
  EXPECT_EQ(a.charset_source, "meta");
  EXPECT_EQ(a.html, html);
}

TEST(Decode, ShiftJisDetectedWithoutDeclaration) {
  const std::string html =
      "<html><body><p>東京で記者会見が開かれた。政府は新しい経済政策を発表し、市場は大きく反応した。"
      "専門家は今後の動向に注目している。</p><p>日本語のニュース記事です。</p></body></html>";
  Article a = page(encode_as(html, "Shift_JIS"));
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset_source, "detected");
  EXPECT_EQ(a.html, html);
}

TEST(Decode, MetaSaysLatin1ButBytesAreUtf8) {
  const std::string html =
      "<html><head><meta charset=\"iso-8859-1\"></head><body><p>प्रधानमंत्री ने कहा</p></body></html>";
  Article a = page(html);
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset, "utf-8");
  EXPECT_EQ(a.charset_source, "detected");
  EXPECT_EQ(a.html, html);
}

TEST(Decode, MetaSaysUtf8ButBytesAreWindows1252) {
  const std::string html =
      "<html><head><meta charset=\"utf-8\"></head><body><p>Les élèves de l'école ont présenté leur "
      "théâtre à la fête du village. Très réussi, selon le maire qui a félicité les enseignants.</p></body></html>";
  Article a = page(encode_as(html, "windows-1252"));
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_NE(a.charset, "utf-8");
  EXPECT_EQ(a.charset_source, "detected");
  EXPECT_EQ(a.html, html);
}

TEST(Decode, Utf8BomWins) {
  Article a = page("\xEF\xBB\xBF<html><body><p>ok é</p></body></html>", "text/html; charset=windows-1252");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset_source, "bom");
  EXPECT_EQ(a.html, "<html><body><p>ok é</p></body></html>");
}

TEST(Decode, Utf16LeBom) {
  const std::string html = "<html><body><p>हिन्दी</p></body></html>";
  Article a = page("\xFF\xFE" + encode_as(html, "UTF-16LE"));
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.charset, "utf-16le");
  EXPECT_NE(a.html.find("हिन्दी"), std::string::npos);
}

TEST(Decode, InvalidUtf8IsReplacedAndCounted) {
  // A UTF-8 page (Hindi text) with two corrupt bytes: kept as UTF-8.
  Article a = page("<html><body><p>good \xC3\x28 bad \xFF text</p><p>प्रधानमंत्री ने आज नई दिल्ली में कहा कि "
                   "सरकार किसानों के लिए नई योजना लाएगी।</p></body></html>",
                   "text/html; charset=utf-8");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.invalid_bytes_replaced, 2);
  EXPECT_NE(a.html.find("good \xEF\xBF\xBD( bad \xEF\xBF\xBD text"), std::string::npos);
}

TEST(Decode, SanitizeRejectsOverlongAndSurrogates) {
  std::string out;
  EXPECT_EQ(decode::sanitize_utf8("\xC0\xAF", out), 2);         // overlong '/'
  EXPECT_EQ(decode::sanitize_utf8("\xED\xA0\x80", out), 3);     // UTF-16 surrogate
  EXPECT_EQ(decode::sanitize_utf8("\xF4\x90\x80\x80", out), 4);  // past U+10FFFF
  EXPECT_EQ(decode::sanitize_utf8("ok \xF0\x9F\x98\x80", out), 0);
  EXPECT_EQ(out, "ok \xF0\x9F\x98\x80");
}

TEST(Decode, BinaryJunkIsNotHtml) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) & 0xFF);
  Article a = page(junk);
  const Status s = decode(a);
  EXPECT_EQ(s.code(), StatusCode::kNotHtml);
  EXPECT_NE(s.message().find("binary"), std::string::npos) << s.message();
}

TEST(Decode, KnownBinaryFormatsAreNamed) {
  Article pdf = page("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj");
  const Status s = decode(pdf);
  EXPECT_EQ(s.code(), StatusCode::kNotHtml);
  EXPECT_NE(s.message().find("PDF"), std::string::npos);
}

TEST(Decode, EmptyAndTextOnlyPayloadsAreNotHtml) {
  Article empty = page("  \n ");
  EXPECT_EQ(decode(empty).code(), StatusCode::kNotHtml);
  Article text = page("just some words, no markup at all");
  const Status s = decode(text);
  EXPECT_EQ(s.code(), StatusCode::kNotHtml);
  EXPECT_NE(s.message().find("markup"), std::string::npos);
}

TEST(Decode, NonHtmlContentTypeIsRejected) {
  Article a = page("<html><body>x</body></html>", "image/png");
  EXPECT_EQ(decode(a).code(), StatusCode::kNotHtml);
}

TEST(Decode, OversizePageIsTooLarge) {
  LimitsConfig limits;
  limits.max_page_bytes = 4096;
  Article a = page("<html><body>" + std::string(5000, 'x') + "</body></html>");
  const Status s = decode(a, limits);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  EXPECT_NE(s.message().find("limits.max_page_bytes"), std::string::npos);
}

TEST(Envelope, FullRecord) {
  Article a = page(R"({"url":"https://news.example/x","html":"<html><body><p>hi</p></body></html>",
    "fetched_at":"2024-05-01T10:00:00Z","http_headers":{"Content-Type":"text/html; charset=utf-8"},"status":200})");
  a.input.url.clear();
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.url, "https://news.example/x");
  EXPECT_EQ(a.fetched_at, "2024-05-01T10:00:00Z");
  EXPECT_EQ(a.charset_source, "http");
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(a.html, "<html><body><p>hi</p></body></html>");
}

TEST(Envelope, Base64Html) {
  // "<html><body>hé</body></html>"
  Article a = page(R"({"url":"https://e.x/","html_base64":"PGh0bWw+PGJvZHk+aMOpPC9ib2R5PjwvaHRtbD4="})");
  ASSERT_TRUE(decode(a).is_ok());
  EXPECT_EQ(a.html, "<html><body>hé</body></html>");
}

struct BadEnvelope {
  const char* json;
  const char* message_part;
};

class EnvelopeErrors : public ::testing::TestWithParam<BadEnvelope> {};

TEST_P(EnvelopeErrors, AreClear) {
  Article a = page(GetParam().json);
  const Status s = decode(a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidEnvelope) << s.to_string();
  EXPECT_NE(s.message().find(GetParam().message_part), std::string::npos) << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Decode, EnvelopeErrors,
    ::testing::Values(BadEnvelope{R"({"html":"<p>x</p>"})", "\"url\""},
                      BadEnvelope{R"({"url":"https://e.x/"})", "\"html\""},
                      BadEnvelope{R"({"url":42,"html":"<p>x</p>"})", "\"url\" must be a string"},
                      BadEnvelope{R"({"url":"https://e.x/","html":["<p>"]})", "\"html\" must be a string"},
                      BadEnvelope{R"({"url":"https://e.x/","html":"<p>x</p>","status":"ok"})", "\"status\""},
                      BadEnvelope{R"({"url":"https://e.x/","html":"<p>x</p>","http_headers":[]})", "http_headers"},
                      BadEnvelope{R"({"url":"https://e.x/","html_base64":"@@@"})", "base64"},
                      BadEnvelope{R"({"url":"https://e.x/","html":"<p>tru)", "not valid JSON"},
                      BadEnvelope{R"({"url":"")", "not valid JSON"}));

TEST(Envelope, ErrorHttpStatusIsNotAPage) {
  Article a = page(R"({"url":"https://e.x/","html":"<html><body>Not found</body></html>","status":404})");
  const Status s = decode(a);
  EXPECT_EQ(s.code(), StatusCode::kNotHtml);
  EXPECT_NE(s.message().find("404"), std::string::npos);
}

TEST(Charset, FromContentTypeAndMeta) {
  EXPECT_EQ(decode::charset_from_content_type("text/html; Charset=\"ISO-8859-2\""), "iso-8859-2");
  EXPECT_EQ(decode::charset_from_content_type("text/html"), "");
  EXPECT_EQ(decode::charset_from_meta("<head><meta charset='EUC-JP'/>"), "euc-jp");
  EXPECT_EQ(decode::charset_from_meta("<meta http-equiv=\"content-type\" content=\"text/html;charset=gb2312\">"),
            "gb2312");
  EXPECT_EQ(decode::charset_from_meta("<meta name=\"description\" content=\"charset in text\">"), "");
  // A value holding a byte no label holds names no charset.
  EXPECT_EQ(decode::charset_from_meta("<meta charset=\"utf-\x96 8\">"), "");
}

TEST(Decode, NonAsciiCharsetLabelIsNotReported) {
  Article a = page("<html><head><meta charset=\"utf-\x96 8\"></head><body><p>" + std::string(100, 'x') +
                   " caf\xE9</p></body></html>");
  const Status s = decode(a);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  for (char c : a.charset) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << a.charset;
}

}  // namespace
}  // namespace newsd
